package dev.rampart.scan.archive;

import dev.rampart.scan.io.Blob;
import java.io.IOException;
import java.util.List;

/** Member names of a zip, for callers that only need to know what a container holds. */
public final class ZipListing {
  private ZipListing() {}

  public static List<String> names(Blob blob, int maxEntries) throws IOException {
    return ZipDirectory.read(blob, maxEntries).entries().stream().map(ZipDirectory.Entry::name).toList();
  }
}

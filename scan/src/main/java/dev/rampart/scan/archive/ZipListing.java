package dev.rampart.scan.archive;

import dev.rampart.scan.io.Blob;
import dev.rampart.scan.io.LimitExceededException;
import java.io.IOException;
import java.util.List;

/** Member names of a zip, for callers that only need to know what a container holds. */
public final class ZipListing {
  private ZipListing() {}

  public static List<String> names(Blob blob, int maxEntries) throws IOException {
    return ZipDirectory.read(blob, maxEntries).entries().stream().map(ZipDirectory.Entry::name).toList();
  }

  /**
   * Whether a file that does not start like a zip still holds one, found from its end as Python's zipfile finds it:
   * a script or image with a zip appended opens in {@code zipfile} (and so in Keras) whatever comes first.
   */
  public static boolean endsWithZip(Blob blob) {
    if (blob.size() < 22) {
      return false;
    }
    try {
      return !ZipDirectory.read(blob, 65_536).entries().isEmpty();
    } catch (LimitExceededException e) {
      // a directory too large to read is still a zip: the analyser reports the limit, so it is never read as clean
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}

package dev.rampart.integrity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The OpenSSF Model Signing interop data copied into test resources (see oms/README.md and its licences). */
public final class Oms {
  private Oms() {}

  public static Path path(String rel) {
    try {
      return Path.of(Oms.class.getResource("/oms").toURI()).resolve(rel);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A writable copy of a fixture folder, for tamper tests. */
  public static Path copy(String rel, Path into) {
    Path src = path(rel);
    try (Stream<Path> s = Files.walk(src)) {
      for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
        Path dst = into.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dst);
        } else {
          Files.copy(p, dst);
          dst.toFile().setWritable(true);
        }
      }
      return into;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.rampart.scan;

import dev.rampart.core.Finding;
import dev.rampart.core.Report;
import dev.rampart.core.Severity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Locates the committed fixtures and scans them. */
public final class Fixtures {
  private Fixtures() {}

  public static Path root() {
    try {
      return Path.of(Fixtures.class.getResource("/fixtures").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Path path(String relative) {
    return root().resolve(relative);
  }

  public static List<Path> files(String dir) {
    try (Stream<Path> s = Files.walk(root().resolve(dir))) {
      return s.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String relative(Path p) {
    return root().relativize(p).toString();
  }

  public static Report scan(Path... paths) {
    try {
      return Scanner.builder().threads(1).build().scan(List.of(paths));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Report scanBytes(byte[] bytes) {
    try {
      Path tmp = Files.createTempFile("rampart-test", ".bin");
      try {
        Files.write(tmp, bytes);
        return scan(tmp);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<String> ruleIds(Report r) {
    return r.findings().stream().map(f -> f.rule().id()).distinct().sorted().toList();
  }

  public static List<Finding> atLeast(Report r, Severity s) {
    return r.findings().stream().filter(f -> !f.incompleteness() && f.severity().atLeast(s)).toList();
  }
}

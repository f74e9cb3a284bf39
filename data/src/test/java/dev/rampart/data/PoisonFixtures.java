package dev.rampart.data;

import dev.rampart.data.io.Dataset;
import dev.rampart.data.io.DatasetReader;
import dev.rampart.data.io.ReadLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The committed dataset fixtures: Debian's sklearn datasets, clean and with attacks injected. */
final class PoisonFixtures {
  static final Path ROOT = Path.of("src/test/resources/datasets");

  private PoisonFixtures() {}

  static List<Path> clean() {
    return list(ROOT.resolve("clean"));
  }

  static List<Path> poisoned() {
    return list(ROOT.resolve("poisoned"));
  }

  static Dataset read(Path p) throws Exception {
    return new DatasetReader(ReadLimits.defaults()).read(p);
  }

  /** The rows the attack touched, from the {@code .truth} file next to the fixture. */
  static Set<Integer> truth(Path fixture) throws IOException {
    Path truth = fixture.resolveSibling(fixture.getFileName().toString().replace(".csv.gz", ".truth"));
    try (Stream<String> lines = Files.lines(truth)) {
      return lines.map(String::trim).filter(s -> !s.isEmpty()).map(Integer::valueOf).collect(Collectors.toSet());
    }
  }

  /** {@code digits-trigger-3.csv.gz} gives dataset digits, attack trigger, percent 3. */
  record Name(String dataset, String attack, int percent) {
    static Name of(Path p) {
      String base = p.getFileName().toString().replace(".csv.gz", "");
      int last = base.lastIndexOf('-');
      int first = base.indexOf('-');
      return new Name(base.substring(0, first), base.substring(first + 1, last), Integer.parseInt(base.substring(last + 1)));
    }
  }

  private static List<Path> list(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".csv.gz")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.rampart.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Detection quality on the poisoning benchmark's reporting half, which no threshold was tuned on. The default build
 * runs a quick slice (every clean base, one attack file per family); the {@code long} profile runs the whole half and,
 * with -Ddocs.update=true, rewrites the tables in docs/data-poisoning.md. -Dbenchmark.half=tuning measures the
 * tuning half instead (its tables go to target/, never to the docs).
 */
class PoisonBenchmarkTest {

  static Stream<PoisonBenchmark.Case> cleanBases() {
    return PoisonBenchmark.cases("reporting").stream().filter(PoisonBenchmark.Case::clean);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cleanBases")
  void cleanReportingBasesStayClean(PoisonBenchmark.Case c) throws Exception {
    var outcome = PoisonBenchmark.run(c);
    assertThat(outcome.verdict()).isEqualTo(DatasetVerdict.CLEAN);
  }

  @EnabledIfSystemProperty(named = "rampart.long", matches = "true")
  @Test
  void wholeHalf() throws Exception {
    String half = System.getProperty("benchmark.half", "reporting");
    var outcomes = new ArrayList<PoisonBenchmark.Outcome>();
    // -Dbenchmark.only=REGEX narrows the run to matching file names while tuning; the docs need the whole half.
    String only = System.getProperty("benchmark.only", ".*");
    for (var c : PoisonBenchmark.cases(half)) {
      if (c.file().getFileName().toString().matches(only)) {
        outcomes.add(PoisonBenchmark.run(c));
      }
    }
    var pairs = new ArrayList<PoisonBenchmark.PairOutcome>();
    for (var p : PoisonBenchmark.pairs(half)) {
      if (p.now().getFileName().toString().matches(only)) {
        pairs.add(PoisonBenchmark.run(p));
      }
    }
    List<String> table = PoisonBenchmark.table(outcomes, pairs);
    Files.createDirectories(Path.of("target"));
    Files.write(Path.of("target/benchmark-" + half + ".md"), table);
    if (half.equals("reporting") && only.equals(".*") && Boolean.getBoolean("docs.update")) {
      DocsTable.replace(Path.of("../docs/data-poisoning.md"), "benchmark", table);
    }
    assertThat(outcomes).filteredOn(o -> o.of().clean()).allMatch(o -> o.verdict() == DatasetVerdict.CLEAN);
  }
}

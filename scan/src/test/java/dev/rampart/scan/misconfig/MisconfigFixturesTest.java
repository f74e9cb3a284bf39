package dev.rampart.scan.misconfig;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.Report;
import dev.rampart.core.Rule;
import dev.rampart.scan.Check;
import dev.rampart.scan.Fixtures;
import dev.rampart.scan.Scanner;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every misconfiguration rule has a positive fixture that fires it and a negative twin that does not. */
class MisconfigFixturesTest {
  static Stream<Rule> rules() {
    return MisconfigRules.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void everyPositiveFixtureFires(Rule rule) throws IOException {
    for (String file : files(rule.id() + "/positive")) {
      var report = scan(file);
      assertThat(report.findings()).as(file).anySatisfy(f -> {
        assertThat(f.rule()).isEqualTo(rule);
        assertThat(f.technique().id()).startsWith("AML.T");
      });
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void noNegativeFixtureFires(Rule rule) throws IOException {
    for (String file : files(rule.id() + "/negative")) {
      var report = scan(file);
      assertThat(report.findings()).as(file).noneMatch(f -> f.rule().equals(rule));
      assertThat(report.findings()).as(file).noneMatch(f -> f.rule().incompleteness());
    }
  }

  /** Each fixture file on its own, so that one file firing cannot hide another that does not. */
  private static List<String> files(String dir) throws IOException {
    try (var list = Files.list(Fixtures.path("misconfig/" + dir))) {
      var files = list.map(p -> dir + "/" + p.getFileName()).sorted().toList();
      assertThat(files).as(dir).isNotEmpty();
      return files;
    }
  }

  @Test
  void everyFixtureDirectoryBelongsToARule() throws IOException {
    try (var dirs = Files.list(Fixtures.path("misconfig"))) {
      assertThat(dirs.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrderElementsOf(MisconfigRules.ids());
    }
  }

  @Test
  void evidenceQuotingACredentialIsRedacted() throws IOException {
    var report = scan("MLF-06/positive");
    assertThat(report.findings()).filteredOn(f -> f.rule().id().equals("MLF-06"))
        .singleElement()
        .satisfies(f -> assertThat(f.evidence()).doesNotContain("Tr41n-Me-Pl3ase").contains("mlflow:****@"));
    var k8s = scan("K8S-04/positive");
    assertThat(k8s.findings()).allSatisfy(f -> assertThat(f.evidence()).doesNotContain("q8Zr2LmX7pV1cT9wK4sD0yB6nH3fJ5gA"));
  }

  @Test
  void versionsCompareNumerically() {
    assertThat(VersionFloors.older("2.9.3", "2.54.0")).isTrue();
    assertThat(VersionFloors.older("2.54", "2.54.0")).isFalse();
    assertThat(VersionFloors.older("2.10.0", "2.10")).isFalse();
    assertThat(VersionFloors.older("24.12", "25.08")).isTrue();
  }

  @Test
  void hostileLaunchLinesStayLinear() {
    // unclosed variable references, unbalanced quotes and nested sh -c on one long line that mentions mlflow
    String line = "mlflow server --host 0.0.0.0 " + "${A".repeat(200_000) + " \"" + "sh -c 'sh -c \"".repeat(2_000);
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long cpu = threads.getCurrentThreadCpuTime();
    var launches = Launches.of(new ConfigFile("start.sh", line + "\n"), "mlflow");
    // CPU time, not wall time: the build machine is shared; a quadratic split takes minutes here
    assertThat(java.time.Duration.ofNanos(threads.getCurrentThreadCpuTime() - cpu)).isLessThan(java.time.Duration.ofSeconds(3));
    assertThat(launches).anySatisfy(l -> assertThat(MlflowLaunch.read(l.argv(), l.env())).isPresent());
  }

  @Test
  void aliasBombInAManifestDoesNotHang() throws IOException {
    var bomb = new StringBuilder("kind: Deployment\na: &a [x,x,x,x,x,x,x,x,x]\n");
    for (char c = 'b'; c <= 'k'; c++) {
      bomb.append(c).append(": &").append(c).append(" [");
      char prev = (char) (c - 1);
      bomb.append(String.join(",", java.util.Collections.nCopies(9, "*" + prev))).append("]\n");
    }
    var dir = Files.createTempDirectory("bomb");
    Files.writeString(dir.resolve("bomb.yaml"), bomb);
    var report = Scanner.builder().checks(Set.of(Check.MISCONFIG)).build().scan(List.of(dir));
    // aliases are not expanded into a tree, so the manifest is read in linear time
    assertThat(report.findings()).extracting(f -> f.rule().id()).containsExactly("K8S-06");
  }

  private static Report scan(String dir) throws IOException {
    return Scanner.builder().checks(Set.of(Check.MISCONFIG)).build().scan(List.of(Fixtures.path("misconfig/" + dir)));
  }
}

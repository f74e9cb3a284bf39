package dev.rampart.scan.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.Report;
import dev.rampart.core.Rule;
import dev.rampart.scan.Check;
import dev.rampart.scan.Fixtures;
import dev.rampart.scan.Scanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every credential rule has positive fixtures that each fire it and negative look-alikes that never do, written from
 * the providers' published formats by make_secret_rule_fixtures.py.
 */
class SecretRuleFixturesTest {
  private static final String ROOT = "secrets/rules/";

  static Stream<Rule> rules() {
    return new SecretCheck(SecretDetector.defaults()).rules().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void everyPositiveFileFiresTheRule(Rule rule) throws IOException {
    List<Path> files = files(rule.id() + "/positive");
    assertThat(files).isNotEmpty();
    for (Path file : files) {
      assertThat(scan(file).findings()).as("%s in %s", rule.id(), file.getFileName())
          .anySatisfy(f -> assertThat(f.rule().id()).isEqualTo(rule.id()));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void noNegativeFileFiresTheRule(Rule rule) throws IOException {
    List<Path> files = files(rule.id() + "/negative");
    assertThat(files).isNotEmpty();
    for (Path file : files) {
      assertThat(scan(file).findings()).as("%s in %s", rule.id(), file.getFileName())
          .noneMatch(f -> f.rule().id().equals(rule.id()));
    }
  }

  @Test
  void everyFixtureDirectoryBelongsToARule() throws IOException {
    try (var dirs = Files.list(Fixtures.path(ROOT))) {
      assertThat(dirs.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrderElementsOf(rules().map(Rule::id).toList());
    }
  }

  @Test
  void findingsNeverCarryTheSecret() throws IOException {
    Path url = Fixtures.path(ROOT + "SEC-GITHUB-TOKEN/positive/in-url.txt");
    String line = Files.readAllLines(url).get(0);
    String token = line.substring("git+https://".length(), line.indexOf('@'));
    assertThat(scan(url).findings()).isNotEmpty()
        .allSatisfy(f -> assertThat(f.evidence()).doesNotContain(token).contains("sha256:"));
  }

  @Test
  void templateFilesReportAtLowSeverity(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    String token = Files.readAllLines(Fixtures.path(ROOT + "SEC-SLACK-TOKEN/positive/config.env")).get(0).split("=")[1];
    Files.writeString(dir.resolve(".env.example"), "SLACK_BOT_TOKEN=" + token + "\n");
    Files.writeString(dir.resolve("settings.env"), "SLACK_BOT_TOKEN=" + token + "\n");
    var findings = scan(dir).findings();
    assertThat(findings).filteredOn(f -> f.location().file().endsWith(".env.example")).singleElement()
        .satisfies(f -> assertThat(f.severity()).isEqualTo(dev.rampart.core.Severity.LOW));
    assertThat(findings).filteredOn(f -> f.location().file().endsWith("settings.env")).singleElement()
        .satisfies(f -> assertThat(f.severity()).isEqualTo(dev.rampart.core.Severity.HIGH));
  }

  private static List<Path> files(String rel) throws IOException {
    try (var walk = Files.walk(Fixtures.path(ROOT + rel))) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private static Report scan(Path path) throws IOException {
    return Scanner.builder().checks(Set.of(Check.SECRETS)).build().scan(List.of(path));
  }
}

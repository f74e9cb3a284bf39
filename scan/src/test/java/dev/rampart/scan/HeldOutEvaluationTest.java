package dev.rampart.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.Finding;
import dev.rampart.core.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The held-out evaluation of docs/secrets.md: an ML repository with planted credentials, its clean twin, and
 * ML-infrastructure configurations labelled risky or safe, all written by make_heldout_project.py apart from the
 * unit fixtures. The numbers asserted here are the ones the page reports.
 */
class HeldOutEvaluationTest {
  private static final Path ROOT = Fixtures.path("heldout");

  /** One planted credential: a file, and the rule that must report it. */
  record Planted(String path, String rule) {}

  @Test
  void plantedCredentialsAreFoundAndTheTwinStaysQuiet() throws IOException {
    var expected = new HashMap<Planted, Integer>();
    for (String[] row : rows("repo.expected")) {
      expected.merge(new Planted(row[0], row[2]), 1, Integer::sum);
    }
    var report = Scanner.builder().checks(Set.of(Check.SECRETS)).build().scan(List.of(ROOT.resolve("repo")));
    Map<Planted, Set<Integer>> found = new HashMap<>();
    for (Finding f : report.findings()) {
      found.computeIfAbsent(new Planted(relative("repo", f), f.rule().id()), k -> new HashSet<>()).add(f.location().line());
    }
    int planted = expected.values().stream().mapToInt(Integer::intValue).sum();
    int hits = 0;
    var missed = new java.util.ArrayList<Planted>();
    for (var e : expected.entrySet()) {
      int n = Math.min(e.getValue(), found.getOrDefault(e.getKey(), Set.of()).size());
      hits += n;
      if (n < e.getValue()) {
        missed.add(e.getKey());
      }
    }
    var unexpected = found.keySet().stream().filter(k -> !expected.containsKey(k)).toList();
    var twin = Scanner.builder().checks(Set.of(Check.SECRETS)).build().scan(List.of(ROOT.resolve("twin"))).findings();
    System.out.printf("held-out secrets: %d of %d planted found (%d rules), %d unexpected in the planted tree,"
        + " %d findings on the twin%n", hits, planted, expected.keySet().stream().map(Planted::rule).distinct().count(),
        unexpected.size(), twin.size());
    assertThat(missed).as("missed").isEmpty();
    assertThat(unexpected).as("findings on no planted credential").isEmpty();
    assertThat(twin).as("twin").extracting(f -> relative("twin", f) + " " + f.rule().id() + " " + f.evidence()).isEmpty();
  }

  @Test
  void infrastructureConfigurationsAreJudgedRight() throws IOException {
    int right = 0;
    var wrong = new java.util.ArrayList<String>();
    var rows = rows("infra.expected");
    for (String[] row : rows) {
      var findings = Scanner.builder().checks(Set.of(Check.MISCONFIG)).build()
          .scan(List.of(ROOT.resolve("infra").resolve(row[0]))).findings();
      Set<String> rules = findings.stream().filter(f -> f.severity().atLeast(Severity.MEDIUM))
          .map(f -> f.rule().id()).collect(Collectors.toSet());
      boolean ok = row[1].equals("SAFE") ? rules.isEmpty() : rules.contains(row[1]);
      if (ok) {
        right++;
      } else {
        wrong.add(row[0] + " expected " + row[1] + " got " + rules);
      }
    }
    System.out.printf("held-out configurations: %d of %d judged right%n", right, rows.size());
    assertThat(wrong).isEmpty();
  }

  private static String relative(String tree, Finding f) {
    String file = f.location().file().replace('\\', '/');
    int at = file.indexOf("heldout/" + tree + "/");
    return at < 0 ? file : file.substring(at + ("heldout/" + tree + "/").length());
  }

  private static List<String[]> rows(String name) throws IOException {
    return Files.readAllLines(ROOT.resolve(name)).stream()
        .filter(l -> !l.startsWith("#") && !l.isBlank())
        .map(l -> l.split("\t"))
        .toList();
  }
}

package dev.rampart.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.Rule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.junit.jupiter.api.Test;

/** docs/rules.md is generated from the rule definitions; regenerate with -Dgolden.update=true. */
class RulesDocTest {
  private static final Path DOC = Path.of("../docs/rules.md");

  private static final java.util.Map<Check, String> SECTIONS =
      java.util.Map.of(
          Check.MODELS, "## Model artifacts\n\nCode execution and tampering in model files (`--models-only`).\n\n",
          Check.SECRETS, "## Secrets\n\nLeaked credentials in any text, notebook or pickle (`--secrets-only`). Evidence shows"
              + " at most a 4-character prefix, the length and a SHA-256 prefix of the secret.\n\n",
          Check.MISCONFIG, "## Misconfiguration\n\nML-infrastructure configuration and minimum safe versions"
              + " (`--misconfig-only`).\n\n");

  static String render() {
    var sb = new StringBuilder();
    sb.append("# Scanner rules\n\n")
        .append("Generated from the rule definitions by `RulesDocTest` (run `./mvnw -pl scan test -Dgolden.update=true` after a change).\n")
        .append("Rule ids are stable and never reused. Incompleteness rules gate through exit code 3.\n\n");
    for (Check family : Check.values()) {
      sb.append(SECTIONS.get(family));
      table(sb, RuleCatalog.rules(family));
      sb.append('\n');
    }
    return sb.toString().stripTrailing() + "\n";
  }

  private static void table(StringBuilder sb, java.util.List<Rule> rules) {
    sb.append("| Rule | Severity | ATLAS | Phase | Title | What to do |\n|---|---|---|---|---|---|\n");
    rules.stream().sorted(Comparator.comparing(Rule::id)).forEach(r -> sb.append("| `").append(r.id()).append("` | ")
        .append(r.incompleteness() ? "incomplete (exit 3)" : r.severity().name()).append(" | ")
        .append(r.technique().id()).append(" ").append(r.technique().name()).append(" | ")
        .append(r.lifecycle()).append(" | ").append(r.title()).append(" | ")
        .append(r.help().replace("|", "\\|")).append(" |\n"));
  }

  @Test
  void rulesDocumentIsUpToDate() throws Exception {
    String expected = render();
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(DOC, expected);
    }
    assertThat(Files.readString(DOC)).as("docs/rules.md is stale; regenerate with -Dgolden.update=true").isEqualTo(expected);
  }

  @Test
  void ruleIdsAreUnique() {
    assertThat(RuleCatalog.all().stream().map(e -> e.rule().id())).doesNotHaveDuplicates();
  }
}

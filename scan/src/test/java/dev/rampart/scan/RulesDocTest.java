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

  static String render() {
    var sb = new StringBuilder();
    sb.append("# Scanner rules\n\n")
        .append("Generated from `ScanRules` by `RulesDocTest` (run `./mvnw -pl scan test -Dgolden.update=true` after a change).\n")
        .append("Rule ids are stable and never reused. Incompleteness rules gate through exit code 3.\n\n")
        .append("| Rule | Severity | ATLAS | Phase | Title | What to do |\n|---|---|---|---|---|---|\n");
    ScanRules.all().stream().sorted(Comparator.comparing(Rule::id)).forEach(r -> sb.append("| `").append(r.id()).append("` | ")
        .append(r.incompleteness() ? "incomplete (exit 3)" : r.severity().name()).append(" | ")
        .append(r.technique().id()).append(" ").append(r.technique().name()).append(" | ")
        .append(r.phase().displayName()).append(" | ").append(r.title()).append(" | ")
        .append(r.help().replace("|", "\\|")).append(" |\n"));
    return sb.toString();
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
    assertThat(ScanRules.all().stream().map(Rule::id)).doesNotHaveDuplicates();
  }
}

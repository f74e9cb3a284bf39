package dev.rampart.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.data.report.DataRules;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Every data rule is documented where users look for it. */
class RulesDocTest {
  @Test
  void everyDataRuleIsInTheDataChecksPage() throws Exception {
    String doc = Files.readString(Path.of("../docs/data-poisoning.md"));
    assertThat(DataRules.all()).hasSizeGreaterThanOrEqualTo(11)
        .allSatisfy(rule -> assertThat(doc).as(rule.id()).contains(rule.id()));
  }
}

package dev.rampart.scan.jinja;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.Severity;
import dev.rampart.scan.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * One chat template per way of building a name that reaches Python internals (made and checked against real
 * Jinja2 by {@code src/test/fixtures/make_jinja_fixtures.py}). A name the analysis resolves is CRITICAL; the
 * {@code unresolved_*} fixtures take their name from render-time data, which the analysis cannot know: HIGH.
 */
class JinjaBypassTest {
  static final String DIR = "malicious/jinja";

  @TestFactory
  Stream<DynamicTest> everyTechniqueIsCaught() {
    return Fixtures.files(DIR).stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
      var result = TemplateCheck.analyse(read(p));
      assertThat(result.incomplete()).as("%s analysed", p.getFileName()).isEmpty();
      Severity expected = expectedSeverity(p);
      assertThat(result.issues()).as("%s", p.getFileName()).anyMatch(i -> i.severity() == expected);
    }));
  }

  static Severity expectedSeverity(Path p) {
    return p.getFileName().toString().startsWith("unresolved_") ? Severity.HIGH : Severity.CRITICAL;
  }

  @Test
  void theCatalogueHasEveryTechnique() {
    assertThat(Fixtures.files(DIR)).hasSizeGreaterThanOrEqualTo(89);
  }

  private static String read(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.UTF_8);
  }
}

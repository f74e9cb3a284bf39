package dev.rampart.scan.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.scan.Fixtures;
import dev.rampart.scan.Scanner;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Look-alikes of credentials (UUIDs, digests, base64 tensors, documented examples, placeholders) stay silent. */
class CleanTwinTest {
  @Test
  void cleanTwinCorpusHasNoFindings() throws IOException {
    var report = Scanner.builder().build().scan(List.of(Fixtures.path("secrets/clean")));
    assertThat(report.findings()).isEmpty();
    assertThat(report.artifacts()).hasSizeGreaterThanOrEqualTo(7);
  }
}

package dev.rampart.scan.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.Finding;
import dev.rampart.core.Report;
import dev.rampart.core.report.RenderOptions;
import dev.rampart.core.report.ReportFormat;
import dev.rampart.core.report.ReportWriter;
import dev.rampart.scan.Check;
import dev.rampart.scan.Fixtures;
import dev.rampart.scan.Scanner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Realistic files with planted, made-up but format-valid credentials of every supported kind. */
class PlantedSecretsTest {
  private static Report planted;

  @BeforeAll
  static void scanPlanted() throws IOException {
    planted = Scanner.builder().checks(Set.of(Check.SECRETS)).build().scan(List.of(Fixtures.path("secrets/planted")));
  }

  private static List<String> lines(String file) throws IOException {
    return Files.readAllLines(Fixtures.path("secrets/planted." + file)).stream()
        .filter(l -> !l.startsWith("#") && !l.isBlank())
        .toList();
  }

  @Test
  void everyPlantedKindIsFound() throws IOException {
    Set<String> found = planted.findings().stream().map(f -> f.rule().id()).collect(Collectors.toSet());
    assertThat(found).containsAll(lines("expected"));
    assertThat(planted.findings()).allSatisfy(f -> assertThat(f.rule().id()).startsWith("SEC-"));
  }

  @ParameterizedTest
  @EnumSource(ReportFormat.class)
  void noPlantedSecretAppearsInAnyOutput(ReportFormat format) throws IOException {
    var bytes = new ByteArrayOutputStream();
    try (var out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      ReportWriter.of(format).write(planted, RenderOptions.defaults(), out);
    }
    String rendered = bytes.toString(StandardCharsets.UTF_8);
    assertThat(rendered).contains("SEC-HUGGINGFACE-TOKEN");
    for (String secret : lines("secrets")) {
      assertThat(rendered).as("rendered %s output", format).doesNotContain(secret);
    }
  }

  @Test
  void notebookSourcesAndOutputsAreToldApart() {
    var notebook = planted.findings().stream().filter(f -> f.location().file().endsWith("finetune.ipynb")).toList();
    assertThat(notebook).extracting(f -> f.location().members().get(0))
        .containsExactlyInAnyOrder("cells[1].source", "cells[2].outputs");
    assertThat(notebook).filteredOn(f -> f.location().members().get(0).endsWith("outputs"))
        .singleElement().satisfies(f -> assertThat(f.title()).endsWith("in a notebook output"));
    assertThat(notebook).filteredOn(f -> f.location().members().get(0).endsWith("source"))
        .singleElement().satisfies(f -> assertThat(f.location().line()).isEqualTo(2));
  }

  @Test
  void stringsInsidePicklesAreCheckedWithoutUnpickling() {
    assertThat(planted.findings()).filteredOn(f -> f.location().file().endsWith("training_args.bin"))
        .singleElement()
        .satisfies(f -> {
          assertThat(f.rule().id()).isEqualTo("SEC-HUGGINGFACE-TOKEN");
          assertThat(f.location().hasOffset()).isTrue();
        });
  }

  @Test
  void weightsMetadataIsChecked() {
    assertThat(planted.findings()).filteredOn(f -> f.location().file().endsWith("adapter.safetensors"))
        .singleElement()
        .satisfies(f -> {
          assertThat(f.rule().id()).isEqualTo("SEC-HUGGINGFACE-TOKEN");
          assertThat(f.location().members()).containsExactly("__metadata__.training_args");
        });
  }

  @Test
  void logFindingsCarryTheirLine() {
    Finding databricks = only("SEC-DATABRICKS-TOKEN");
    assertThat(databricks.location().file()).endsWith("train.log");
    assertThat(databricks.location().line()).isEqualTo(2);
    assertThat(databricks.evidence()).startsWith("dapi").contains("sha256:").contains("(36 chars)");
  }

  @Test
  void credentialFilesAreFlaggedByName() {
    assertThat(planted.findings()).filteredOn(f -> f.rule().id().equals("SEC-CREDENTIAL-FILE"))
        .extracting(f -> Path.of(f.location().file()).getFileName().toString())
        .contains(".env", ".netrc", "kaggle.json", "service-account.json", "application_default_credentials.json", ".pypirc");
  }

  @Test
  void fingerprintSurvivesEditsElsewhereInTheFile(@TempDir Path dir) throws IOException {
    String token = "HF_TOKEN=" + lines("secrets").stream().filter(s -> s.startsWith("hf_")).findFirst().orElseThrow();
    Path file = dir.resolve("settings.env");
    Files.writeString(file, token + "\n");
    var before = scan(file).findings().get(0);
    Files.writeString(file, "# added a comment\nLOG_LEVEL=debug\n" + token + "\n");
    var after = scan(file).findings().get(0);
    assertThat(after.location().line()).isEqualTo(3);
    assertThat(after.fingerprint()).isEqualTo(before.fingerprint());
  }

  @Test
  void inlineAllowCommentSuppresses(@TempDir Path dir) throws IOException {
    String token = lines("secrets").stream().filter(s -> s.startsWith("ghp_")).findFirst().orElseThrow();
    Path file = dir.resolve("ci.sh");
    Files.writeString(file, "export GH=" + token + "  # rampart:allow test fixture\nexport GH2=" + token + "\n");
    assertThat(scan(file).findings()).singleElement().satisfies(f -> assertThat(f.location().line()).isEqualTo(2));
  }

  @Test
  void rampartTokenNeedsAValidChecksum(@TempDir Path dir) throws IOException {
    String token = lines("secrets").stream().filter(s -> s.startsWith("rmpu_")).findFirst().orElseThrow();
    String broken = token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A");
    Path file = dir.resolve("tokens.txt");
    Files.writeString(file, "valid " + token + "\nbroken " + broken + "\n");
    assertThat(scan(file).findings()).extracting(f -> f.location().line()).containsExactly(1);
  }

  @Test
  void misconfigOnlyRunsNoSecretRules() throws IOException {
    var report = Scanner.builder().checks(Set.of(Check.MISCONFIG)).build().scan(List.of(Fixtures.path("secrets/planted")));
    assertThat(report.findings()).noneMatch(f -> f.rule().id().startsWith("SEC-"));
  }

  private static Report scan(Path file) throws IOException {
    return Scanner.builder().checks(Set.of(Check.SECRETS)).build().scan(List.of(file));
  }

  private static Finding only(String rule) {
    return planted.findings().stream().filter(f -> f.rule().id().equals(rule)).findFirst().orElseThrow();
  }
}

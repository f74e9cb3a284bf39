package dev.rampart.cli;

import static dev.rampart.cli.ScanCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.rampart.data.monitor.Streams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rampart monitor profile and watch end to end. */
class MonitorCommandTest {
  @TempDir static Path dir;
  static Streams streams;
  static Path profile;

  @BeforeAll
  static void profileTheReference() throws Exception {
    streams = new Streams(Path.of("../data/src/test/resources/datasets/clean/breast_cancer.csv.gz"),
        Path.of("../eval/src/test/resources/models/breast_cancer_logreg.onnx"));
    Path reference = Files.writeString(dir.resolve("reference.csv"), streams.referenceCsv());
    profile = dir.resolve("profile.json");
    var result = run("monitor", "profile", reference.toString(), "--label", "label", "--prediction", "prediction",
        "--probability", "confidence", "-o", profile.toString());
    assertThat(result.code()).as(result.err()).isZero();
    assertThat(result.out()).contains("30 features from 284 rows").containsPattern("reference accuracy 0\\.9\\d\\d")
        .contains("profile sha256:");
    assertThat(Files.readString(profile)).doesNotContain("mean radius\": [");
  }

  private static Path write(String name, Iterable<String> lines) throws Exception {
    return Files.write(dir.resolve(name), lines);
  }

  @Test
  void aQuietStreamPassesAndAFaultFails() throws Exception {
    Path quiet = write("quiet.jsonl", streams.stream(new Streams.Change() {}, true, 3));
    var ok = run("monitor", "watch", "--profile", profile.toString(), "--window", "500", "--label-window", "500",
        quiet.toString());
    assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
    assertThat(ok.out()).contains("No alerts.").contains("20000 events");

    Path stuck = write("stuck.jsonl", streams.stream(new Streams.Change() {
      @Override
      public void features(int i, double[] v, double[] std) {
        v[5] = 0;
      }
    }, false, 4));
    Path html = dir.resolve("report.html");
    var failed = run("monitor", "watch", "--profile", profile.toString(), "--window", "500", "-f", "json",
        "--report", html.toString(), stuck.toString());
    assertThat(failed.code()).isEqualTo(1);
    var json = new ObjectMapper().readTree(failed.out());
    var first = json.at("/monitor/timeline/0");
    assertThat(first.path("kind").asText()).isEqualTo("pipeline-fault");
    assertThat(first.path("event").asLong()).isBetween(10_000L, 10_500L);
    assertThat(first.path("features").get(0).asText()).isEqualTo("mean compactness");
    assertThat(first.at("/atlas/id").asText()).isEqualTo("AML.T0031");
    assertThat(json.path("findings")).anyMatch(f -> f.path("ruleId").asText().equals("MON-PIPELINE-FAULT")
        && f.path("phase").asText().equals("PRODUCTION"));
    var schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
        .getSchema(Files.newInputStream(Path.of("../docs/schema/report-1.0.schema.json")));
    assertThat(schema.validate(json)).isEmpty();
    String page = Files.readString(html);
    assertThat(page).contains("<svg").contains("mean compactness").doesNotContain("<script");
  }

  @Test
  void predictionAndProbabilityColumnsAreRecognisedByTheirConventionalNames() throws Exception {
    // the columns Evidently and NannyML users name prediction and probability, without --prediction/--probability
    String csv = streams.referenceCsv();
    int eol = csv.indexOf('\n');
    String header = csv.substring(0, eol).replace("confidence", "probability");
    assertThat(header).contains("prediction", "probability");
    Path reference = Files.writeString(dir.resolve("conventional.csv"), header + csv.substring(eol));
    Path conventional = dir.resolve("conventional-profile.json");
    var profiled = run("monitor", "profile", reference.toString(), "--label", "label", "-o", conventional.toString());
    assertThat(profiled.code()).as(profiled.err()).isZero();
    assertThat(profiled.out()).contains("30 features from 284 rows").containsPattern("reference accuracy 0\\.9\\d\\d");
    assertThat(profiled.err()).contains("column 'prediction' is taken as the model's prediction")
        .contains("column 'probability' is taken as the probability");

    // events carry both outside their features: no window reports them missing
    Path quiet = write("quiet-conventional.jsonl", streams.stream(new Streams.Change() {}, true, 3));
    var watched = run("monitor", "watch", "--profile", conventional.toString(), "--window", "500", "--label-window",
        "500", quiet.toString());
    assertThat(watched.code()).as(watched.out() + watched.err()).isZero();
    assertThat(watched.out()).contains("No alerts.").doesNotContain("missing");

    // a column under a name no convention knows is profiled as a feature; the fault says how to leave it out
    Path unnamed = Files.writeString(dir.resolve("unnamed.csv"),
        csv.substring(0, eol).replace("confidence", "p_hat") + csv.substring(eol));
    Path unnamedProfile = dir.resolve("unnamed-profile.json");
    assertThat(run("monitor", "profile", unnamed.toString(), "--label", "label", "--prediction", "prediction", "-o",
        unnamedProfile.toString()).code()).isZero();
    var faulted = run("monitor", "watch", "--profile", unnamedProfile.toString(), "--window", "500", quiet.toString());
    assertThat(faulted.code()).isEqualTo(1);
    assertThat(faulted.out()).contains("p_hat").contains("no event has it in its features")
        .contains("--ignore naming it");
  }

  @Test
  void hostileLinesAreCountedAndEscapedInTheReport() throws Exception {
    var lines = new ArrayList<>(streams.stream(new Streams.Change() {}, false, 5).subList(0, 2000));
    lines.add("{\"ts\": \"<script>alert(1)</script>\", \"features\": {\"<img src=x>\": 1}}");
    lines.add("x".repeat(5000));
    lines.add("{\"features\": {\"mean radius\": NaN}}");
    Path stream = write("hostile.jsonl", lines);
    Path html = dir.resolve("hostile.html");
    var result = run("monitor", "watch", "--profile", profile.toString(), "--window", "500", "--max-line-bytes",
        "4096", "--report", html.toString(), "-f", "json", stream.toString());
    var input = new ObjectMapper().readTree(result.out()).at("/monitor/input");
    assertThat(input.path("malformed").asInt()).isEqualTo(1);
    assertThat(input.path("nonFinite").asInt()).isEqualTo(1);
    assertThat(input.path("events").asInt()).isEqualTo(2002);
    assertThat(input.at("/unknownFeatures/<img src=x>").asInt()).isEqualTo(1);
    assertThat(Files.readString(html)).doesNotContain("<script>").doesNotContain("<img");
  }

  @Test
  void aProfileCanScoreTheReferenceWithTheExportedModel() throws Exception {
    Path out = dir.resolve("scored.json");
    var result = run("monitor", "profile", "../data/src/test/resources/datasets/clean/breast_cancer.csv.gz", "--label",
        "label", "--model", "../eval/src/test/resources/models/breast_cancer_logreg.onnx", "-o", out.toString());
    assertThat(result.code()).as(result.err()).isZero();
    assertThat(result.out()).contains("30 features from 569 rows").containsPattern("reference accuracy 0\\.9[5-9]");
    var profileJson = new ObjectMapper().readTree(out.toFile());
    assertThat(profileJson.at("/predictions/malignant").asDouble()).isBetween(0.3, 0.45);
    assertThat(profileJson.at("/performance/estimable").asBoolean()).isTrue();

    var wrongWidth = run("monitor", "profile", "../data/src/test/resources/datasets/clean/wine.csv.gz", "--label",
        "label", "--model", "../eval/src/test/resources/models/breast_cancer_logreg.onnx", "-o", out.toString());
    assertThat(wrongWidth.code()).isEqualTo(2);
    assertThat(wrongWidth.err()).contains("takes 30 features").contains("13 feature columns");
  }

  @Test
  void aProfileThatIsNotOneIsAUsageError() throws Exception {
    Path bogus = Files.writeString(dir.resolve("bogus.json"), "{\"hello\": 1}");
    var result = run("monitor", "watch", "--profile", bogus.toString(), "-");
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).contains("not a Rampart reference profile");
  }
}

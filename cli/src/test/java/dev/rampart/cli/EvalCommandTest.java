package dev.rampart.cli;

import static dev.rampart.cli.ScanCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.rampart.eval.llm.SimulatedChatServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rampart eval robustness end to end on the exported breast cancer classifier. */
class EvalCommandTest {
  private static final String MODEL = "../eval/src/test/resources/models/breast_cancer_logreg.onnx";
  private static final String DATA = "../data/src/test/resources/datasets/clean/breast_cancer.csv.gz";
  private static final String MODELS = "../eval/src/test/resources/models/";
  private static final String DIGITS = "../data/src/test/resources/datasets/clean/digits.csv.gz";

  @Test
  void theFloorDecidesTheExitCodeAndTheJsonIsTheGateRecord() throws Exception {
    var pass = run("eval", "robustness", MODEL, "--data", DATA, "--label", "label", "--eps", "0.05,0.2", "--budget",
        "200", "--samples", "120", "--fail-under", "robust-accuracy@eps=0.05=0.5", "-f", "json");
    assertThat(pass.code()).as(pass.err()).isZero();
    var json = new ObjectMapper().readTree(pass.out());
    var record = json.get("robustness");
    assertThat(record.get("eps").asDouble()).isEqualTo(0.05);
    assertThat(record.get("robust_accuracy").asDouble()).isBetween(0.5, record.get("clean_accuracy").asDouble());
    assertThat(record.get("n").asInt()).isEqualTo(120);
    assertThat(record.get("attacks")).extracting(n -> n.asText()).containsExactly("apgd-ce", "square-linf", "hopskipjump-linf", "random-noise");
    assertThat(record.get("white_box").asBoolean()).isTrue();
    assertThat(record.get("strongest_attack").asText()).isNotBlank();
    assertThat(record.get("robust_accuracy").asDouble())
        .isLessThanOrEqualTo(record.get("white_box_robust_accuracy").asDouble())
        .isLessThanOrEqualTo(record.get("black_box_robust_accuracy").asDouble());
    assertThat(record.at("/by_eps/1/robust_accuracy").asDouble())
        .isLessThanOrEqualTo(record.at("/by_eps/0/robust_accuracy").asDouble());
    assertThat(schema().validate(json)).isEmpty();

    var fail = run("eval", "robustness", MODEL, "--data", DATA, "--label", "label", "--eps", "0.2", "--budget", "200",
        "--samples", "120", "--fail-under", "robust-accuracy@eps=0.2=0.99");
    assertThat(fail.code()).isEqualTo(1);
    assertThat(fail.out()).contains("FAIL");
  }

  @Test
  void theBackdoorProbeFlagsTheBadNetsModelAndPassesItsCleanTwin() throws Exception {
    var poisoned = run("eval", "backdoor", MODELS + "digits_mlp_badnets.onnx", "--data", DIGITS, "--label", "label",
        "--samples", "200", "--invert-steps", "0", "-f", "json");
    assertThat(poisoned.code()).as(poisoned.err()).isEqualTo(1);
    var json = new ObjectMapper().readTree(poisoned.out());
    assertThat(json.at("/backdoor/findings/0/class").asText()).isEqualTo("0");
    assertThat(json.at("/backdoor/findings/0/trigger").asText()).contains("patch = 16");
    assertThat(json.get("findings")).anySatisfy(f -> {
      assertThat(f.get("ruleId").asText()).isEqualTo("EVAL-BACKDOOR-TRIGGER");
      assertThat(f.at("/atlas/id").asText()).isEqualTo("AML.T0018");
    });
    assertThat(schema().validate(json)).isEmpty();

    var clean = run("eval", "backdoor", MODELS + "digits_mlp.onnx", "--data", DIGITS, "--label", "label",
        "--samples", "200", "--invert-steps", "0");
    assertThat(clean.code()).as(clean.err()).isZero();
    assertThat(clean.out()).contains("PASS").doesNotContain("<- trigger");
    // every class has a row in the table, also one that no patch forces more than another class
    for (int digit = 0; digit < 10; digit++) {
      assertThat(clean.out()).containsPattern("(?m)^  " + digit + " +[0-9.]+ ");
    }
  }

  @Test
  void triggerInversionFindsTheBackdoorTheCornerPatchesMissAndShowsItsMask() throws Exception {
    String pair = MODELS + "backdoor/badnets_c_";
    var poisoned = run("eval", "backdoor", pair + "backdoor.onnx", "--data", DIGITS, "--label", "label",
        "--samples", "300", "--max-patch", "1", "--invert-steps", "150", "-f", "json");
    assertThat(poisoned.code()).as(poisoned.err()).isEqualTo(1);
    var json = new ObjectMapper().readTree(poisoned.out());
    var inversion = json.at("/backdoor/inversion");
    assertThat(inversion.get("method").asText()).isEqualTo("gradient");
    assertThat(inversion.get("classes")).hasSize(10);
    assertThat(json.at("/backdoor/findings")).anySatisfy(f -> {
      assertThat(f.get("class").asText()).isEqualTo("5");
      assertThat(f.get("anomaly_index").asDouble()).isGreaterThan(2);
    });
    assertThat(json.get("findings")).anySatisfy(f ->
        assertThat(f.get("ruleId").asText()).isEqualTo("EVAL-BACKDOOR-INVERTED"));
    assertThat(schema().validate(json)).isEmpty();
    // the commands docs/robustness.md shows, on the copies in examples/backdoor
    String example = "../examples/backdoor/";
    var table = run("eval", "backdoor", example + "digits-checkerboard.onnx", "--data", example + "digits.csv.gz",
        "--label", "label", "--samples", "300");
    assertThat(table.code()).as(table.err()).isEqualTo(1);
    assertThat(table.out()).contains("<- backdoor").contains("recovered trigger for '5'").contains("|#");

    var clean = run("eval", "backdoor", example + "digits-clean.onnx", "--data", example + "digits.csv.gz",
        "--label", "label", "--samples", "300");
    assertThat(clean.code()).as(clean.out()).isZero();
    assertThat(clean.out()).doesNotContain("<- backdoor");
  }

  @Test
  void imageModelsTakeEpsilonInPixelLevelsWithinTheDeclaredPixelRange() throws Exception {
    var result = run("eval", "robustness", MODELS + "digits_mlp.onnx", "--data", DIGITS, "--label", "label",
        "--eps", "1,2", "--budget", "300", "--samples", "150", "-f", "json");
    assertThat(result.code()).as(result.err()).isZero();
    var record = new ObjectMapper().readTree(result.out()).get("robustness");
    // white-box PGD measured 0.70 at 1 level and 0.19 at 2 on the held-out rows
    assertThat(record.at("/by_eps/0/robust_accuracy").asDouble()).isBetween(0.55, 0.85);
    assertThat(record.at("/by_eps/1/robust_accuracy").asDouble()).isBetween(0.05, 0.4);
    assertThat(record.get("strongest_attack").asText()).isEqualTo("apgd-ce");
    var blackBox = run("eval", "robustness", "../eval/src/test/resources/models/graph_unsupported.onnx", "--data",
        DIGITS, "--label", "label", "--eps", "1", "--budget", "50", "--samples", "40", "-f", "json");
    assertThat(blackBox.code()).as(blackBox.err()).isZero();
    var fallback = new ObjectMapper().readTree(blackBox.out()).get("robustness");
    assertThat(fallback.get("white_box").asBoolean()).isFalse();
    assertThat(fallback.get("white_box_unavailable").asText()).contains("Erf");
    assertThat(fallback.get("attacks")).extracting(n -> n.asText()).doesNotContain("apgd-ce");
    var bad = run("eval", "robustness", MODELS + "digits_mlp.onnx", "--data", DIGITS, "--label", "label",
        "--eps", "1", "--bounds", "16:0");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("LO:HI");
  }

  @Test
  void llmProbesGateOnAVulnerableEndpointAndPassAHardenedOne() throws Exception {
    try (var server = new SimulatedChatServer(SimulatedChatServer.Behaviour.VULNERABLE)) {
      var result = run("eval", "llm", "--endpoint", server.base().toString(), "--generations", "1", "--rate", "1000",
          "-f", "json");
      assertThat(result.code()).as(result.err()).isEqualTo(1);
      var json = new ObjectMapper().readTree(result.out());
      assertThat(json.at("/llm/categories")).hasSize(6).allSatisfy(c ->
          assertThat(c.get("failure_rate").asDouble()).isEqualTo(1.0));
      assertThat(json.get("findings")).extracting(f -> f.at("/atlas/id").asText())
          .contains("AML.T0051.000", "AML.T0051.001", "AML.T0054", "AML.T0056", "AML.T0057");
      assertThat(schema().validate(json)).isEmpty();
    }
    try (var server = new SimulatedChatServer(SimulatedChatServer.Behaviour.HARDENED)) {
      var result = run("eval", "llm", "--endpoint", server.base().toString(), "--generations", "2", "--rate", "1000",
          "--categories", "jailbreak,pii-leakage");
      assertThat(result.code()).as(result.err()).isZero();
      assertThat(result.out()).contains("jailbreak").contains("pii-leakage").doesNotContain("secret-leakage");
    }
  }

  @Test
  void anEndpointThatAnswersGarbageIsIncompleteNotClean() throws Exception {
    try (var server = new SimulatedChatServer(SimulatedChatServer.Behaviour.GARBAGE)) {
      var result = run("eval", "llm", "--endpoint", server.base().toString(), "--generations", "1", "--rate", "1000",
          "--retries", "0");
      assertThat(result.code()).isEqualTo(3);
      assertThat(result.out()).contains("not JSON").contains("in a row");
    }
    var bad = run("eval", "llm", "--endpoint", "ftp://example.org/v1");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("http(s) URL");
    int closed;
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    var refused = run("eval", "llm", "--endpoint", "http://127.0.0.1:" + closed + "/v1", "--generations", "1",
        "--retries", "0", "--rate", "1000");
    assertThat(refused.code()).as(refused.out() + refused.err()).isEqualTo(3);
    assertThat(refused.out() + refused.err()).contains("connection refused at http://127.0.0.1:" + closed)
        .contains("nothing is listening").doesNotContain("ClosedChannelException");
    var unset = run("eval", "llm", "--endpoint", "http://127.0.0.1:9/v1", "--api-key-env", "RAMPART_TEST_UNSET_KEY");
    assertThat(unset.code()).isEqualTo(2);
    assertThat(unset.err()).contains("RAMPART_TEST_UNSET_KEY").contains("not set");
  }

  @Test
  void numpyArraysWithALabelFileAreEvaluationDataAndPickledOnesAreRefused() throws Exception {
    String npy = "../eval/src/test/resources/data/";
    var result = run("eval", "backdoor", MODELS + "digits_mlp_badnets.onnx", "--data", npy + "digits_heldout_x.npy",
        "--labels", npy + "digits_heldout_y_text.npy", "--samples", "200", "--invert-steps", "0", "-f", "json");
    assertThat(result.code()).as(result.err()).isEqualTo(1);
    assertThat(new ObjectMapper().readTree(result.out()).at("/backdoor/findings/0/class").asText()).isEqualTo("0");
    var missing = run("eval", "backdoor", MODELS + "digits_mlp.onnx", "--data", npy + "digits_heldout_x.npy");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("--labels");
    var pickled = run("eval", "backdoor", MODELS + "digits_mlp.onnx", "--data", npy + "digits_heldout_x.npy",
        "--labels", npy + "labels_pickled_object_array.npy");
    assertThat(pickled.code()).isEqualTo(3);
    assertThat(pickled.err()).contains("never loads").doesNotContain("bug");
    var wrongWidth = run("eval", "robustness", MODELS + "breast_cancer_mlp.onnx", "--data",
        npy + "digits_heldout_x.npy", "--labels", npy + "digits_heldout_y.npy", "--eps", "0.1");
    assertThat(wrongWidth.code()).isEqualTo(2);
    assertThat(wrongWidth.err()).contains("takes 30 values per row").contains("[898, 1, 8, 8]");
  }

  private static com.networknt.schema.Schema schema() throws Exception {
    return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
        .getSchema(Files.newInputStream(Path.of("../docs/schema/report-1.0.schema.json")));
  }

  @Test
  void badInputIsAClearUsageError(@TempDir Path dir) throws Exception {
    var wrong = run("eval", "robustness", MODEL, "--data", "../data/src/test/resources/datasets/clean/wine.csv.gz",
        "--label", "label", "--eps", "0.1");
    assertThat(wrong.code()).isEqualTo(2);
    assertThat(wrong.err()).contains("takes 30 features");
    Path notOnnx = Files.writeString(dir.resolve("m.onnx"), "not a model");
    var bad = run("eval", "robustness", notOnnx.toString(), "--data", DATA, "--label", "label", "--eps", "0.1");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("not a model ONNX Runtime can load");
    var spec = run("eval", "robustness", MODEL, "--data", DATA, "--label", "label", "--eps", "0.1", "--fail-under",
        "0.8");
    assertThat(spec.code()).isEqualTo(2);
    assertThat(spec.err()).contains("robust-accuracy@eps=");
  }
}

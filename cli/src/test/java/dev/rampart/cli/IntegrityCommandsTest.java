package dev.rampart.cli;

import static dev.rampart.cli.ScanCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keygen, sign, verify, hash, provenance, bom and log as a user runs them. */
class IntegrityCommandsTest {
  @TempDir Path tmp;
  Path model;
  Path key;

  @BeforeEach
  void setUp() throws Exception {
    model = Files.createDirectories(tmp.resolve("model"));
    Files.copy(Path.of("../examples/models/clean/classifier.onnx"), model.resolve("classifier.onnx"));
    Files.writeString(model.resolve("config.json"), "{\"labels\":3}");
    key = tmp.resolve("k.pem");
    assertThat(run("keygen", "--curve", "p384", "-o", key.toString()).code()).isZero();
  }

  @Test
  void signThenVerifyThenTamper() throws Exception {
    var signed = run("sign", model.toString(), "--key", key.toString());
    assertThat(signed.code()).as(signed.err()).isZero();
    assertThat(model.resolve("model.sig")).exists();
    var ok = run("verify", model.toString(), "--key", tmp.resolve("k.pub.pem").toString());
    assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
    assertThat(ok.out()).startsWith("VERIFIED");
    String digest = run("hash", model.toString()).out().lines().reduce((a, b) -> b).orElseThrow();
    assertThat(ok.out()).contains(digest.substring(0, digest.indexOf(' ')));

    Files.writeString(model.resolve("config.json"), "{\"labels\":4}");
    var bad = run("verify", model.toString(), "--key", tmp.resolve("k.pub.pem").toString(), "-f", "json");
    assertThat(bad.code()).isEqualTo(1);
    var json = new ObjectMapper().readTree(bad.out());
    assertThat(json.at("/findings/0/ruleId").asText()).isEqualTo("SIG-MODEL-MODIFIED");
    assertThat(json.at("/findings/0/location/path").asText()).endsWith("model/config.json");
    assertThat(json.at("/findings/0/atlas/id").asText()).isEqualTo("AML.T0010.003");
    // the table speaks of a signature check, not of a scan that skipped files
    var table = run("verify", model.toString(), "--key", tmp.resolve("k.pub.pem").toString(), "--no-color");
    assertThat(table.code()).isEqualTo(1);
    assertThat(table.out()).contains("FAILED: model " + model + " checked against its signature, 1 finding(s) (1 critical)")
        .contains("reason: the model does not match its signature")
        .doesNotContain("skipped as not model artifacts", "archive member(s)", "UNSAFE");
  }

  @Test
  void anUnsignedModelFailsVerification() {
    var r = run("verify", model.toString(), "--key", tmp.resolve("k.pub.pem").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("SIG-MALFORMED", "unsigned");
  }

  @Test
  void verifyNeedsExactlyOneKindOfTrust() {
    assertThat(run("verify", model.toString()).code()).isEqualTo(2);
    assertThat(run("verify", model.toString(), "--key", "a", "--cert-chain", "b").code()).isEqualTo(2);
  }

  @Test
  void referenceFixtureVerifiesFromTheCommandLine() throws Exception {
    Path oms = Path.of("../integrity/src/test/resources/oms");
    var r = run("verify", oms.resolve("signed-models/v1.1.0-sigstore").toString(),
        "--trust-root", oms.resolve("trust/trusted_root.json").toString(),
        "--identity", "stefanb@us.ibm.com", "--issuer", "https://sigstore.verify.ibm.com/oauth2");
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("sigstore stefanb@us.ibm.com");
  }

  @Test
  void provenanceAndBom() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("data"));
    Files.writeString(data.resolve("train.csv"), "x,label\n1,0\n");
    Path prov = tmp.resolve("prov.json");
    var created = run("provenance", "create", model.toString(), "--key", key.toString(), "--builder-id", "https://ci.example.com",
        "--dataset", "train=" + data, "--code-commit", "abcdef1", "--param", "epochs=3", "-o", prov.toString());
    assertThat(created.code()).as(created.err()).isZero();
    var ok = run("provenance", "verify", model.toString(), "--provenance", prov.toString(), "--key", tmp.resolve("k.pub.pem").toString(),
        "--dataset", "train=" + data);
    assertThat(ok.code()).as(ok.out()).isZero();
    Files.writeString(data.resolve("train.csv"), "x,label\n1,1\n");
    var broken = run("provenance", "verify", model.toString(), "--provenance", prov.toString(), "--key",
        tmp.resolve("k.pub.pem").toString(), "--dataset", "train=" + data);
    assertThat(broken.code()).isEqualTo(1);
    assertThat(broken.out()).contains("BROKEN provenance → dataset train");
    Path bom = tmp.resolve("bom.json");
    assertThat(run("bom", model.toString(), "--provenance", prov.toString(), "-o", bom.toString()).code()).isZero();
    assertThat(new ObjectMapper().readTree(bom.toFile()).at("/components/0/type").asText()).isEqualTo("machine-learning-model");
  }

  @Test
  void logAppendProveVerify() throws Exception {
    Path log = tmp.resolve("audit");
    for (int i = 0; i < 5; i++) {
      Path e = tmp.resolve("e" + i);
      Files.writeString(e, "{\"event\":" + i + "}");
      assertThat(run("log", "append", "--log", log.toString(), e.toString()).code()).isZero();
    }
    var proof = new ObjectMapper().readTree(run("log", "prove", "--log", log.toString(), "--index", "2").out());
    assertThat(proof.get("inclusionProof").size()).isEqualTo(3);
    var cons = new ObjectMapper().readTree(run("log", "prove", "--log", log.toString(), "--from", "3").out());
    assertThat(cons.get("consistencyProof").size()).isPositive();
    assertThat(run("log", "verify", "--log", log.toString()).code()).isZero();
    byte[] entries = Files.readAllBytes(log.resolve("entries"));
    String text = new String(entries, StandardCharsets.ISO_8859_1).replace("\"event\":3", "\"event\":9");
    Files.write(log.resolve("entries"), text.getBytes(StandardCharsets.ISO_8859_1));
    var tampered = run("log", "verify", "--log", log.toString());
    assertThat(tampered.code()).isEqualTo(1);
    assertThat(tampered.out()).contains("entry 3 was modified");
  }

  @Test
  void logVerifyNamesAModifiedLastEntryAndChangesNothing() throws Exception {
    Path log = tmp.resolve("audit");
    for (int i = 0; i < 4; i++) {
      Path e = tmp.resolve("e" + i);
      Files.writeString(e, "{\"event\":" + i + "}");
      assertThat(run("log", "append", "--log", log.toString(), e.toString()).code()).isZero();
    }
    byte[] entries = Files.readAllBytes(log.resolve("entries"));
    String text = new String(entries, StandardCharsets.ISO_8859_1).replace("\"event\":3", "\"event\":9");
    Files.write(log.resolve("entries"), text.getBytes(StandardCharsets.ISO_8859_1));
    byte[] edited = Files.readAllBytes(log.resolve("entries"));
    var verify = run("log", "verify", "--log", log.toString());
    assertThat(verify.code()).isEqualTo(1);
    assertThat(verify.out()).contains("entry 3 was modified").doesNotContain("removed");
    var repair = run("log", "repair", "--log", log.toString());
    assertThat(repair.code()).isEqualTo(1);
    assertThat(Files.readAllBytes(log.resolve("entries"))).isEqualTo(edited);
  }

  @Test
  void aTornTailIsReportedByVerifyAndRemovedByRepair() throws Exception {
    Path log = tmp.resolve("audit");
    Path e = tmp.resolve("e");
    Files.writeString(e, "{\"event\":1}");
    assertThat(run("log", "append", "--log", log.toString(), e.toString()).code()).isZero();
    Files.write(log.resolve("entries"), new byte[] {0, 0, 0, 40, 1, 2}, java.nio.file.StandardOpenOption.APPEND);
    long size = Files.size(log.resolve("entries"));
    var verify = run("log", "verify", "--log", log.toString());
    assertThat(verify.code()).isZero();
    assertThat(verify.out()).contains("TORN-TAIL").contains("rampart log repair");
    assertThat(Files.size(log.resolve("entries"))).isEqualTo(size);
    assertThat(run("log", "append", "--log", log.toString(), e.toString()).code()).isNotZero();
    var repair = run("log", "repair", "--log", log.toString());
    assertThat(repair.code()).isZero();
    assertThat(repair.out()).contains("REPAIRED: torn write");
    assertThat(run("log", "append", "--log", log.toString(), e.toString()).code()).isZero();
  }
}

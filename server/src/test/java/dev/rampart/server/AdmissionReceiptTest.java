package dev.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.integrity.log.Checkpoint;
import dev.rampart.integrity.log.LogException;
import dev.rampart.integrity.log.Receipt;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An admission answer asked for with {@code ?receipt=true} carries its audit entry, the signed checkpoint that covers
 * it and the inclusion proof: verifiable offline with the log's key alone, and useless once altered.
 */
class AdmissionReceiptTest extends ServerFixture {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  RampartServer.Config config(Path dataDir) {
    return RampartServer.Config.embedded(dataDir, 0).withH2();
  }

  PublicKey logKey() throws Exception {
    String pem = http.get("/api/v1/audit/key", dave).body();
    byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
  }

  JsonNode admitWithReceipt(String env, String digest) {
    var r = http.post("/api/v1/projects/iris/environments/" + env + "/admission?receipt=true", bot, Map.of("digest", digest));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  @Test
  void allowedAndDeniedAnswersCarryReceiptsThatVerifyOfflineAndNameTheDecision() throws Exception {
    registerLineage();
    var good = upload(alice, "m", benignModel("good", "{\"v\":1}"), key, null, "train-1").json();
    deploy("m", 1, "staging");
    String digest = good.get("digest").asText();
    var allowed = admitWithReceipt("staging", digest);
    assertThat(allowed.get("allowed").asBoolean()).isTrue();
    var v = Receipt.parse(JSON.writeValueAsBytes(allowed.get("receipt"))).verify(logKey());
    assertThat(v.entry().get("type").asText()).isEqualTo("admission.allowed");
    assertThat(v.entry().get("digest").asText()).isEqualTo(digest);
    assertThat(v.entry().get("environment").asText()).isEqualTo("staging");
    assertThat(v.entry().get("actor").asText()).isEqualTo("deploy-bot");
    // the checkpoint is the one the server publishes, and later ones extend it
    String published = http.get("/api/v1/audit/checkpoint", dave).body();
    assertThat(Checkpoint.verify(published, v.checkpoint().origin(), logKey()).size()).isGreaterThanOrEqualTo(v.checkpoint().size());

    var denied = admitWithReceipt("production", digest);
    assertThat(denied.get("allowed").asBoolean()).isFalse();
    var d = Receipt.parse(JSON.writeValueAsBytes(denied.get("receipt"))).verify(logKey());
    assertThat(d.entry().get("type").asText()).isEqualTo("admission.denied");
    // without the parameter, no receipt
    assertThat(admit("staging", digest).has("receipt")).isFalse();
  }

  @Test
  void aReceiptWhoseDecisionWasFlippedDoesNotVerify() throws Exception {
    registerLineage();
    var good = upload(alice, "m", benignModel("good", "{\"v\":1}"), key, null, "train-1").json();
    var denied = admitWithReceipt("staging", good.get("digest").asText());
    assertThat(denied.get("allowed").asBoolean()).isFalse();
    var forged = (ObjectNode) denied.get("receipt").deepCopy();
    forged.put("entry", forged.get("entry").asText().replace("admission.denied", "admission.allowed"));
    assertThatThrownBy(() -> Receipt.parse(JSON.writeValueAsBytes(forged)).verify(logKey()))
        .isInstanceOf(LogException.BadProof.class).hasMessageContaining("not included");
  }
}

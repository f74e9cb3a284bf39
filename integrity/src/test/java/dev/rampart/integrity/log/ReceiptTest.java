package dev.rampart.integrity.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An audit receipt verifies offline under the log's key, and any edit to any part of it fails. */
class ReceiptTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ORIGIN = "rampart.test/audit";

  private final KeyPair log = ed25519();
  private final List<String> entries = new ArrayList<>();
  private final MerkleLevels tree = new MerkleLevels();

  ReceiptTest() {
    for (int i = 0; i < 11; i++) {
      String e = "{\"actor\":\"deploy-bot\",\"digest\":\"" + "ab".repeat(32) + "\",\"environment\":\"staging\",\"index\":" + i
          + ",\"type\":\"admission.allowed\"}";
      entries.add(e);
      tree.append(Merkle.leafHash(e.getBytes(StandardCharsets.UTF_8)));
    }
  }

  static KeyPair ed25519() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  Receipt receipt(int index) {
    String note = new Checkpoint(ORIGIN, tree.size(), tree.root()).sign(ORIGIN, log.getPrivate(), log.getPublic());
    return new Receipt(index, entries.get(index), note, Merkle.inclusionProof(tree, index, tree.size()));
  }

  byte[] json(Receipt r) throws Exception {
    return JSON.writeValueAsBytes(r.toJson());
  }

  @Test
  void everyEntryOfTheTreeHasAReceiptThatVerifiesAfterARoundTripThroughJson() throws Exception {
    for (int i = 0; i < entries.size(); i++) {
      var v = Receipt.parse(json(receipt(i))).verify(log.getPublic());
      assertThat(v.checkpoint().size()).isEqualTo(11);
      assertThat(v.entry().get("index").asInt()).isEqualTo(i);
    }
  }

  @Test
  void anEditedEntryIsRefused() throws Exception {
    var r = receipt(3);
    var forged = new Receipt(3, r.entry().replace("admission.allowed", "admission.denied"), r.checkpoint(), r.inclusionProof());
    assertThatThrownBy(() -> Receipt.parse(json(forged)).verify(log.getPublic())).isInstanceOf(LogException.BadProof.class)
        .hasMessageContaining("not included at index 3");
  }

  @Test
  void anotherEntrysIndexOrProofIsRefused() throws Exception {
    var r = receipt(4);
    var moved = new Receipt(5, r.entry(), r.checkpoint(), r.inclusionProof());
    assertThatThrownBy(() -> moved.verify(log.getPublic())).isInstanceOf(LogException.BadProof.class);
    var swapped = new Receipt(4, r.entry(), r.checkpoint(), receipt(5).inclusionProof());
    assertThatThrownBy(() -> swapped.verify(log.getPublic())).isInstanceOf(LogException.BadProof.class);
    var outside = new Receipt(11, r.entry(), r.checkpoint(), r.inclusionProof());
    assertThatThrownBy(() -> outside.verify(log.getPublic())).hasMessageContaining("outside the signed tree of 11");
  }

  @Test
  void aCheckpointWithAnAlteredSizeOrRootOrUnderAnotherKeyIsRefused() throws Exception {
    var r = receipt(2);
    var lines = r.checkpoint().split("\n", -1);
    lines[1] = "12";
    var resized = new Receipt(2, r.entry(), String.join("\n", lines), r.inclusionProof());
    assertThatThrownBy(() -> resized.verify(log.getPublic())).isInstanceOf(LogException.BadCheckpoint.class);
    assertThatThrownBy(() -> r.verify(ed25519().getPublic())).isInstanceOf(LogException.BadCheckpoint.class);
    // a checkpoint honestly signed by another log's key does not stand in for this log
    var other = ed25519();
    String foreign = new Checkpoint(ORIGIN, tree.size(), tree.root()).sign(ORIGIN, other.getPrivate(), other.getPublic());
    assertThatThrownBy(() -> new Receipt(2, r.entry(), foreign, r.inclusionProof()).verify(log.getPublic()))
        .isInstanceOf(LogException.BadCheckpoint.class);
  }

  @Test
  void malformedReceiptsAreRefusedWithTheReason() throws Exception {
    assertThatThrownBy(() -> Receipt.parse("not json".getBytes(StandardCharsets.UTF_8))).hasMessageContaining("not JSON");
    var node = (ObjectNode) JSON.valueToTree(receipt(1).toJson());
    node.put("format", "something-else");
    assertThatThrownBy(() -> Receipt.parse(JSON.writeValueAsBytes(node))).hasMessageContaining("not a rampart-audit-receipt/v1");
    var bad = (ObjectNode) JSON.valueToTree(receipt(1).toJson());
    bad.withArray("inclusionProof").set(0, JSON.getNodeFactory().textNode("AAAA"));
    assertThatThrownBy(() -> Receipt.parse(JSON.writeValueAsBytes(bad))).hasMessageContaining("3 bytes");
    var huge = (ObjectNode) JSON.valueToTree(receipt(1).toJson());
    for (int i = 0; i < 70; i++) {
      huge.withArray("inclusionProof").add("AA");
    }
    assertThatThrownBy(() -> Receipt.parse(JSON.writeValueAsBytes(huge))).hasMessageContaining("at most 64");
  }
}

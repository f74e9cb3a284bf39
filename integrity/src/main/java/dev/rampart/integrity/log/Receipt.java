package dev.rampart.integrity.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An offline-verifiable receipt for one audit entry: the entry's exact bytes, its index, a signed checkpoint of a tree
 * that contains it, and the RFC 9162 inclusion proof of the entry in that tree. Whoever holds the log's public key can
 * check, without the server, that the log committed to this entry under that signature.
 *
 * <pre>
 * {"format": "rampart-audit-receipt/v1", "index": 41, "entry": "{...}", "checkpoint": "origin\n42\n...", "inclusionProof": ["base64", ...]}
 * </pre>
 */
public record Receipt(long index, String entry, String checkpoint, List<byte[]> inclusionProof) {
  public static final String FORMAT = "rampart-audit-receipt/v1";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_PROOF = 64;

  public Receipt {
    inclusionProof = List.copyOf(inclusionProof);
  }

  /** What a verified receipt proves: the checkpoint it is included in and the entry, parsed. */
  public record Verified(Checkpoint checkpoint, JsonNode entry) {}

  public Map<String, Object> toJson() {
    var out = new LinkedHashMap<String, Object>();
    out.put("format", FORMAT);
    out.put("index", index);
    out.put("entry", entry);
    out.put("checkpoint", checkpoint);
    out.put("inclusionProof", inclusionProof.stream().map(b -> Base64.getEncoder().encodeToString(b)).toList());
    return out;
  }

  /** Reads a receipt; anything malformed is a {@link LogException.BadProof} naming what is wrong. */
  public static Receipt parse(byte[] json) throws LogException {
    JsonNode n;
    try {
      n = JSON.readTree(json);
    } catch (IOException e) {
      throw new LogException.BadProof("the receipt is not JSON: " + e.getMessage());
    }
    if (n == null || !FORMAT.equals(n.path("format").asText())) {
      throw new LogException.BadProof("not a " + FORMAT + " receipt");
    }
    JsonNode proof = n.path("inclusionProof");
    if (!n.path("index").isIntegralNumber() || !n.path("entry").isTextual() || !n.path("checkpoint").isTextual()
        || !proof.isArray() || proof.size() > MAX_PROOF) {
      throw new LogException.BadProof("the receipt needs index, entry, checkpoint and inclusionProof (at most " + MAX_PROOF
          + " hashes)");
    }
    var hashes = new ArrayList<byte[]>();
    for (JsonNode h : proof) {
      try {
        byte[] b = Base64.getDecoder().decode(h.asText());
        if (b.length != Merkle.HASH_SIZE) {
          throw new IllegalArgumentException("a proof hash is " + b.length + " bytes");
        }
        hashes.add(b);
      } catch (IllegalArgumentException e) {
        throw new LogException.BadProof("the receipt's inclusion proof is malformed: " + e.getMessage());
      }
    }
    return new Receipt(n.get("index").asLong(), n.get("entry").asText(), n.get("checkpoint").asText(), hashes);
  }

  /**
   * Verifies the checkpoint's signature under the log's key (its origin is the checkpoint's first line), then that the
   * entry's leaf hash sits at its index in the signed tree. Any edit to the entry, index, proof or checkpoint fails.
   */
  public Verified verify(PublicKey logKey) throws LogException {
    String origin = checkpoint.lines().findFirst().orElse("");
    Checkpoint cp = Checkpoint.verify(checkpoint, origin, logKey);
    if (index < 0 || index >= cp.size()) {
      throw new LogException.BadProof("entry " + index + " is outside the signed tree of " + cp.size() + " entries");
    }
    byte[] leaf = Merkle.leafHash(entry.getBytes(StandardCharsets.UTF_8));
    if (!Merkle.verifyInclusion(index, cp.size(), leaf, inclusionProof, cp.root())) {
      throw new LogException.BadProof("the entry is not included at index " + index + " in the signed tree of " + cp.size()
          + " entries: the entry, its index or the proof was altered");
    }
    try {
      return new Verified(cp, JSON.readTree(entry));
    } catch (IOException e) {
      throw new LogException.BadProof("the signed entry is not JSON: " + e.getMessage());
    }
  }
}

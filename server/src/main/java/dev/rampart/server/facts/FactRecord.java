package dev.rampart.server.facts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.server.Json;
import java.time.OffsetDateTime;

/**
 * One submitted fact about a digest, as it stands now: verified when its bundle verifies with a key the project trusts
 * today for its predicate type, otherwise an unverified claim that may block a gate but never satisfy one.
 *
 * @param type the short predicate type (robustness, backdoor, llm, dataset-check, provenance, scan) or evaluation:NAME
 * @param attestedBy the key that signed it when verified, else who submitted it
 * @param detail why it does not count, when it does not
 */
public record FactRecord(long id, String type, boolean verified, String attestedBy, String detail, JsonNode predicate,
    String statementSha256, String submittedBy, OffsetDateTime at) {

  public ObjectNode toJson() {
    var o = Json.MAPPER.createObjectNode();
    o.put("id", id).put("type", type).put("verified", verified).put("attestedBy", attestedBy).put("detail", detail)
        .put("statementSha256", statementSha256).put("submittedBy", submittedBy).put("at", at.toString());
    o.set("predicate", predicate);
    return o;
  }
}

package dev.rampart.server.gate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.server.Json;
import dev.rampart.server.domain.InvalidInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** An environment's policy: a mode and named rules. Its hash identifies exactly which policy decided. */
public record GatePolicy(Mode mode, List<PolicyRule> rules) {
  /** enforce blocks on a failed rule, warn records it and lets the promotion go on, off skips the gate. */
  public enum Mode {
    ENFORCE,
    WARN,
    OFF;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public GatePolicy {
    rules = List.copyOf(rules);
  }

  public ObjectNode toJson() {
    var o = Json.MAPPER.createObjectNode();
    o.put("mode", mode.wire());
    var arr = o.putArray("rules");
    for (PolicyRule r : rules) {
      arr.addObject().put("name", r.name()).put("expression", r.expression()).put("message", r.message());
    }
    return o;
  }

  public String canonical() {
    return Json.write(toJson());
  }

  public String sha256() {
    return dev.rampart.core.Sha256.of(canonical());
  }

  public static GatePolicy parse(JsonNode n) {
    Mode mode;
    try {
      mode = Mode.valueOf(n.path("mode").asText("enforce").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidInput(InvalidInput.Reason.INVALID_POLICY, "mode must be enforce, warn or off");
    }
    var rules = new ArrayList<PolicyRule>();
    if (!n.path("rules").isArray()) {
      throw new InvalidInput(InvalidInput.Reason.INVALID_POLICY, "'rules' must be a list of {name, expression, message}");
    }
    for (JsonNode r : n.get("rules")) {
      String name = r.path("name").asText("");
      if (!name.matches("[a-z0-9][a-z0-9-]{0,60}")) {
        throw new InvalidInput(InvalidInput.Reason.INVALID_POLICY, "rule names are lower-case words joined by '-': '" + name + "'");
      }
      String expr = r.path("expression").asText("");
      if (expr.isBlank() || expr.length() > 4000) {
        throw new InvalidInput(InvalidInput.Reason.INVALID_POLICY, "rule '" + name + "' needs an expression (at most 4000 characters)");
      }
      rules.add(new PolicyRule(name, expr, r.path("message").asText(name)));
    }
    if (rules.stream().map(PolicyRule::name).distinct().count() != rules.size()) {
      throw new InvalidInput(InvalidInput.Reason.INVALID_POLICY, "rule names must be unique");
    }
    return new GatePolicy(mode, rules);
  }
}

package dev.rampart.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks answers the server gave against its own OpenAPI document: the documented success status, and the body
 * against the documented JSON Schema (types, required and undeclared properties, enums, references). The server
 * suites run every answer they received through it, so the document cannot drift from what the server sends.
 */
final class Conformance {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request and its answer. */
  record Exchange(String method, String path, int status, String contentType, String body) {}

  private final JsonNode doc;
  private final List<String> problems = new ArrayList<>();

  Conformance(JsonNode doc) {
    this.doc = doc;
  }

  /** What did not conform, one line each; empty when everything did. */
  List<String> check(List<Exchange> exchanges) {
    for (Exchange e : exchanges) {
      check(e);
    }
    return problems;
  }

  private void check(Exchange e) {
    String path = e.path().replaceFirst("\\?.*", "");
    if (!path.startsWith("/api/")) {
      return;
    }
    String where = e.method() + " " + e.path() + " -> " + e.status();
    JsonNode op = operation(e.method(), path);
    if (e.status() >= 400) {
      if (e.status() == 405 || e.status() == 404 && op == null) {
        return; // no such route: answered by the framework's fallback, still with the error body
      }
      JsonNode own = op == null ? null : op.path("responses").path(Integer.toString(e.status()))
          .path("content").path("application/json").path("schema");
      validate(where, parse(where, e.body()), own == null || own.isMissingNode() ? ref("#/components/schemas/Error") : own,
          "$");
      return;
    }
    if (op == null) {
      problems.add(where + ": no operation in the document");
      return;
    }
    var documented = new ArrayList<String>();
    op.path("responses").fieldNames().forEachRemaining(documented::add);
    JsonNode response = op.path("responses").path(Integer.toString(e.status()));
    if (response.isMissingNode()) {
      problems.add(where + ": status not documented (documented: " + documented + ")");
      return;
    }
    if (!response.has("content")) {
      if (!e.body().isEmpty()) {
        problems.add(where + ": documented without a body, answered " + preview(e.body()));
      }
      return;
    }
    JsonNode json = response.path("content").path("application/json");
    if (json.isMissingNode()) {
      return; // text or a CycloneDX document: not JSON Schema territory
    }
    validate(where, parse(where, e.body()), json.path("schema"), "$");
  }

  private JsonNode parse(String where, String body) {
    try {
      return JSON.readTree(body);
    } catch (Exception ex) {
      problems.add(where + ": not JSON: " + preview(body));
      return JSON.nullNode();
    }
  }

  private JsonNode operation(String method, String path) {
    JsonNode best = null;
    int bestLiterals = -1;
    for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("paths").fields(); it.hasNext(); ) {
      var p = it.next();
      String template = p.getKey();
      String regex = Pattern.quote(template).replaceAll("\\{[a-zA-Z]+}", "\\\\E[^/]+\\\\Q");
      if (path.matches(regex) && p.getValue().has(method.toLowerCase(java.util.Locale.ROOT))) {
        int literals = template.replaceAll("\\{[a-zA-Z]+}", "").length();
        if (literals > bestLiterals) {
          best = p.getValue().get(method.toLowerCase(java.util.Locale.ROOT));
          bestLiterals = literals;
        }
      }
    }
    return best;
  }

  private JsonNode ref(String ref) {
    return doc.at(ref.substring(1));
  }

  private boolean matches(JsonNode value, JsonNode schema) {
    var saved = problems.size();
    validate("", value, schema, "$");
    boolean ok = problems.size() == saved;
    while (problems.size() > saved) {
      problems.remove(problems.size() - 1);
    }
    return ok;
  }

  private void validate(String where, JsonNode v, JsonNode schema, String at) {
    if (schema.has("$ref")) {
      JsonNode target = ref(schema.get("$ref").asText());
      if (target.isMissingNode()) {
        problems.add(where + ": dangling " + schema.get("$ref").asText());
        return;
      }
      validate(where, v, target, at);
      return;
    }
    if (schema.has("oneOf") || schema.has("anyOf")) {
      JsonNode options = schema.has("oneOf") ? schema.get("oneOf") : schema.get("anyOf");
      for (JsonNode o : options) {
        if (matches(v, o)) {
          return;
        }
      }
      problems.add(where + " at " + at + ": " + preview(v.toString()) + " matches none of " + options);
      return;
    }
    if (!schema.has("type")) {
      return; // any value
    }
    String type = schema.get("type").asText();
    boolean ok = switch (type) {
      case "object" -> v.isObject();
      case "array" -> v.isArray();
      case "string" -> v.isTextual();
      case "integer" -> v.isIntegralNumber();
      case "number" -> v.isNumber();
      case "boolean" -> v.isBoolean();
      case "null" -> v.isNull();
      default -> false;
    };
    if (!ok) {
      problems.add(where + " at " + at + ": expected " + type + ", got " + preview(v.toString()));
      return;
    }
    if (schema.has("enum")) {
      boolean listed = false;
      for (JsonNode e : schema.get("enum")) {
        listed |= e.equals(v);
      }
      if (!listed) {
        problems.add(where + " at " + at + ": " + v + " is not one of " + schema.get("enum"));
      }
    }
    if (type.equals("array")) {
      int i = 0;
      for (JsonNode item : v) {
        validate(where, item, schema.path("items"), at + "[" + i++ + "]");
      }
    }
    if (type.equals("object")) {
      JsonNode props = schema.path("properties");
      for (JsonNode r : schema.path("required")) {
        if (!v.has(r.asText())) {
          problems.add(where + " at " + at + ": required '" + r.asText() + "' is missing");
        }
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
        var f = it.next();
        if (props.has(f.getKey())) {
          validate(where, f.getValue(), props.get(f.getKey()), at + "." + f.getKey());
        } else if (schema.path("additionalProperties").isObject()) {
          validate(where, f.getValue(), schema.get("additionalProperties"), at + "." + f.getKey());
        } else if (schema.path("additionalProperties").isBoolean() && !schema.get("additionalProperties").asBoolean()) {
          problems.add(where + " at " + at + ": undocumented property '" + f.getKey() + "'");
        }
      }
    }
  }

  private static String preview(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}

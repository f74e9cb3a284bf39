package dev.rampart.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.server.Json;
import dev.rampart.server.auth.Permission;
import dev.rampart.server.domain.Code;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenAPI 3.1 description of the API, generated from the same route table the server runs: every route with its
 * operation id, parameters, request body and answers, the records they use as components, and the error body with
 * every stable code. A copy is committed as {@code docs/openapi.json}, and a test keeps the two equal.
 */
public final class OpenApi {
  private static final Pattern PARAM = Pattern.compile("\\{([a-zA-Z]+)}");
  /** Path parameters that are numbers; every other one is a name or a digest. */
  private static final java.util.Set<String> NUMERIC = java.util.Set.of("version", "id");

  private OpenApi() {}

  static String document(List<Route> routes, String version) {
    ObjectNode doc = Json.MAPPER.createObjectNode();
    doc.put("openapi", "3.1.0");
    doc.putObject("info").put("title", "Rampart API").put("version", version)
        .put("description", "Registry, lineage, policy gates, approvals, admission, rollback and audit for ML models.");
    doc.putArray("servers").addObject().put("url", "/");
    var paths = doc.putObject("paths");
    Map<Class<? extends Record>, ObjectNode> components = new LinkedHashMap<>();
    for (Route r : routes) {
      var item = paths.has(r.path()) ? (ObjectNode) paths.get(r.path()) : paths.putObject(r.path());
      var op = item.putObject(r.method().name().toLowerCase(Locale.ROOT));
      Doc d = r.doc();
      op.put("operationId", d.operationId());
      op.put("summary", r.summary());
      op.put("x-rampart-permission", r.permission().name().toLowerCase(Locale.ROOT));
      if (r.permission() != Permission.PUBLIC) {
        op.putArray("security").addObject().putArray("bearer");
      }
      var params = op.putArray("parameters");
      Matcher m = PARAM.matcher(r.path());
      while (m.find()) {
        params.addObject().put("name", m.group(1)).put("in", "path").put("required", true)
            .set("schema", (NUMERIC.contains(m.group(1)) ? Schema.INTEGER : Schema.STRING).toJson(components));
      }
      d.query().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(q -> params.addObject()
          .put("name", q.getKey()).put("in", "query").put("required", false).set("schema", q.getValue().toJson(components)));
      if (d.request() != null) {
        op.putObject("requestBody").put("required", true).putObject("content").putObject(d.requestMedia())
            .set("schema", d.request().toJson(components));
      }
      var responses = op.putObject("responses");
      var ok = responses.putObject(Integer.toString(d.status())).put("description", d.status() == 204 ? "done" : "success");
      if (d.response() != null) {
        ok.putObject("content").putObject(d.responseMedia()).set("schema", d.response().toJson(components));
      }
      d.refusals().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> responses
          .putObject(Integer.toString(e.getKey())).put("description", "refused").putObject("content")
          .putObject(Doc.JSON).set("schema", e.getValue().toJson(components)));
      responses.putObject("default").put("description", "a refusal with a stable code").putObject("content")
          .putObject("application/json").putObject("schema").put("$ref", "#/components/schemas/Error");
    }
    if (components.keySet().stream().map(Class::getSimpleName).distinct().count() != components.size()) {
      throw new IllegalStateException("two records of the API share a simple name: " + components.keySet());
    }
    var schemas = Json.MAPPER.createObjectNode();
    var error = schemas.putObject("Error").put("type", "object");
    error.putArray("required").add("error");
    var inner = error.putObject("properties").putObject("error").put("type", "object");
    inner.putArray("required").add("code").add("message");
    var props = inner.putObject("properties");
    var codes = props.putObject("code").put("type", "string").putArray("enum");
    for (Code c : Code.all()) {
      codes.add(c.wire());
    }
    props.putObject("message").put("type", "string");
    components.entrySet().stream().sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(Class::getSimpleName)))
        .forEach(e -> schemas.set(e.getKey().getSimpleName(), e.getValue()));
    var comps = doc.putObject("components");
    comps.putObject("securitySchemes").putObject("bearer").put("type", "http").put("scheme", "bearer")
        .put("description", "A Rampart API token (rmpu_... or rmps_...)");
    comps.set("schemas", schemas);
    try {
      return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}

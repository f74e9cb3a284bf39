package dev.rampart.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.server.Json;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The OpenAPI 3.1 description of the API, generated from the same route table the server runs. */
final class OpenApi {
  private static final Pattern PARAM = Pattern.compile("\\{([a-zA-Z]+)}");

  private OpenApi() {}

  static String document(List<Route> routes, String version) {
    ObjectNode doc = Json.MAPPER.createObjectNode();
    doc.put("openapi", "3.1.0");
    doc.putObject("info").put("title", "Rampart API").put("version", version)
        .put("description", "Registry, lineage, policy gates, approvals, admission, rollback and audit for ML models.");
    doc.putArray("servers").addObject().put("url", "/");
    var components = doc.putObject("components");
    components.putObject("securitySchemes").putObject("bearer").put("type", "http").put("scheme", "bearer")
        .put("description", "A Rampart API token (rmpu_... or rmps_...)");
    var error = components.putObject("schemas").putObject("Error");
    error.put("type", "object");
    var errProps = error.putObject("properties").putObject("error").put("type", "object").putObject("properties");
    var codes = errProps.putObject("code").put("type", "string").putArray("enum");
    for (ErrorCode c : ErrorCode.values()) {
      codes.add(c.wire());
    }
    errProps.putObject("message").put("type", "string");
    var paths = doc.putObject("paths");
    for (Route r : routes) {
      var item = paths.has(r.path()) ? (ObjectNode) paths.get(r.path()) : paths.putObject(r.path());
      var op = item.putObject(r.method().name().toLowerCase(Locale.ROOT));
      op.put("summary", r.summary());
      op.put("x-rampart-permission", r.permission().name().toLowerCase(Locale.ROOT));
      if (r.permission() != dev.rampart.server.auth.Permission.PUBLIC) {
        op.putArray("security").addObject().putArray("bearer");
      }
      Matcher m = PARAM.matcher(r.path());
      var params = op.putArray("parameters");
      while (m.find()) {
        params.addObject().put("name", m.group(1)).put("in", "path").put("required", true).putObject("schema").put("type", "string");
      }
      var responses = op.putObject("responses");
      responses.putObject("200").put("description", "success");
      responses.putObject("4XX").put("description", "an error with a stable code").putObject("content")
          .putObject("application/json").putObject("schema").put("$ref", "#/components/schemas/Error");
    }
    return Json.write(doc);
  }
}

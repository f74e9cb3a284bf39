package dev.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The API document is generated from the route table, served at /api/v1/openapi.json and committed as
 * docs/openapi.json; every route is in it with an operation id, its parameters, and request and response schemas whose
 * references resolve. Regenerate the committed copy with {@code -Drampart.openapi.write=true}.
 */
class OpenApiDocumentTest extends ServerFixture {
  static final Path COMMITTED = Path.of("../docs/openapi.json");

  @Override
  RampartServer.Config config(Path dataDir) {
    return RampartServer.Config.embedded(dataDir, 0).withH2();
  }

  @Test
  void theCommittedDocumentIsTheOneTheServerServes() throws Exception {
    String generated = server.api().openApi();
    var served = http.get("/api/v1/openapi.json", null);
    assertThat(served.status()).isEqualTo(200);
    assertThat(served.body()).isEqualTo(generated);
    if (Boolean.getBoolean("rampart.openapi.write")) {
      Files.writeString(COMMITTED, generated, StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(COMMITTED, StandardCharsets.UTF_8))
        .as("docs/openapi.json is stale: run OpenApiDocumentTest with -Drampart.openapi.write=true").isEqualTo(generated);
  }

  @Test
  void everyRouteIsDescribedWithAnOperationIdAndSchemas() throws Exception {
    JsonNode doc = new ObjectMapper().readTree(server.api().openApi());
    assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
    var ids = new HashSet<String>();
    for (var r : server.api().routes()) {
      JsonNode op = doc.path("paths").path(r.path()).path(r.method().name().toLowerCase(Locale.ROOT));
      String where = r.method() + " " + r.path();
      assertThat(op.isObject()).as(where).isTrue();
      assertThat(op.path("operationId").asText()).as(where).matches("[a-z][A-Za-z]+");
      assertThat(ids.add(op.get("operationId").asText())).as("unique operationId of " + where).isTrue();
      var params = new HashSet<String>();
      op.path("parameters").forEach(p -> params.add(p.get("name").asText()));
      var m = java.util.regex.Pattern.compile("\\{([a-zA-Z]+)}").matcher(r.path());
      while (m.find()) {
        assertThat(params).as(where).contains(m.group(1));
      }
      var responses = op.path("responses");
      assertThat(responses.has("default")).as(where + " documents its errors").isTrue();
      var success = new java.util.ArrayList<String>();
      responses.fieldNames().forEachRemaining(c -> {
        if (c.startsWith("2")) {
          success.add(c);
        }
      });
      assertThat(success).as(where).hasSize(1);
      if (!success.get(0).equals("204")) {
        assertThat(responses.path(success.get(0)).path("content").size()).as(where + " answers a schema").isEqualTo(1);
        responses.path(success.get(0)).path("content").forEach(c -> assertThat(c.has("schema")).as(where).isTrue());
      }
      boolean takesBody = r.method().name().equals("PUT") || r.method().name().equals("POST")
          && !r.path().endsWith("/revoke");
      if (takesBody) {
        assertThat(op.path("requestBody").path("content").size()).as(where + " describes its request").isEqualTo(1);
      }
    }
    // every reference resolves, and every component is used
    var refs = new HashSet<String>();
    doc.findValues("$ref").forEach(v -> refs.add(v.asText()));
    for (String ref : refs) {
      assertThat(doc.at(ref.substring(1)).isObject()).as(ref).isTrue();
    }
    doc.path("components").path("schemas").fieldNames().forEachRemaining(name ->
        assertThat(refs).as("component " + name + " is used").contains("#/components/schemas/" + name));
    // a blocked promotion is described with its decision, so a generated client can read gateAllowed
    assertThat(doc.at("/components/schemas/Promotion/required").toString()).contains("gateAllowed").contains("status");
    assertThat(doc.at("/components/schemas/Promotion/properties/status/enum").toString())
        .contains("blocked").contains("pending").contains("deployed").contains("rejected");
  }
}

package dev.rampart.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.rampart.server.domain.InvalidInput;
import java.io.IOException;
import java.io.UncheckedIOException;

/** JSON for requests (bounded, duplicate keys refused) and for stored documents. */
public final class Json {
  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();

  static {
    MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxNestingDepth(64).maxStringLength(16 * 1024 * 1024).maxNumberLength(100).maxDocumentLength(32L * 1024 * 1024).build());
  }

  private Json() {}

  /** Parses a request body; anything malformed is a 400 with code malformed_json. */
  public static JsonNode request(byte[] body) {
    if (body == null || body.length == 0) {
      throw new InvalidInput(InvalidInput.Reason.MALFORMED_JSON, "the request needs a JSON body");
    }
    try {
      JsonNode n = MAPPER.readTree(body);
      if (n == null || !n.isObject()) {
        throw new InvalidInput(InvalidInput.Reason.MALFORMED_JSON, "the request body must be a JSON object");
      }
      return n;
    } catch (IOException e) {
      throw new InvalidInput(InvalidInput.Reason.MALFORMED_JSON, "the request body is not valid JSON: "
          + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  public static String write(Object o) {
    try {
      return MAPPER.writeValueAsString(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode read(String s) {
    try {
      return s == null ? MAPPER.nullNode() : MAPPER.readTree(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String text(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || !n.isTextual() || n.asText().isBlank()) {
      throw new InvalidInput("'" + field + "' is required (a string)");
    }
    return n.asText();
  }

  public static String optionalText(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw new InvalidInput("'" + field + "' must be a string");
    }
    return n.asText();
  }
}

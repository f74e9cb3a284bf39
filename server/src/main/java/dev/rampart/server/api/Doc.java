package dev.rampart.server.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a route takes and answers, for the API document: its operation id, its request body (null for none), its
 * query parameters, and its success status with the body it answers (null for none, as with 204).
 *
 * @param requestMedia the request's media type: JSON unless a route takes multipart uploads or JSON lines
 * @param responseMedia the response's media type: JSON unless a route answers text or a CycloneDX document
 */
record Doc(String operationId, Schema request, String requestMedia, Map<String, Schema> query, int status,
    Schema response, String responseMedia, Map<Integer, Schema> refusals) {
  static final String JSON = "application/json";

  Doc {
    query = Map.copyOf(query);
    refusals = Map.copyOf(refusals);
  }

  static Doc op(String operationId) {
    return new Doc(operationId, null, JSON, new LinkedHashMap<>(), 200, null, JSON, Map.of());
  }

  Doc in(Schema body) {
    return new Doc(operationId, body, requestMedia, query, status, response, responseMedia, refusals);
  }

  Doc in(String media, Schema body) {
    return new Doc(operationId, body, media, query, status, response, responseMedia, refusals);
  }

  Doc query(String name, Schema schema) {
    var q = new LinkedHashMap<>(query);
    q.put(name, schema);
    return new Doc(operationId, request, requestMedia, q, status, response, responseMedia, refusals);
  }

  Doc out(int code, Schema body) {
    return new Doc(operationId, request, requestMedia, query, code, body, responseMedia, refusals);
  }

  Doc out(int code, String media, Schema body) {
    return new Doc(operationId, request, requestMedia, query, code, body, media, refusals);
  }

  /** A refusal answered with its own body rather than the error body (a protocol that prescribes one). */
  Doc refuses(int code, Schema body) {
    var r = new java.util.HashMap<>(refusals);
    r.put(code, body);
    return new Doc(operationId, request, requestMedia, query, status, response, responseMedia, r);
  }

  Doc noContent() {
    return new Doc(operationId, request, requestMedia, query, 204, null, responseMedia, refusals);
  }
}

package dev.rampart.server.k8s;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The part of an {@code admission.k8s.io/v1} AdmissionReview request Rampart decides on. Only {@code v1} is spoken:
 * the webhook configuration asks for it with {@code admissionReviewVersions: ["v1"]}.
 *
 * @param uid echoed in the response, as the API server requires
 * @param object the object being admitted (absent for DELETE)
 */
record Review(String uid, Resource kind, String subResource, String operation, String namespace, String name, boolean dryRun,
    JsonNode object) {
  static final String API_VERSION = "admission.k8s.io/v1";
  static final int MAX_UID = 128;

  /** A group/version/kind, as in {@code request.kind}. */
  record Resource(String group, String version, String kind) {
    static final Resource POD = new Resource("", "v1", "Pod");
    static final Resource INFERENCE_SERVICE = new Resource("serving.kserve.io", "v1beta1", "InferenceService");

    @Override
    public String toString() {
      return (group.isEmpty() ? "" : group + "/") + version + " " + kind;
    }
  }

  /** A review parsed, or refused with what was wrong (and the uid, when it could be read, so the answer can carry it). */
  sealed interface Parsed {}

  record Valid(Review review) implements Parsed {}

  record Malformed(String uid, String message) implements Parsed {}

  static Parsed parse(JsonNode body) {
    if (!API_VERSION.equals(body.path("apiVersion").asText()) || !"AdmissionReview".equals(body.path("kind").asText())) {
      return new Malformed(null, "expected an AdmissionReview of apiVersion " + API_VERSION);
    }
    JsonNode request = body.get("request");
    if (request == null || !request.isObject()) {
      return new Malformed(null, "the AdmissionReview has no request");
    }
    JsonNode uidNode = request.get("uid");
    if (uidNode == null || !uidNode.isTextual() || uidNode.asText().isBlank() || uidNode.asText().length() > MAX_UID) {
      return new Malformed(null, "the AdmissionReview request has no uid");
    }
    String uid = uidNode.asText();
    JsonNode kind = request.get("kind");
    if (kind == null || !kind.isObject() || !kind.path("version").isTextual() || !kind.path("kind").isTextual()) {
      return new Malformed(uid, "the AdmissionReview request has no kind");
    }
    String operation = request.path("operation").asText("");
    if (operation.isEmpty()) {
      return new Malformed(uid, "the AdmissionReview request has no operation");
    }
    JsonNode object = request.get("object");
    JsonNode dryRun = request.get("dryRun");
    if (dryRun != null && !dryRun.isNull() && !dryRun.isBoolean()) {
      return new Malformed(uid, "request.dryRun must be a boolean");
    }
    return new Valid(new Review(uid, new Resource(kind.path("group").asText(""), kind.path("version").asText(),
        kind.path("kind").asText()), request.path("subResource").asText(""), operation,
        request.path("namespace").asText(""), request.path("name").asText(""), dryRun != null && dryRun.asBoolean(false),
        object == null || object.isNull() ? null : object));
  }
}

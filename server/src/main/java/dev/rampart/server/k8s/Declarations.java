package dev.rampart.server.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The model digests an object declares. A Pod declares them in the {@code rampart.dev/model-digest} annotation; a KServe
 * InferenceService in the same annotation or in every {@code storageUri} under its spec (ending in
 * {@code @sha256:<hex>} or a {@code /sha256:<hex>} path segment). The project and environment come from the webhook's
 * URL, set by the cluster administrator per namespace; the object may restate them in annotations, and a restatement
 * that disagrees is refused rather than trusted: whoever writes the Pod does not choose which gate it passes.
 */
final class Declarations {
  static final String DIGEST = "rampart.dev/model-digest";
  static final String PROJECT = "rampart.dev/project";
  static final String ENVIRONMENT = "rampart.dev/environment";
  static final int MAX_DIGESTS = 16;
  /** Bounds the walk over an object's spec; an API server object is at most a few MB. */
  private static final int MAX_NODES = 100_000;
  private static final Pattern URI_DIGEST = Pattern.compile(".*[@/]sha256:([0-9a-f]{64})/?");

  private Declarations() {}

  /** What an object declares: digests to decide on, or a reason to refuse it without deciding. */
  sealed interface Declared {}

  record Digests(List<String> digests) implements Declared {}

  record Refused(String reason) implements Declared {}

  static Declared of(Review.Resource kind, JsonNode object, String project, String environment) {
    JsonNode annotations = object.path("metadata").path("annotations");
    if (!annotations.isMissingNode() && !annotations.isObject()) {
      return new Refused("metadata.annotations must be an object");
    }
    for (var restated : List.of(new String[] {PROJECT, project}, new String[] {ENVIRONMENT, environment})) {
      JsonNode v = annotations.get(restated[0]);
      if (v != null && !v.asText().equals(restated[1])) {
        return new Refused("the annotation " + restated[0] + "=" + preview(v.asText()) + " disagrees with this webhook, which admits into "
            + project + "/" + environment + "; fix the annotation or the namespace");
      }
    }
    var digests = new LinkedHashSet<String>();
    JsonNode annotated = annotations.get(DIGEST);
    if (annotated != null) {
      if (!annotated.isTextual()) {
        return new Refused("the annotation " + DIGEST + " must be a string");
      }
      for (String d : annotated.asText().split(",")) {
        String digest = d.trim().toLowerCase(Locale.ROOT);
        if (!digest.matches("(sha256:)?[0-9a-f]{64}")) {
          return new Refused("the annotation " + DIGEST + " holds '" + preview(d.trim())
              + "', not a digest (sha256: and 64 hex digits, several separated by commas)");
        }
        digests.add(digest.replaceFirst("^sha256:", ""));
      }
    }
    if (kind.equals(Review.Resource.INFERENCE_SERVICE)) {
      var uris = new ArrayList<String>();
      if (!storageUris(object.path("spec"), uris)) {
        return new Refused("the InferenceService spec is too large to review");
      }
      for (String uri : uris) {
        var m = URI_DIGEST.matcher(uri);
        if (!uri.startsWith("oci://") && m.matches()) {
          digests.add(m.group(1));
        } else if (annotated == null) {
          return new Refused("storageUri " + preview(uri) + " declares no model digest: end it with @sha256:<digest> or set the "
              + DIGEST + " annotation");
        }
      }
    } else if (!kind.equals(Review.Resource.POD)) {
      return new Refused(kind + " is not a kind Rampart reviews (Pod, serving.kserve.io/v1beta1 InferenceService)");
    }
    if (digests.isEmpty()) {
      return new Refused("the " + kind.kind() + " declares no model digest: set the annotation " + DIGEST + "=sha256:<digest>");
    }
    if (digests.size() > MAX_DIGESTS) {
      return new Refused("the " + kind.kind() + " declares more than " + MAX_DIGESTS + " model digests");
    }
    return new Digests(List.copyOf(digests));
  }

  /** Every string field named storageUri (or element of storageUris) under the spec; false when the spec is too large. */
  private static boolean storageUris(JsonNode spec, List<String> out) {
    var pending = new ArrayList<JsonNode>(List.of(spec));
    int seen = 0;
    while (!pending.isEmpty()) {
      JsonNode n = pending.removeLast();
      if (++seen > MAX_NODES) {
        return false;
      }
      if (n.isObject()) {
        for (var e : n.properties()) {
          if (e.getKey().equals("storageUri") && e.getValue().isTextual()) {
            out.add(e.getValue().asText());
          } else if (e.getKey().equals("storageUris") && e.getValue().isArray()) {
            e.getValue().forEach(u -> out.add(u.isTextual() ? u.asText() : u.path("uri").asText("")));
          } else {
            pending.add(e.getValue());
          }
        }
      } else if (n.isArray()) {
        n.forEach(pending::add);
      }
    }
    return true;
  }

  static String preview(String s) {
    return dev.rampart.server.registry.Names.preview(s);
  }
}

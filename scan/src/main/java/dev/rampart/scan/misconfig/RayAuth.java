package dev.rampart.scan.misconfig;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Ray token authentication set in a manifest: KubeRay's {@code authOptions} ({@code mode: token}, or
 * {@code enableK8sTokenAuth: true}) on a RayCluster, RayService or RayJob, or a container env entry
 * {@code RAY_AUTH_MODE=token}, as the KubeRay samples set it.
 */
final class RayAuth {
  private RayAuth() {}

  static boolean tokenAuthInManifests(ConfigFile file) {
    for (JsonNode doc : file.manifests()) {
      if (search(doc, 0)) {
        return true;
      }
    }
    return false;
  }

  private static boolean search(JsonNode node, int depth) {
    if (depth > 16 || !node.isContainerNode()) {
      return false;
    }
    if (node.isObject()) {
      JsonNode auth = node.path("authOptions");
      if ("token".equalsIgnoreCase(auth.path("mode").asText()) || auth.path("enableK8sTokenAuth").asBoolean(false)) {
        return true;
      }
      if ("RAY_AUTH_MODE".equals(node.path("name").asText()) && "token".equalsIgnoreCase(node.path("value").asText())) {
        return true;
      }
    }
    for (JsonNode child : node) {
      if (search(child, depth + 1)) {
        return true;
      }
    }
    return false;
  }
}

package dev.rampart.scan.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A project's {@code rampart.yaml}: its own allow-list entries, each with a reason and optionally pinned to a
 * file's sha256.
 *
 * <pre>
 * allow:
 *   - global: ultralytics.nn.tasks.DetectionModel
 *     reason: "YOLO checkpoints from our training pipeline, reviewed in SEC-142"
 *     sha256: 9f2c...   # optional; only pinned entries may override the deny list
 * </pre>
 */
public final class ProjectConfig {
  private ProjectConfig() {}

  public static List<AllowEntry> readAllows(Path file) throws IOException {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new InvalidConfigException(file + " is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
    }
    var out = new ArrayList<AllowEntry>();
    if (root == null || root.isNull() || !root.has("allow")) {
      return out;
    }
    if (!root.get("allow").isArray()) {
      throw new InvalidConfigException(file + ": 'allow' must be a list of {global, reason, sha256}");
    }
    int n = 0;
    for (JsonNode e : root.get("allow")) {
      n++;
      try {
        out.add(new AllowEntry(
            e.path("global").asText(""),
            e.path("reason").asText(""),
            e.hasNonNull("sha256") ? Optional.of(e.get("sha256").asText()) : Optional.empty()));
      } catch (IllegalArgumentException ex) {
        throw new InvalidConfigException(file + " allow entry " + n + ": " + ex.getMessage());
      }
    }
    return out;
  }

  /** The configuration file has an entry Rampart will not accept. */
  public static final class InvalidConfigException extends IOException {
    public InvalidConfigException(String message) {
      super(message);
    }
  }
}

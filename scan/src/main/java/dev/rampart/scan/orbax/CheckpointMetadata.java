package dev.rampart.scan.orbax;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.scan.ScanRules;
import dev.rampart.scan.engine.Target;

/**
 * Orbax's {@code _CHECKPOINT_METADATA} records the checkpoint handler of each item as a Python type name, which
 * orbax resolves when a checkpoint is restored without explicit handlers. A name outside orbax is code the
 * checkpoint asks the loader to find.
 */
public final class CheckpointMetadata {
  private CheckpointMetadata() {}

  public static boolean is(JsonNode root) {
    return root.isObject() && root.has("item_handlers") && (root.has("commit_timestamp_nsecs") || root.has("init_timestamp_nsecs"));
  }

  public static void check(Target target, JsonNode root) {
    JsonNode handlers = root.get("item_handlers");
    if (handlers.isTextual()) {
      handler(target, "item_handlers", handlers.asText());
    } else if (handlers.isObject()) {
      handlers.fields().forEachRemaining(e -> {
        if (e.getValue().isTextual()) {
          handler(target, "item_handlers." + e.getKey(), e.getValue().asText());
        }
      });
    }
  }

  private static void handler(Target target, String where, String typeName) {
    if (!typeName.startsWith("orbax.checkpoint.")) {
      String shown = typeName.length() > 200 ? typeName.substring(0, 200) + "..." : typeName;
      target.report(ScanRules.METADATA_CODE, where + " names the handler type '" + shown.replaceAll("\\p{Cntrl}", "?")
          + "', outside orbax");
    }
  }
}

package dev.rampart.scan.keras;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.core.Finding;
import dev.rampart.core.Severity;
import dev.rampart.scan.ScanRules;
import dev.rampart.scan.engine.Target;
import dev.rampart.scan.policy.Verdict;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Walks a Keras model config (H5 {@code model_config}, {@code .keras} {@code config.json}, SavedModel
 * {@code keras_metadata.pb}) recursively, so Lambda layers and callable references are found inside nested models
 * and wrappers too.
 */
public final class KerasConfig {
  private static final int MAX_DEPTH = 200;
  private static final Set<String> KERAS_MODULES =
      Set.of("keras", "tensorflow.keras", "tf_keras", "keras_nlp", "keras_hub", "keras_cv", "keras_core", "tensorflow.python.keras");
  private static final Set<String> BUILTIN_TYPES = Set.of("tuple", "list", "dict", "set", "float", "int", "str", "bool");

  private KerasConfig() {}

  public static void walk(Target target, JsonNode root, String where) {
    walk(target, root, where, 0);
  }

  private static void walk(Target target, JsonNode node, String path, int depth) {
    if (depth > MAX_DEPTH) {
      target.incomplete("Keras config nested deeper than " + MAX_DEPTH + " at " + path);
      return;
    }
    if (node.isObject()) {
      inspect(target, node, path);
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        var e = it.next();
        if (e.getKey().equals("enable_unsafe_deserialization") || e.getKey().equals("safe_mode") && e.getValue().asText().equals("false")) {
          target.report(ScanRules.KERAS_UNSAFE_DESERIALIZATION, path + "." + e.getKey() + " = " + e.getValue());
        }
        walk(target, e.getValue(), path + "." + e.getKey(), depth + 1);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        walk(target, node.get(i), path + "[" + i + "]", depth + 1);
      }
    } else if (node.isTextual() && node.asText().contains("enable_unsafe_deserialization")) {
      target.report(ScanRules.KERAS_UNSAFE_DESERIALIZATION, path + " refers to enable_unsafe_deserialization");
    }
  }

  private static void inspect(Target target, JsonNode node, String path) {
    String className = node.path("class_name").asText("");
    String layerName = node.path("config").path("name").asText(node.path("name").asText(""));
    String where = path + (layerName.isEmpty() ? "" : " (layer '" + layerName + "')");
    if (className.equals("Lambda") || className.endsWith(".Lambda") || className.equals("__lambda__")) {
      JsonNode fn = node.path("config").path("function");
      String kind = fn.isArray() || fn.path("class_name").asText("").equals("__lambda__") || className.equals("__lambda__")
          ? "marshalled Python bytecode" : "function " + fn.toString();
      target.report(ScanRules.KERAS_LAMBDA, where + ": Lambda with " + kind);
      return;
    }
    FileArguments.check(target, className, node.path("config"), where);
    if (className.equals("TorchModuleWrapper")) {
      target.report(ScanRules.KERAS_CALLABLE, where + ": TorchModuleWrapper deserializes with torch.load(weights_only=False)");
      return;
    }
    JsonNode moduleNode = node.get("module");
    if (moduleNode != null && moduleNode.isTextual() && !className.isEmpty()) {
      String module = moduleNode.asText();
      String callable = className.equals("function") && node.path("config").isTextual()
          ? node.path("config").asText() : className;
      if (!isKeras(module) && !(module.equals("builtins") && BUILTIN_TYPES.contains(callable))) {
        reportCallable(target, where, module, callable);
      } else if (isKeras(module) && callable.equals("get_file")) {
        reportCallable(target, where, module, callable);
      }
    }
    JsonNode registered = node.get("registered_name");
    if (registered != null && registered.isTextual() && registered.asText().contains(">")
        && !registered.asText().startsWith("keras")) {
      target.report(ScanRules.KERAS_CUSTOM_OBJECT, where + ": registered_name '" + registered.asText() + "'");
    }
  }

  private static void reportCallable(Target target, String where, String module, String callable) {
    var verdict = target.policy().classify(module, callable, target::fileSha256);
    Severity severity =
        switch (verdict) {
          case Verdict.Denied d -> Severity.CRITICAL;
          case Verdict.Tampering t -> Severity.CRITICAL;
          default -> Severity.HIGH;
        };
    String reason = verdict instanceof Verdict.Denied d ? " (" + d.why() + ")" : "";
    target.report(
        Finding.of(ScanRules.KERAS_CALLABLE, where + ": " + module + "." + callable + reason, target.location())
            .withSeverity(severity));
  }

  private static boolean isKeras(String module) {
    for (String k : KERAS_MODULES) {
      if (module.equals(k) || module.startsWith(k + ".")) {
        return true;
      }
    }
    return false;
  }
}

package dev.rampart.scan.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rampart.scan.ScanRules;
import dev.rampart.scan.engine.Target;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * An MLflow model folder's {@code MLmodel} file, read as {@code mlflow.models.Model.load} reads it: the flavours
 * decide what the loader imports and which files it opens. Custom code (a {@code loader_module} outside MLflow, a
 * {@code code} folder, a cloudpickled {@code python_model}) is reported; a flavour path that is absolute, climbs with
 * {@code ..} or is a URI makes the loader read what the scan of the folder did not see. The artifacts themselves
 * (pickles, state dicts, ONNX files) are scanned as the files they are, by content.
 */
public final class MlModelFile {
  /** Flavour keys whose values name files or folders inside the model. */
  private static final Set<String> PATH_KEYS = Set.of("data", "code", "model_data", "pickled_model", "python_model",
      "model_path", "saved_model_dir", "path", "conda", "virtualenv", "python_env", "requirements", "model_code_path",
      "config_path", "weights_path");
  private static final int MAX_DEPTH = 16;

  private MlModelFile() {}

  public static boolean named(Target target) {
    return target.name().equals("MLmodel");
  }

  public static void check(Target target, String text) {
    JsonNode root;
    try {
      var options = new LoaderOptions();
      options.setMaxAliasesForCollections(20);
      options.setCodePointLimit(4 * 1024 * 1024);
      root = new ObjectMapper(YAMLFactory.builder().loaderOptions(options).build()).readTree(text);
    } catch (java.io.IOException | RuntimeException e) {
      target.report(ScanRules.SCAN_INCOMPLETE, "the MLmodel file is not YAML MLflow can read (" + e.getClass().getSimpleName()
          + "), so what its loader runs is unknown");
      return;
    }
    if (root == null || !root.path("flavors").isObject()) {
      target.report(ScanRules.SCAN_INCOMPLETE, "the MLmodel file has no flavors mapping, so what its loader runs is unknown");
      return;
    }
    JsonNode pyfunc = root.path("flavors").path("python_function");
    String loader = pyfunc.path("loader_module").asText("");
    if (!loader.isEmpty() && !loader.startsWith("mlflow.")) {
      target.report(ScanRules.MLFLOW_CUSTOM_CODE, "python_function loader_module: " + loader);
    }
    if (pyfunc.hasNonNull("code")) {
      target.report(ScanRules.MLFLOW_CUSTOM_CODE, "python_function code: " + pyfunc.get("code").asText()
          + " (put on sys.path and imported)");
    }
    if (pyfunc.hasNonNull("python_model")) {
      target.report(ScanRules.MLFLOW_CUSTOM_CODE, "python_function python_model: " + pyfunc.get("python_model").asText()
          + " (a cloudpickled PythonModel)");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("flavors").fields(); it.hasNext(); ) {
      var flavour = it.next();
      paths(target, flavour.getKey(), flavour.getValue(), 0);
    }
  }

  private static void paths(Target target, String where, JsonNode node, int depth) {
    if (depth > MAX_DEPTH || !node.isContainerNode()) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      var e = it.next();
      JsonNode v = e.getValue();
      if (v.isTextual() && PATH_KEYS.contains(e.getKey()) && escapes(v.asText())) {
        target.report(ScanRules.MLFLOW_PATH_ESCAPE, where + "." + e.getKey() + ": " + v.asText());
      } else if (v.isContainerNode()) {
        paths(target, where + "." + e.getKey(), v, depth + 1);
      }
    }
    if (node.isArray()) {
      for (JsonNode v : node) {
        paths(target, where + "[]", v, depth + 1);
      }
    }
  }

  /** Absolute (POSIX, Windows, home), climbing, or a URI: anything that is not a plain path inside the folder. */
  static boolean escapes(String p) {
    String s = p.strip().replace('\\', '/');
    if (s.startsWith("/") || s.startsWith("~") || s.matches("^[A-Za-z]:.*") || s.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*")) {
      return true;
    }
    for (String part : s.split("/")) {
      if (part.equals("..")) {
        return true;
      }
    }
    return false;
  }
}

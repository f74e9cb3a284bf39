package dev.rampart.scan.hf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.scan.ScanRules;
import dev.rampart.scan.engine.Analyzer;
import dev.rampart.scan.engine.PythonJson;
import dev.rampart.scan.engine.Target;
import dev.rampart.scan.io.Blob;
import dev.rampart.scan.keras.KerasConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * JSON next to or inside models: Hugging Face {@code config.json} and {@code tokenizer_config.json} (chat templates,
 * {@code auto_map} remote code, file-path fields), and Keras v3 {@code config.json}.
 */
public final class JsonAnalyzer implements Analyzer {
  private static final Set<String> SECRET_FILES = Set.of(".env", ".netrc", "credentials", "id_rsa", ".git-credentials");

  @Override
  public void analyze(Target target, Blob blob) throws IOException {
    byte[] bytes = blob.readAll(target.limits().maxJsonBytes());
    if (dev.rampart.scan.mlflow.MlModelFile.named(target)) { // MLflow reads MLmodel as YAML, and JSON is YAML
      dev.rampart.scan.mlflow.MlModelFile.check(target, new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
    }
    JsonNode root;
    try {
      // as json.loads(bytes) decodes them: Keras reads config.json this way, BOM and UTF-16/32 included
      root = PythonJson.parse(bytes);
    } catch (IOException e) {
      root = null;
      textChecks(target, bytes);
      if (looksLikeObject(bytes)) {
        throw e;
      }
      // '[section]' INI and TOML files start like a JSON array; as text they are fully checked
      return;
    }
    if (Notebook.is(root) && target.contentChecks().secretsEnabled()) {
      Notebook.secrets(target, root);
      if (target.contentChecks().configurationEnabled()) {
        target.contentChecks().configuration(target, new String(bytes, StandardCharsets.ISO_8859_1));
      }
    } else {
      textChecks(target, bytes);
    }
    if (!root.isObject()) {
      return;
    }
    if (root.has("class_name") && root.has("config")) {
      KerasConfig.walk(target, root, "config.json");
    }
    if (root.has("module") && root.has("class_name") && root.has("registered_name")) {
      KerasConfig.walk(target, root, "config.json");
    }
    if (dev.rampart.scan.orbax.CheckpointMetadata.is(root)) {
      dev.rampart.scan.orbax.CheckpointMetadata.check(target, root);
    }
    if (dev.rampart.scan.gbdt.XgboostModel.is(root)) {
      dev.rampart.scan.gbdt.XgboostModel.check(target, root);
    }
    chatTemplates(target, root);
    autoMap(target, root.path("auto_map"), "auto_map");
    filePaths(target, root, 0);
  }

  private static void textChecks(Target target, byte[] bytes) {
    var checks = target.contentChecks();
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    var encoding = PythonJson.detect(bytes);
    if (!encoding.isPlainUtf8()) {
      text = new String(bytes, encoding.bom(), bytes.length - encoding.bom(), encoding.charset());
    }
    if (checks.secretsEnabled()) {
      checks.secrets(target, target.location(), text, 1);
    }
    if (checks.configurationEnabled()) {
      checks.configuration(target, text);
    }
  }

  private static boolean looksLikeObject(byte[] bytes) {
    for (byte b : bytes) {
      if (b == '{') {
        return true;
      }
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t' && (b & 0xff) != 0xef && (b & 0xff) != 0xbb && (b & 0xff) != 0xbf) {
        return false;
      }
    }
    return false;
  }

  private static void chatTemplates(Target target, JsonNode root) {
    JsonNode t = root.path("chat_template");
    if (t.isTextual()) {
      TemplateFindings.report(target, "chat_template", t.asText());
    } else if (t.isArray()) {
      for (JsonNode named : t) {
        TemplateFindings.report(target, "chat_template[" + named.path("name").asText("?") + "]", named.path("template").asText(""));
      }
    } else if (t.isObject()) {
      // transformers keeps named templates as a dict and renders one given in that form, too
      for (Iterator<Map.Entry<String, JsonNode>> it = t.fields(); it.hasNext(); ) {
        var named = it.next();
        if (named.getValue().isTextual()) {
          TemplateFindings.report(target, "chat_template[" + named.getKey() + "]", named.getValue().asText());
        }
      }
    }
  }

  private static void autoMap(Target target, JsonNode autoMap, String where) {
    if (!autoMap.isObject() || autoMap.isEmpty()) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = autoMap.fields(); it.hasNext(); ) {
      var e = it.next();
      for (JsonNode v : e.getValue().isArray() ? e.getValue() : java.util.List.of(e.getValue())) {
        String ref = v.asText("");
        if (ref.contains("--")) {
          target.report(
              dev.rampart.core.Finding.of(ScanRules.HF_REMOTE_CODE,
                      where + "." + e.getKey() + " loads code from another repository: " + MetadataCheck.preview(ref),
                      target.location())
                  .withSeverity(dev.rampart.core.Severity.HIGH));
        } else if (!ref.isEmpty()) {
          target.report(ScanRules.HF_REMOTE_CODE, where + "." + e.getKey() + " -> " + MetadataCheck.preview(ref));
        }
      }
    }
  }

  /**
   * Paths transformers writes only as a record of where it loaded from: {@code from_pretrained} overwrites
   * {@code name_or_path} with its own argument, never reads {@code _name_or_path} as a location, and opens the
   * {@code special_tokens_map.json} it resolved inside the model rather than the one named in the config. An
   * absolute path there is what transformers itself saved, not an escape; a secrets file named there still is.
   */
  private static boolean recordedNotFollowed(String key, String base) {
    boolean secretName = SECRET_FILES.contains(base) || base.startsWith(".env");
    return switch (key) {
      case "_name_or_path", "name_or_path" -> !secretName;
      case "special_tokens_map_file" -> base.equals("special_tokens_map.json");
      default -> false;
    };
  }

  /** Fields such as {@code vocab_file} that loaders open: they must stay inside the model. */
  private static void filePaths(Target target, JsonNode node, int depth) {
    if (depth > 8 || !node.isObject()) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      var e = it.next();
      String key = e.getKey().toLowerCase(Locale.ROOT);
      JsonNode v = e.getValue();
      if (v.isTextual() && (key.endsWith("_file") || key.endsWith("_path") || key.endsWith("_dir"))) {
        String path = v.asText().replace('\\', '/');
        String base = path.substring(path.lastIndexOf('/') + 1);
        if (recordedNotFollowed(key, base)) {
          continue;
        }
        boolean escapes = path.startsWith("/") || path.matches("^[A-Za-z]:.*") || path.startsWith("~")
            || java.util.Arrays.asList(path.split("/")).contains("..");
        if (escapes || SECRET_FILES.contains(base) || base.startsWith(".env")) {
          target.report(ScanRules.HF_PATH_ESCAPE, e.getKey() + " = '" + MetadataCheck.preview(v.asText()) + "'");
        }
      } else if (v.isObject()) {
        filePaths(target, v, depth + 1);
      }
    }
  }
}

package dev.rampart.scan.keras;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.scan.ScanRules;
import dev.rampart.scan.engine.Target;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Layer arguments that Keras resolves as file paths when it rebuilds the layer: lookup and vectorization
 * vocabularies given as a string, TFSMLayer's SavedModel {@code filepath}, tokenizer assets, and any argument whose
 * name says it is a path. A real saved model keeps such data in its own assets and writes these as null or lists.
 */
final class FileArguments {
  /** Arguments that are a file to read when their value is a string (they may also hold the data inline). */
  private static final Set<String> DATA_OR_PATH =
      Set.of("vocabulary", "idf_weights", "merges", "proto", "stop_words", "spm_model", "vocabulary_file");
  private static final int MAX_PREVIEW = 160;

  private FileArguments() {}

  static void check(Target target, String className, JsonNode config, String where) {
    if (!config.isObject()) {
      return;
    }
    if (className.equals("TFSMLayer") || className.endsWith(".TFSMLayer")) {
      target.report(ScanRules.KERAS_FILE_ACCESS,
          where + ": TFSMLayer loads and runs the SavedModel at '" + preview(config.path("filepath").asText("?")) + "'");
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
      var e = it.next();
      String key = e.getKey().toLowerCase(Locale.ROOT);
      JsonNode value = e.getValue();
      if (!value.isTextual() || value.asText().isEmpty()) {
        continue;
      }
      if (DATA_OR_PATH.contains(key) || isPathName(key)) {
        target.report(ScanRules.KERAS_FILE_ACCESS,
            where + ": " + className + " argument '" + e.getKey() + "' reads the file '" + preview(value.asText()) + "'");
      }
    }
  }

  private static boolean isPathName(String key) {
    return key.equals("filepath") || key.equals("path") || key.equals("filename") || key.equals("file")
        || key.endsWith("_path") || key.endsWith("_file") || key.endsWith("_filepath") || key.endsWith("_dir")
        || key.endsWith("_directory") || key.equals("directory");
  }

  private static String preview(String s) {
    String p = s.length() > MAX_PREVIEW ? s.substring(0, MAX_PREVIEW) + "..." : s;
    return p.replaceAll("\\p{Cntrl}", "?");
  }
}

package dev.rampart.scan.hf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.scan.engine.Target;
import java.util.Set;

/**
 * Jupyter notebooks: each cell's source and its saved outputs are separate fragments, because a secret printed
 * into an output survives after the line that printed it is deleted.
 */
final class Notebook {
  private static final Set<String> TEXT_MIME =
      Set.of("text/plain", "text/html", "text/markdown", "application/json", "application/javascript", "text/latex");

  private Notebook() {}

  static boolean is(JsonNode root) {
    return root.isObject() && root.path("cells").isArray() && root.has("nbformat");
  }

  static void secrets(Target target, JsonNode root) {
    var checks = target.contentChecks();
    int index = 0;
    for (JsonNode cell : root.path("cells")) {
      String source = text(cell.path("source"));
      if (!source.isEmpty()) {
        checks.secrets(target, target.location().member("cells[" + index + "].source"), source, 1);
      }
      var outputs = new StringBuilder();
      for (JsonNode output : cell.path("outputs")) {
        outputs.append(text(output.path("text")));
        output.path("traceback").forEach(t -> outputs.append(t.asText()).append('\n'));
        if (output.has("evalue")) {
          outputs.append(output.path("ename").asText()).append(": ").append(output.path("evalue").asText()).append('\n');
        }
        var data = output.path("data");
        for (String mime : TEXT_MIME) {
          if (data.has(mime)) {
            outputs.append(text(data.path(mime))).append('\n');
          }
        }
      }
      if (!outputs.isEmpty()) {
        checks.secrets(target, target.location().member("cells[" + index + "].outputs"), outputs, 1);
      }
      index++;
    }
  }

  /** nbformat stores multi-line strings either as one string or as a list of lines. */
  private static String text(JsonNode node) {
    if (node.isTextual()) {
      return node.asText();
    }
    if (node.isArray()) {
      var sb = new StringBuilder();
      node.forEach(line -> sb.append(line.asText()));
      return sb.toString();
    }
    if (node.isObject() || node.isNumber()) {
      return node.toString();
    }
    return "";
  }
}

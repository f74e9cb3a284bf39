package dev.rampart.scan.hf;

import dev.rampart.scan.engine.Analyzer;
import dev.rampart.scan.engine.Target;
import dev.rampart.scan.io.Blob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Text files: standalone Jinja chat templates are checked for sandbox escapes; other text is not a model. */
public final class TextAnalyzer implements Analyzer {
  private static final int MAX_TEMPLATE = 4 * 1024 * 1024;

  @Override
  public void analyze(Target target, Blob blob) throws IOException {
    if (blob.size() > MAX_TEMPLATE) {
      return;
    }
    String text = new String(blob.readAll(MAX_TEMPLATE), StandardCharsets.UTF_8);
    if (text.contains("{%") || text.contains("{{")) {
      TemplateFindings.report(target, "template", text);
    }
  }
}

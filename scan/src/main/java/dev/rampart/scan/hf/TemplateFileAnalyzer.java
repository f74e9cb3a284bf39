package dev.rampart.scan.hf;

import dev.rampart.scan.engine.Analyzer;
import dev.rampart.scan.engine.Target;
import dev.rampart.scan.io.Blob;
import dev.rampart.scan.jinja.TemplateCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A standalone chat template ({@code chat_template.jinja}, {@code additional_chat_templates/*.jinja}): the whole
 * file is the template a renderer compiles, so it is always analysed, and one too large to analyse is incomplete.
 */
public final class TemplateFileAnalyzer implements Analyzer {
  /** Bytes of UTF-8 that can hold the largest template analysed. */
  private static final int MAX_BYTES = TemplateCheck.MAX_CHARS * 4;

  @Override
  public void analyze(Target target, Blob blob) throws IOException {
    if (blob.size() > MAX_BYTES) {
      target.incomplete("chat template of " + blob.size() + " bytes is larger than the " + MAX_BYTES
          + " analysed");
      return;
    }
    byte[] bytes = blob.readAll(MAX_BYTES);
    var checks = target.contentChecks();
    String latin1 = new String(bytes, StandardCharsets.ISO_8859_1);
    if (checks.secretsEnabled()) {
      checks.secrets(target, target.location(), latin1, 1);
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    TemplateFindings.report(target, "template", text);
  }
}

package dev.rampart.scan.hf;

import dev.rampart.scan.engine.Analyzer;
import dev.rampart.scan.engine.Target;
import dev.rampart.scan.io.Blob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Text files: configuration is checked as a whole, credentials are looked for chunk by chunk (logs can be large),
 * and standalone Jinja chat templates are checked for sandbox escapes.
 */
public final class TextAnalyzer implements Analyzer {
  /** Templates and configuration files are checked whole up to this size; larger text is only searched for secrets. */
  private static final int MAX_WHOLE = 4 * 1024 * 1024;
  private static final int CHUNK = 8 * 1024 * 1024;

  @Override
  public void analyze(Target target, Blob blob) throws IOException {
    var checks = target.contentChecks();
    // small files (configs, model cards, templates) are read once and every check shares the bytes
    byte[] whole = blob.size() <= MAX_WHOLE ? blob.readAll(MAX_WHOLE) : null;
    String bytesAsText = whole == null ? null : latin1(whole);
    if (checks.configurationEnabled() && whole != null) {
      checks.configuration(target, bytesAsText);
    }
    if (checks.secretsEnabled()) {
      if (whole != null) {
        checks.secrets(target, target.location(), bytesAsText, 1);
      } else {
        secrets(target, blob);
      }
    }
    if (whole != null && dev.rampart.scan.mlflow.MlModelFile.named(target)) {
      dev.rampart.scan.mlflow.MlModelFile.check(target, new String(whole, StandardCharsets.UTF_8));
    }
    if (whole != null) {
      String text = new String(whole, StandardCharsets.UTF_8);
      if (text.contains("{%") || text.contains("{{")) {
        TemplateFindings.reportIfTemplate(target, "template", text);
      }
    }
  }

  /**
   * Chunks end at a line break so that patterns see whole lines and line numbers stay exact; bytes map one-to-one
   * to characters (ISO-8859-1), since every credential format is ASCII.
   */
  private static void secrets(Target target, Blob blob) throws IOException {
    long pos = 0;
    int line = 1;
    while (pos < blob.size()) {
      target.checkDeadline();
      byte[] chunk = blob.readBytes(pos, (int) Math.min(CHUNK, blob.size() - pos));
      int length = chunk.length;
      if (pos + length < blob.size()) {
        int lastBreak = lastNewline(chunk);
        if (lastBreak > 0) {
          length = lastBreak + 1;
        }
      }
      String text = new String(chunk, 0, length, StandardCharsets.ISO_8859_1);
      target.contentChecks().secrets(target, target.location(), text, line);
      line += newlines(chunk, length);
      pos += length;
    }
  }

  private static String latin1(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private static int lastNewline(byte[] chunk) {
    for (int i = chunk.length - 1; i >= 0; i--) {
      if (chunk[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static int newlines(byte[] chunk, int length) {
    int n = 0;
    for (int i = 0; i < length; i++) {
      if (chunk[i] == '\n') {
        n++;
      }
    }
    return n;
  }
}

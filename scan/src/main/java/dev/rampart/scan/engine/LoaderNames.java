package dev.rampart.scan.engine;

import java.util.Locale;
import java.util.Optional;

/**
 * Files that loaders open by name, whatever their bytes look like: transformers reads {@code chat_template.jinja},
 * {@code additional_chat_templates/*.jinja} and {@code chat_template.json} beside the tokenizer, and serving
 * tools take a {@code .jinja} file as a chat template (vLLM's {@code --chat-template}, llama.cpp's
 * {@code --chat-template-file}). Content sniffing alone would record such a file as text
 * or unknown and skip it.
 */
final class LoaderNames {
  private LoaderNames() {}

  static Optional<Format> formatOf(String path) {
    String p = path.replace('\\', '/');
    String name = p.substring(p.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    if (name.endsWith(".jinja")) {
      return Optional.of(Format.JINJA);
    }
    if (name.equals("chat_template.json")) {
      return Optional.of(Format.JSON);
    }
    return Optional.empty();
  }

  /** Whether analysing the file as {@code named} already covers what content detection found. */
  static boolean coveredBy(Format named, Format detected) {
    return switch (detected) {
      case TEXT, UNKNOWN, EMPTY -> true;
      case JSON -> named == Format.JINJA;
      default -> false;
    };
  }
}

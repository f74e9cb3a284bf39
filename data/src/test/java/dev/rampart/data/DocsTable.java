package dev.rampart.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Rewrites the generated table between the results markers of a page in docs/. */
public final class DocsTable {
  private DocsTable() {}

  public static void replace(Path doc, List<String> lines) throws java.io.IOException {
    String text = Files.readString(doc);
    int start = text.indexOf("<!-- results:start -->");
    int end = text.indexOf("<!-- results:end -->");
    Files.writeString(doc, text.substring(0, start) + "<!-- results:start -->\n" + String.join("\n", lines) + "\n"
        + text.substring(end));
  }
}

package dev.rampart.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Rewrites a generated table between the markers of a page in docs/. */
public final class DocsTable {
  private DocsTable() {}

  /** Between {@code <!-- results:start -->} and {@code <!-- results:end -->}. */
  public static void replace(Path doc, List<String> lines) throws java.io.IOException {
    replace(doc, "results", lines);
  }

  /** Between {@code <!-- NAME:start -->} and {@code <!-- NAME:end -->}. */
  public static void replace(Path doc, String name, List<String> lines) throws java.io.IOException {
    String text = Files.readString(doc);
    String open = "<!-- " + name + ":start -->";
    int start = text.indexOf(open);
    int end = text.indexOf("<!-- " + name + ":end -->");
    if (start < 0 || end < start) {
      throw new IllegalStateException(doc + " has no " + name + " markers");
    }
    Files.writeString(doc, text.substring(0, start) + open + "\n" + String.join("\n", lines) + "\n"
        + text.substring(end));
  }
}

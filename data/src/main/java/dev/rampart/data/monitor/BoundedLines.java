package dev.rampart.data.monitor;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits a stream into lines without ever holding more than {@code maxChars} of one line: a longer line is passed
 * on as a marker that the event parser rejects (and counts), instead of growing a buffer until the heap runs out.
 * Invalid UTF-8 becomes replacement characters, which the parser then rejects as it would any other garbage.
 */
public final class BoundedLines {
  /** What an oversized line is replaced with: not JSON, so it counts as malformed. */
  static final String TOO_LONG = "\u0000line too long";

  private BoundedLines() {}

  public static void read(InputStream in, int maxChars, Consumer<String> lines) throws IOException {
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    try (Reader reader = new java.io.InputStreamReader(in, decoder)) {
      char[] buffer = new char[1 << 16];
      var line = new StringBuilder();
      boolean overflow = false;
      int n;
      while ((n = reader.read(buffer)) > 0) {
        int start = 0;
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            overflow = append(line, buffer, start, i, maxChars, overflow);
            lines.accept(overflow ? TOO_LONG : line.toString());
            line.setLength(0);
            overflow = false;
            start = i + 1;
          }
        }
        overflow = append(line, buffer, start, n, maxChars, overflow);
      }
      if (overflow || !line.isEmpty()) {
        lines.accept(overflow ? TOO_LONG : line.toString());
      }
    }
  }

  private static boolean append(StringBuilder line, char[] buffer, int from, int to, int max, boolean overflow) {
    if (overflow || line.length() + (to - from) > max) {
      line.setLength(0);
      return true;
    }
    line.append(buffer, from, to - from);
    return false;
  }
}

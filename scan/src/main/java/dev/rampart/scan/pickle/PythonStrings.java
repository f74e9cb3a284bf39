package dev.rampart.scan.pickle;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Decoders for the textual string forms of protocol 0, and safe previews for evidence. */
final class PythonStrings {
  private PythonStrings() {}

  /** STRING: a Python repr of a byte string, quoted with ' or ", with backslash escapes. */
  static String decodeQuoted(String line) {
    String s = line;
    if (s.length() >= 2 && (s.charAt(0) == '\'' || s.charAt(0) == '"') && s.charAt(s.length() - 1) == s.charAt(0)) {
      s = s.substring(1, s.length() - 1);
    }
    var out = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 >= s.length()) {
        out.write(c);
        continue;
      }
      char e = s.charAt(++i);
      switch (e) {
        case 'n' -> out.write('\n');
        case 't' -> out.write('\t');
        case 'r' -> out.write('\r');
        case '0', '1', '2', '3', '4', '5', '6', '7' -> {
          int end = i;
          while (end < s.length() && end < i + 3 && s.charAt(end) >= '0' && s.charAt(end) <= '7') {
            end++;
          }
          out.write(Integer.parseInt(s.substring(i, end), 8) & 0xff);
          i = end - 1;
        }
        case 'x' -> {
          if (i + 2 < s.length() + 0 && isHex(s, i + 1, 2)) {
            out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
            i += 2;
          } else {
            out.write('\\');
            out.write('x');
          }
        }
        case '\\', '\'', '"' -> out.write(e);
        default -> {
          out.write('\\');
          out.write(e);
        }
      }
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  /** UNICODE: raw-unicode-escape, where only backslash-u and backslash-U sequences are escapes. */
  static String decodeRawUnicodeEscape(String line) {
    var sb = new StringBuilder();
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\' && i + 1 < line.length()) {
        char k = line.charAt(i + 1);
        int digits = k == 'u' ? 4 : k == 'U' ? 8 : 0;
        if (digits > 0 && isHex(line, i + 2, digits)) {
          sb.appendCodePoint(Integer.parseInt(line.substring(i + 2, i + 2 + digits), 16));
          i += 1 + digits;
          continue;
        }
      }
      sb.append(c);
    }
    return sb.toString();
  }

  private static boolean isHex(String s, int from, int n) {
    if (from + n > s.length()) {
      return false;
    }
    for (int i = from; i < from + n; i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  /** A short, printable, single-line preview: evidence never carries raw control characters or huge strings. */
  static String preview(String s) {
    var sb = new StringBuilder();
    for (int i = 0; i < s.length() && sb.length() < 80; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x7f) {
        sb.append(c);
      } else {
        sb.append(String.format("\\x%02x", (int) c & 0xff));
      }
    }
    if (s.length() > 80) {
      sb.append("...(").append(s.length()).append(" chars)");
    }
    return sb.toString();
  }
}

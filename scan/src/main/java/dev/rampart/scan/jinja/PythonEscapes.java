package dev.rampart.scan.jinja;

/**
 * Decodes a string literal as Jinja does (Python's {@code unicode-escape} codec): {@code \x5f}, {@code \u005f},
 * {@code \U0000005f}, octal {@code \137} and {@code \N{LOW LINE}} all give an underscore. Returns null where Python
 * would refuse the literal or the character name is unknown here, so the caller treats the value as unknown.
 */
final class PythonEscapes {
  private PythonEscapes() {}

  static String decode(String body) {
    String s = body.replace("\r\n", "\n").replace('\r', '\n');
    var sb = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != '\\') {
        sb.append(c);
        i++;
        continue;
      }
      if (i + 1 >= s.length()) {
        return null;
      }
      char e = s.charAt(i + 1);
      i += 2;
      switch (e) {
        case '\n' -> {}
        case '\\' -> sb.append('\\');
        case '\'' -> sb.append('\'');
        case '"' -> sb.append('"');
        case 'a' -> sb.append('\u0007');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'v' -> sb.append('\u000b');
        case 'x', 'u', 'U' -> {
          int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
          int cp = hex(s, i, n);
          if (cp < 0 || cp > Character.MAX_CODE_POINT) {
            return null;
          }
          sb.appendCodePoint(cp);
          i += n;
        }
        case 'N' -> {
          int close = s.indexOf('}', i);
          if (i >= s.length() || s.charAt(i) != '{' || close < 0) {
            return null;
          }
          int cp;
          try {
            cp = Character.codePointOf(s.substring(i + 1, close));
          } catch (IllegalArgumentException unknownName) {
            return null;
          }
          sb.appendCodePoint(cp);
          i = close + 1;
        }
        default -> {
          if (e >= '0' && e <= '7') {
            int start = i - 1;
            int end = start;
            while (end < s.length() && end < start + 3 && s.charAt(end) >= '0' && s.charAt(end) <= '7') {
              end++;
            }
            sb.appendCodePoint(Integer.parseInt(s.substring(start, end), 8));
            i = end;
          } else {
            // Python keeps unknown escapes as they stand
            sb.append('\\').append(e);
          }
        }
      }
    }
    return sb.toString();
  }

  private static int hex(String s, int from, int n) {
    if (from + n > s.length()) {
      return -1;
    }
    int v = 0;
    for (int i = from; i < from + n; i++) {
      int d = Character.digit(s.charAt(i), 16);
      if (d < 0) {
        return -1;
      }
      v = v * 16 + d;
    }
    return v;
  }
}

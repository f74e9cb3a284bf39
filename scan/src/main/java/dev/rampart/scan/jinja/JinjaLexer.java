package dev.rampart.scan.jinja;

import java.util.ArrayList;
import java.util.List;

/** Splits a Jinja template into its tags, and a tag's source into expression tokens. */
final class JinjaLexer {
  /** A {{ ... }} or {% ... %} tag with its offset in the template. */
  record Tag(String source, int offset, boolean statement) {}

  enum Kind {
    NAME,
    STRING,
    NUMBER,
    OP,
  }

  record Token(Kind kind, String text) {}

  private JinjaLexer() {}

  static List<Tag> tags(String template) {
    var out = new ArrayList<Tag>();
    int i = 0;
    while (i < template.length()) {
      int open = template.indexOf('{', i);
      if (open < 0 || open + 1 >= template.length()) {
        break;
      }
      char k = template.charAt(open + 1);
      if (k != '{' && k != '%' && k != '#') {
        i = open + 1;
        continue;
      }
      String close = k == '{' ? "}}" : k == '%' ? "%}" : "#}";
      int end = template.indexOf(close, open + 2);
      if (end < 0) {
        end = template.length();
      }
      if (k != '#') {
        String body = template.substring(open + 2, end);
        body = stripWhitespaceControl(body);
        out.add(new Tag(body, open, k == '%'));
      }
      i = Math.min(template.length(), end + 2);
    }
    return out;
  }

  private static String stripWhitespaceControl(String body) {
    String b = body;
    if (b.startsWith("-") || b.startsWith("+")) {
      b = b.substring(1);
    }
    if (b.endsWith("-") || b.endsWith("+")) {
      b = b.substring(0, b.length() - 1);
    }
    return b.strip();
  }

  static List<Token> tokens(String src) {
    var out = new ArrayList<Token>();
    int i = 0;
    while (i < src.length()) {
      char c = src.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (Character.isLetter(c) || c == '_') {
        int j = i;
        while (j < src.length() && (Character.isLetterOrDigit(src.charAt(j)) || src.charAt(j) == '_')) {
          j++;
        }
        out.add(new Token(Kind.NAME, src.substring(i, j)));
        i = j;
      } else if (Character.isDigit(c)) {
        int j = i;
        while (j < src.length() && (Character.isLetterOrDigit(src.charAt(j)) || src.charAt(j) == '.' || src.charAt(j) == '_')) {
          j++;
        }
        out.add(new Token(Kind.NUMBER, src.substring(i, j)));
        i = j;
      } else if (c == '\'' || c == '"') {
        var sb = new StringBuilder();
        int j = i + 1;
        while (j < src.length() && src.charAt(j) != c) {
          char d = src.charAt(j);
          if (d == '\\' && j + 1 < src.length()) {
            j = unescape(src, j, sb);
          } else {
            sb.append(d);
            j++;
          }
        }
        out.add(new Token(Kind.STRING, sb.toString()));
        i = Math.min(src.length(), j + 1);
      } else {
        String two = i + 1 < src.length() ? src.substring(i, i + 2) : "";
        if (two.equals("**") || two.equals("//") || two.equals("==") || two.equals("!=") || two.equals("<=") || two.equals(">=")) {
          out.add(new Token(Kind.OP, two));
          i += 2;
        } else {
          out.add(new Token(Kind.OP, String.valueOf(c)));
          i++;
        }
      }
    }
    return out;
  }

  /** Python string escapes, which Jinja string literals share: the obfuscation attackers use for dunders. */
  private static int unescape(String s, int j, StringBuilder sb) {
    char e = s.charAt(j + 1);
    switch (e) {
      case 'x' -> {
        if (j + 3 < s.length() + 0 && hex(s, j + 2, 2)) {
          sb.append((char) Integer.parseInt(s.substring(j + 2, j + 4), 16));
          return j + 4;
        }
      }
      case 'u' -> {
        if (hex(s, j + 2, 4)) {
          sb.append((char) Integer.parseInt(s.substring(j + 2, j + 6), 16));
          return j + 6;
        }
      }
      case 'U' -> {
        if (hex(s, j + 2, 8)) {
          sb.appendCodePoint(Integer.parseInt(s.substring(j + 2, j + 10), 16));
          return j + 10;
        }
      }
      case 'n' -> {
        sb.append('\n');
        return j + 2;
      }
      case 't' -> {
        sb.append('\t');
        return j + 2;
      }
      default -> {
        if (e >= '0' && e <= '7') {
          int k = j + 1;
          while (k < s.length() && k < j + 4 && s.charAt(k) >= '0' && s.charAt(k) <= '7') {
            k++;
          }
          sb.append((char) Integer.parseInt(s.substring(j + 1, k), 8));
          return k;
        }
        sb.append(e);
        return j + 2;
      }
    }
    sb.append(e);
    return j + 2;
  }

  private static boolean hex(String s, int from, int n) {
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
}

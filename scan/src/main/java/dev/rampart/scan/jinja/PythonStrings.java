package dev.rampart.scan.jinja;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code str.format} and {@code %} formatting and {@code repr}, for the constant cases a template can
 * use to spell a name ({@code '{0:c}'.format(95)}, {@code '%c' % 95}). Anything else gives null (unknown).
 */
final class PythonStrings {
  /** One replacement field of a {@code str.format} string: the argument, attribute/item chain, and spec. */
  record Field(String argument, List<String> attributes, List<String> items, String conversion, String spec) {}

  private PythonStrings() {}

  /** Python's {@code str.isspace} (and the {@code \\s} of its regular expressions), wider than Java's. */
  static boolean isSpace(int cp) {
    return cp == ' ' || cp >= 0x09 && cp <= 0x0d || cp >= 0x1c && cp <= 0x1f || cp == 0x85 || cp == 0xa0
        || cp == 0x1680 || cp >= 0x2000 && cp <= 0x200a || cp == 0x2028 || cp == 0x2029 || cp == 0x202f
        || cp == 0x205f || cp == 0x3000;
  }

  /** {@code str.strip()} with Python's whitespace. */
  static String strip(String s) {
    int a = 0;
    int b = s.length();
    while (a < b && isSpace(s.charAt(a))) {
      a++;
    }
    while (b > a && isSpace(s.charAt(b - 1))) {
      b--;
    }
    return s.substring(a, b);
  }

  /** {@code str.split()} without a separator: runs of Python whitespace. */
  static List<String> splitWhitespace(String s) {
    var out = new ArrayList<String>();
    int i = 0;
    while (i < s.length()) {
      while (i < s.length() && isSpace(s.charAt(i))) {
        i++;
      }
      int j = i;
      while (j < s.length() && !isSpace(s.charAt(j))) {
        j++;
      }
      if (j > i) {
        out.add(s.substring(i, j));
      }
      i = j;
    }
    return out;
  }

  /** {@code str.splitlines()}: Python's line boundaries, no trailing empty line. */
  static List<String> splitLines(String s) {
    var out = new ArrayList<String>();
    int start = 0;
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      boolean boundary = c == '\n' || c == '\r' || c == 0x0b || c == 0x0c || c >= 0x1c && c <= 0x1e || c == 0x85
          || c == 0x2028 || c == 0x2029;
      if (boundary) {
        out.add(s.substring(start, i));
        if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
          i++;
        }
        start = i + 1;
      }
      i++;
    }
    if (start < s.length()) {
      out.add(s.substring(start));
    }
    return out;
  }

  /** {@code str.replace(old, new, count)}; a negative count replaces all. Null past the string bound. */
  static String replace(String s, String old, String replacement, long count, int maxLength) {
    var sb = new StringBuilder();
    long done = 0;
    int i = 0;
    if (old.isEmpty()) {
      // Python inserts the replacement before every character and at the end
      int n = 0;
      for (int cp : s.codePoints().toArray()) {
        if (count < 0 || n < count) {
          sb.append(replacement);
          n++;
        }
        sb.appendCodePoint(cp);
        if (sb.length() > maxLength) {
          return null;
        }
      }
      if (count < 0 || n < count) {
        sb.append(replacement);
      }
      return sb.length() > maxLength ? null : sb.toString();
    }
    while (i < s.length()) {
      int at = s.indexOf(old, i);
      if (at < 0 || count >= 0 && done >= count) {
        break;
      }
      sb.append(s, i, at).append(replacement);
      done++;
      i = at + old.length();
      if (sb.length() > maxLength) {
        return null;
      }
    }
    sb.append(s, i, s.length());
    return sb.length() > maxLength ? null : sb.toString();
  }

  /** The replacement fields of a format string, or null if it is malformed. */
  static List<Field> fields(String fmt) {
    var out = new ArrayList<Field>();
    int i = 0;
    while (i < fmt.length()) {
      char c = fmt.charAt(i);
      if (c == '{' && i + 1 < fmt.length() && fmt.charAt(i + 1) == '{' || c == '}' && i + 1 < fmt.length()
          && fmt.charAt(i + 1) == '}') {
        i += 2;
        continue;
      }
      if (c != '{') {
        i++;
        continue;
      }
      int depth = 1;
      int j = i + 1;
      while (j < fmt.length() && depth > 0) {
        if (fmt.charAt(j) == '{') {
          depth++;
        } else if (fmt.charAt(j) == '}') {
          depth--;
        }
        j++;
      }
      if (depth != 0) {
        return null;
      }
      out.add(field(fmt.substring(i + 1, j - 1)));
      i = j;
    }
    return out;
  }

  private static Field field(String body) {
    String spec = "";
    String conversion = "";
    int bracket = 0;
    int colon = -1;
    int bang = -1;
    for (int k = 0; k < body.length(); k++) {
      char c = body.charAt(k);
      if (c == '[') {
        bracket++;
      } else if (c == ']') {
        bracket--;
      } else if (bracket == 0 && c == '!' && bang < 0 && colon < 0) {
        bang = k;
      } else if (bracket == 0 && c == ':' && colon < 0) {
        colon = k;
      }
    }
    String name = body;
    if (colon >= 0) {
      spec = body.substring(colon + 1);
      name = body.substring(0, colon);
    }
    if (bang >= 0 && bang < name.length()) {
      conversion = name.substring(bang + 1);
      name = name.substring(0, bang);
    }
    var attributes = new ArrayList<String>();
    var items = new ArrayList<String>();
    int k = 0;
    while (k < name.length() && name.charAt(k) != '.' && name.charAt(k) != '[') {
      k++;
    }
    String argument = name.substring(0, k);
    while (k < name.length()) {
      char c = name.charAt(k);
      int end;
      if (c == '.') {
        end = k + 1;
        while (end < name.length() && name.charAt(end) != '.' && name.charAt(end) != '[') {
          end++;
        }
        attributes.add(name.substring(k + 1, end));
      } else if (c == '[') {
        end = name.indexOf(']', k);
        if (end < 0) {
          end = name.length();
        }
        items.add(name.substring(k + 1, end));
        end++;
      } else {
        end = k + 1;
      }
      k = end;
    }
    return new Field(argument, attributes, items, conversion, spec);
  }

  /** {@code fmt.format(*positional, **named)} with constant arguments, or null. */
  static String format(String fmt, List<Object> positional, Map<String, Object> named) {
    var sb = new StringBuilder();
    int auto = 0;
    int i = 0;
    while (i < fmt.length()) {
      char c = fmt.charAt(i);
      if ((c == '{' || c == '}') && i + 1 < fmt.length() && fmt.charAt(i + 1) == c) {
        sb.append(c);
        i += 2;
        continue;
      }
      if (c == '}') {
        return null;
      }
      if (c != '{') {
        sb.append(c);
        i++;
        continue;
      }
      int close = fmt.indexOf('}', i);
      if (close < 0) {
        return null;
      }
      Field f = field(fmt.substring(i + 1, close));
      if (!f.attributes().isEmpty() || !f.items().isEmpty() || f.spec().contains("{")) {
        return null;
      }
      Object arg;
      if (f.argument().isEmpty()) {
        arg = auto < positional.size() ? positional.get(auto++) : null;
      } else if (f.argument().chars().allMatch(Character::isDigit)) {
        if (f.argument().length() > 6) {
          return null;
        }
        int n = Integer.parseInt(f.argument());
        arg = n < positional.size() ? positional.get(n) : null;
      } else {
        arg = named.get(f.argument());
      }
      if (arg == null) {
        return null;
      }
      if (f.conversion().equals("r") || f.conversion().equals("a")) {
        arg = repr(arg);
      }
      String formatted = spec(arg, f.spec());
      if (formatted == null) {
        return null;
      }
      sb.append(formatted);
      i = close + 1;
    }
    return sb.toString();
  }

  /** A format spec applied to a string or long: fill/align/width and the c, d, s, x, X, o, b types. */
  private static String spec(Object arg, String spec) {
    if (spec.isEmpty()) {
      return arg.toString();
    }
    char type = spec.charAt(spec.length() - 1);
    String rest = Character.isLetter(type) ? spec.substring(0, spec.length() - 1) : spec;
    String body;
    if (!Character.isLetter(type)) {
      body = arg.toString();
    } else if (arg instanceof Long n) {
      body = switch (type) {
        case 'c' -> n >= 0 && n <= Character.MAX_CODE_POINT ? new String(Character.toChars(n.intValue())) : null;
        case 'd', 'n' -> Long.toString(n);
        case 'x' -> Long.toHexString(n);
        case 'X' -> Long.toHexString(n).toUpperCase(java.util.Locale.ROOT);
        case 'o' -> Long.toOctalString(n);
        case 'b' -> Long.toBinaryString(n);
        default -> null;
      };
    } else {
      body = type == 's' ? arg.toString() : null;
    }
    if (body == null) {
      return null;
    }
    return pad(body, rest);
  }

  private static String pad(String body, String spec) {
    if (spec.isEmpty()) {
      return body;
    }
    char fill = ' ';
    char align = '<';
    String s = spec;
    if (s.length() >= 2 && "<>^=".indexOf(s.charAt(1)) >= 0) {
      fill = s.charAt(0);
      align = s.charAt(1);
      s = s.substring(2);
    } else if ("<>^=".indexOf(s.charAt(0)) >= 0) {
      align = s.charAt(0);
      s = s.substring(1);
    }
    if (s.isEmpty()) {
      return body;
    }
    if (!s.chars().allMatch(Character::isDigit) || s.length() > 4) {
      return null;
    }
    int width = Integer.parseInt(s);
    int missing = Math.max(0, width - body.length());
    String f = String.valueOf(fill);
    return switch (align) {
      case '>', '=' -> f.repeat(missing) + body;
      case '^' -> f.repeat(missing / 2) + body + f.repeat(missing - missing / 2);
      default -> body + f.repeat(missing);
    };
  }

  /** {@code fmt % args} with constant arguments (strings and longs), or null. */
  static String percent(String fmt, List<Object> args) {
    var sb = new StringBuilder();
    int next = 0;
    int i = 0;
    while (i < fmt.length()) {
      char c = fmt.charAt(i);
      if (c != '%') {
        sb.append(c);
        i++;
        continue;
      }
      int j = i + 1;
      while (j < fmt.length() && "-+ #0123456789.".indexOf(fmt.charAt(j)) >= 0) {
        j++;
      }
      if (j >= fmt.length()) {
        return null;
      }
      char type = fmt.charAt(j);
      String flags = fmt.substring(i + 1, j);
      i = j + 1;
      if (type == '%') {
        sb.append('%');
        continue;
      }
      if (next >= args.size()) {
        return null;
      }
      Object arg = args.get(next++);
      String body = switch (type) {
        case 's' -> arg.toString();
        case 'r', 'a' -> repr(arg);
        case 'c' -> arg instanceof Long n && n >= 0 && n <= Character.MAX_CODE_POINT
            ? new String(Character.toChars(n.intValue()))
            : arg instanceof String s && s.codePointCount(0, s.length()) == 1 ? s : null;
        case 'd', 'i', 'u' -> arg instanceof Long n ? Long.toString(n) : null;
        case 'x' -> arg instanceof Long n ? Long.toHexString(n) : null;
        case 'X' -> arg instanceof Long n ? Long.toHexString(n).toUpperCase(java.util.Locale.ROOT) : null;
        case 'o' -> arg instanceof Long n ? Long.toOctalString(n) : null;
        default -> null;
      };
      if (body == null) {
        return null;
      }
      String width = flags.replaceAll("[^0-9]", "");
      if (!width.isEmpty() && !flags.contains(".")) {
        if (width.length() > 4) {
          return null;
        }
        int w = Integer.parseInt(width);
        String pad = " ".repeat(Math.max(0, w - body.length()));
        body = flags.contains("-") ? body + pad : pad + body;
      } else if (flags.contains(".")) {
        return null;
      }
      sb.append(body);
    }
    return next == args.size() ? sb.toString() : null;
  }

  /** Python's repr of a string or long. */
  static String repr(Object o) {
    if (!(o instanceof String s)) {
      return o.toString();
    }
    char quote = s.contains("'") && !s.contains("\"") ? '"' : '\'';
    var sb = new StringBuilder().append(quote);
    s.codePoints().forEach(cp -> {
      if (cp == quote || cp == '\\') {
        sb.append('\\').appendCodePoint(cp);
      } else if (cp == '\n') {
        sb.append("\\n");
      } else if (cp == '\r') {
        sb.append("\\r");
      } else if (cp == '\t') {
        sb.append("\\t");
      } else if (cp < 0x20 || cp == 0x7f) {
        sb.append(String.format("\\x%02x", cp));
      } else {
        sb.appendCodePoint(cp);
      }
    });
    return sb.append(quote).toString();
  }
}

package dev.rampart.core.numpy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The subset of Python literals NumPy's header reader accepts through {@code ast.literal_eval}: dictionaries,
 * lists, tuples, strings, integers, {@code True} and {@code False}. Parsed, never evaluated, with a depth bound;
 * anything else is refused, as NumPy would refuse it.
 */
final class PythonLiteral {
  private static final int MAX_DEPTH = 32;

  /** A tuple, kept apart from a list because the header's shape must be one. */
  record Tuple(List<Object> items) {}

  private final String s;
  private int i;

  private PythonLiteral(String s) {
    this.s = s;
  }

  static Object parse(String text) {
    var p = new PythonLiteral(text);
    Object v = p.value(0);
    p.space();
    if (p.i != p.s.length()) {
      throw new IllegalArgumentException("unexpected text after the literal at character " + p.i);
    }
    return v;
  }

  private Object value(int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("nested deeper than " + MAX_DEPTH);
    }
    space();
    if (i >= s.length()) {
      throw new IllegalArgumentException("the literal ends early");
    }
    char c = s.charAt(i);
    return switch (c) {
      case '{' -> dict(depth);
      case '[' -> new ArrayList<>(sequence(depth, ']'));
      case '(' -> new Tuple(sequence(depth, ')'));
      case '\'', '"' -> string();
      default -> c == '-' || Character.isDigit(c) ? integer() : word();
    };
  }

  private Map<String, Object> dict(int depth) {
    i++;
    var out = new LinkedHashMap<String, Object>();
    while (true) {
      space();
      if (peek('}')) {
        return out;
      }
      Object key = value(depth + 1);
      if (!(key instanceof String k)) {
        throw new IllegalArgumentException("a dictionary key is not a string");
      }
      space();
      expect(':');
      Object v = value(depth + 1);
      if (out.put(k, v) != null) {
        throw new IllegalArgumentException("the key '" + k + "' appears twice");
      }
      space();
      if (!peek(',')) {
        space();
        expect('}');
        return out;
      }
    }
  }

  private List<Object> sequence(int depth, char close) {
    i++;
    var out = new ArrayList<Object>();
    while (true) {
      space();
      if (peek(close)) {
        return out;
      }
      out.add(value(depth + 1));
      space();
      if (!peek(',')) {
        space();
        expect(close);
        return out;
      }
    }
  }

  private String string() {
    char quote = s.charAt(i++);
    var out = new StringBuilder();
    while (i < s.length()) {
      char c = s.charAt(i++);
      if (c == quote) {
        return out.toString();
      }
      if (c == '\\') {
        // escapes have no place in a dtype or key NumPy writes; refusing them keeps the reading unambiguous
        throw new IllegalArgumentException("escape sequences in strings are not supported");
      }
      out.append(c);
    }
    throw new IllegalArgumentException("unterminated string");
  }

  private Long integer() {
    int start = i;
    if (s.charAt(i) == '-') {
      i++;
    }
    while (i < s.length() && Character.isDigit(s.charAt(i))) {
      i++;
    }
    if (i < s.length() && s.charAt(i) == 'L') {
      i++; // Python 2 long suffix, which old NumPy wrote
    }
    String digits = s.substring(start, i).replace("L", "");
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + digits + "' is not an integer NumPy accepts");
    }
  }

  private Boolean word() {
    for (String w : new String[] {"True", "False"}) {
      if (s.startsWith(w, i)) {
        i += w.length();
        return w.equals("True");
      }
    }
    throw new IllegalArgumentException("unexpected character '" + s.charAt(i) + "' at " + i);
  }

  private void space() {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
  }

  private boolean peek(char c) {
    if (i < s.length() && s.charAt(i) == c) {
      i++;
      return true;
    }
    return false;
  }

  private void expect(char c) {
    if (!peek(c)) {
      throw new IllegalArgumentException("expected '" + c + "' at character " + i);
    }
  }
}

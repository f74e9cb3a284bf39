package dev.rampart.scan.secrets;

import java.util.List;
import java.util.Locale;

/**
 * A hand-written matcher for {@code name = value} credentials, where {@code name} ends with a word such as
 * {@code token} or {@code password}. It is the rule whose keywords occur most often ("key", "token"), so it runs in
 * time proportional to the assignment it inspects instead of through a regular expression.
 *
 * @param suffixes lower-case endings of a credential's name, without separators ("apikey" matches API_KEY)
 */
record Assignment(List<String> suffixes, int minLength, int maxLength) implements Extractor {
  private static final int MAX_NAME = 64;

  /** The value assigned to the name around {@code keywordEnd}, or {@code null}. */
  @Override
  public int[] match(CharSequence text, int keywordEnd) {
    int nameStart = keywordEnd - 1;
    while (nameStart > 0 && nameChar(text.charAt(nameStart - 1)) && keywordEnd - nameStart < MAX_NAME) {
      nameStart--;
    }
    int nameEnd = keywordEnd;
    while (nameEnd < text.length() && nameChar(text.charAt(nameEnd)) && nameEnd - nameStart < MAX_NAME) {
      nameEnd++;
    }
    if (!sensitive(text.subSequence(nameStart, nameEnd))) {
      return null;
    }
    int p = nameEnd;
    p = skipQuote(text, p);
    p = skipBlanks(text, p);
    if (p >= text.length()) {
      return null;
    }
    char c = text.charAt(p);
    if (c == ':' || c == '=') {
      p++;
      if (p < text.length() && (text.charAt(p) == '=' || text.charAt(p) == '>')) {
        p++;
      }
    } else {
      return null;
    }
    p = skipBlanks(text, p);
    p = skipQuote(text, p);
    int valueStart = p;
    while (p < text.length() && valueChar(text.charAt(p)) && p - valueStart <= maxLength) {
      p++;
    }
    int length = p - valueStart;
    if (length < minLength || length > maxLength) {
      return null;
    }
    if (p < text.length() && "\"' \t\r\n,;}".indexOf(text.charAt(p)) < 0) {
      return null;
    }
    if (Placeholders.repeatsName(text.subSequence(nameStart, nameEnd), text.subSequence(valueStart, p))) {
      return null;
    }
    return new int[] {valueStart, p};
  }

  private boolean sensitive(CharSequence name) {
    var sb = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c != '_' && c != '-' && c != '.') {
        sb.append(c);
      }
    }
    String normalised = sb.toString().toLowerCase(Locale.ROOT);
    for (String suffix : suffixes) {
      if (normalised.endsWith(suffix)) {
        return true;
      }
    }
    return false;
  }

  private static boolean nameChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-';
  }

  private static boolean valueChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "_+/=.~-".indexOf(c) >= 0;
  }

  private static int skipQuote(CharSequence text, int p) {
    return p < text.length() && (text.charAt(p) == '"' || text.charAt(p) == '\'') ? p + 1 : p;
  }

  private static int skipBlanks(CharSequence text, int p) {
    while (p < text.length() && (text.charAt(p) == ' ' || text.charAt(p) == '\t')) {
      p++;
    }
    return p;
  }
}

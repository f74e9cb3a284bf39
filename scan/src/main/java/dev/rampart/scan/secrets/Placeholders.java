package dev.rampart.scan.secrets;

import java.util.List;
import java.util.Locale;

/**
 * Values that have the shape of a credential but are not one: documentation examples, template references and
 * masked values. Filtering them is what keeps the scanner quiet on real repositories.
 */
final class Placeholders {
  private static final List<String> STOPWORDS =
      List.of("example", "xxxx", "****", "....", "placeholder", "your_", "your-", "yourkey", "dummy", "redacted",
          "sample", "changeme", "insert", "replace", "<", ">", "${", "{{", "}}", "%(", "$(", "os.environ", "getenv",
          "0123456789", "abcdefghij", "1234567890");

  /** Whole values that are the name of what should be there. */
  private static final java.util.Set<String> WORDS =
      java.util.Set.of("password", "passwd", "pass", "secret", "pwd", "token", "apikey", "api_key", "username",
          "user", "test", "admin", "none", "null", "true", "false");

  private static final List<String> INLINE_ALLOW = List.of("rampart:allow", "gitleaks:allow");

  private Placeholders() {}

  /** True when the captured value reads like a placeholder rather than a credential. */
  static boolean isPlaceholder(String secret) {
    String lower = secret.toLowerCase(Locale.ROOT);
    for (String word : STOPWORDS) {
      if (lower.contains(word)) {
        return true;
      }
    }
    if (lower.startsWith("$") || WORDS.contains(lower)) {
      return true;
    }
    return distinctCharacters(secret) <= 3;
  }

  /** True when the line carries an inline suppression comment. */
  static boolean allowedInline(CharSequence line) {
    String s = line.toString();
    for (String marker : INLINE_ALLOW) {
      if (s.contains(marker)) {
        return true;
      }
    }
    return false;
  }

  static boolean hasLettersAndDigits(String s) {
    boolean letter = false;
    boolean digit = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      letter |= Character.isLetter(c);
      digit |= Character.isDigit(c);
    }
    return letter && digit;
  }

  private static long distinctCharacters(String s) {
    return s.chars().distinct().count();
  }
}

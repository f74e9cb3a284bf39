package dev.rampart.scan.secrets;

import java.util.List;
import java.util.Locale;

/**
 * Values that have the shape of a credential but are not one: documentation examples, template references and
 * masked values. Filtering them is what keeps the scanner quiet on real repositories.
 */
final class Placeholders {
  private static final List<String> STOPWORDS =
      List.of("example", "xxxx", "****", "....", "####", "placeholder", "your_", "your-", "yourkey", "yourtoken",
          "yourpassword", "dummy", "redacted", "sample", "changeme", "change_me", "change-me", "insert", "replace",
          "notreal", "not_real", "not-a-real", "<", ">", "${", "{{", "}}", "%(", "$(", "os.environ", "getenv",
          "0123456789", "abcdefghij", "1234567890");

  /**
   * Values published as examples in providers' documentation. They are format-valid, so only their exact text
   * tells them apart (AWS's end in EXAMPLE and are caught by the stop words above).
   */
  private static final java.util.Set<String> DOCUMENTED_EXAMPLES =
      java.util.Set.of(
          // jwt.io's introductory token, reproduced in countless READMEs
          "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c");

  /**
   * Short words that random tokens contain by chance ({@code FAKe} in a base62 body): they count only as whole
   * words, bounded by a non-letter or the value's ends.
   */
  private static final List<String> BOUNDED_WORDS = List.of("fake", "todo", "fixme", "test", "demo");

  /** Whole values that are the name of what should be there. */
  private static final java.util.Set<String> WORDS =
      java.util.Set.of("password", "passwd", "pass", "secret", "pwd", "token", "apikey", "api_key", "username",
          "user", "test", "admin", "none", "null", "true", "false", "guest", "anonymous");

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
    for (String word : BOUNDED_WORDS) {
      if (boundedWord(lower, word)) {
        return true;
      }
    }
    if (lower.startsWith("$") || WORDS.contains(lower) || DOCUMENTED_EXAMPLES.contains(secret) || interpolated(secret)) {
      return true;
    }
    String body = withoutPrefix(secret);
    return distinctCharacters(secret) <= 3 || distinctCharacters(body) <= 3 || periodic(body) || ascendingRun(body) >= 8;
  }

  private static boolean boundedWord(String lower, String word) {
    for (int at = lower.indexOf(word); at >= 0; at = lower.indexOf(word, at + 1)) {
      int end = at + word.length();
      if ((at == 0 || !Character.isLetter(lower.charAt(at - 1)))
          && (end == lower.length() || !Character.isLetter(lower.charAt(end)))) {
        return true;
      }
    }
    return false;
  }

  /** {@code {password}}, {@code {self.token}}, {@code [API_KEY]}: a format string's field or a bracketed name. */
  private static boolean interpolated(String secret) {
    return secret.length() >= 3
        && (secret.charAt(0) == '{' && secret.charAt(secret.length() - 1) == '}'
            || secret.charAt(0) == '[' && secret.charAt(secret.length() - 1) == ']');
  }

  /** The part after a vendor prefix such as {@code ghp_} or {@code xoxb-}, where filler shows. */
  private static String withoutPrefix(String secret) {
    for (int i = 0; i < Math.min(12, secret.length()); i++) {
      char c = secret.charAt(i);
      if (c == '_' || c == '-') {
        return secret.substring(i + 1);
      }
    }
    return secret;
  }

  /** {@code abcabcabc…} or {@code 12341234…}: a short unit repeated across the whole value. */
  private static boolean periodic(String s) {
    if (s.length() < 12) {
      return false;
    }
    for (int period = 1; period <= 8; period++) {
      boolean repeats = true;
      for (int i = period; i < s.length() && repeats; i++) {
        repeats = s.charAt(i) == s.charAt(i - period);
      }
      if (repeats) {
        return true;
      }
    }
    return false;
  }

  /** The longest run of consecutive characters ({@code abcdefgh}, {@code 3456789}), typed by hand, not generated. */
  private static int ascendingRun(String s) {
    int best = s.isEmpty() ? 0 : 1;
    int run = 1;
    for (int i = 1; i < s.length(); i++) {
      run = s.charAt(i) == s.charAt(i - 1) + 1 ? run + 1 : 1;
      best = Math.max(best, run);
    }
    return best;
  }

  /**
   * True when the value repeats the name it is assigned to ({@code API_KEY=your_api_key},
   * {@code WANDB_API_KEY: wandb-api-key}): a template line, not a credential.
   */
  static boolean repeatsName(CharSequence name, CharSequence value) {
    String n = letters(name);
    String v = letters(value);
    if (n.length() < 4 || v.length() < 4) {
      return false;
    }
    return v.contains(n) || n.contains(v);
  }

  private static String letters(CharSequence s) {
    var sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isLetterOrDigit(c)) {
        sb.append(Character.toLowerCase(c));
      }
    }
    return sb.toString();
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

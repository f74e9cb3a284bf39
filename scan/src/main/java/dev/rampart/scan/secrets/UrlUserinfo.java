package dev.rampart.scan.secrets;

import java.util.Set;
import java.util.Locale;

/**
 * The credential in a URL's userinfo ({@code scheme://user:password@host}), read from the {@code ://} keyword the way
 * URL parsers read it: the authority ends at the first {@code /}, {@code ?}, {@code #}, quote or blank, and the
 * userinfo ends at the last {@code @} before that (an unescaped {@code @} in a password is common and accepted by
 * urllib and libpq alike).
 *
 * @param schemes lower-case schemes this rule reads (a {@code +driver} suffix is ignored); empty means any scheme
 * @param bareTokens a userinfo without a colon counts when it looks like a token ({@code https://TOKEN@github.com}),
 *     as Git hosts accept a token in place of the user name
 */
record UrlUserinfo(Set<String> schemes, boolean bareTokens) implements Extractor {
  /** Returned when the URL has no userinfo at all, whatever the scheme: other URL rules need not look again. */
  static final int[] NO_USERINFO = new int[0];

  private static final int MAX_SCHEME = 32;
  private static final int MAX_USERINFO = 256;
  private static final int MIN_BARE_TOKEN = 20;

  @Override
  public int[] match(CharSequence text, int keywordEnd) {
    int start = keywordEnd;
    int at = -1;
    int p = start;
    int limit = Math.min(text.length(), start + MAX_USERINFO);
    while (p < limit) {
      char c = text.charAt(p);
      if (authorityEnd(c)) {
        break;
      }
      if (c == '@') {
        at = p;
      }
      p++;
    }
    // most URLs carry no userinfo: that is settled before the scheme is looked at
    if (at <= start || at + 1 >= text.length() || !hostStart(text.charAt(at + 1))) {
      return NO_USERINFO;
    }
    if (!schemeAccepted(text, keywordEnd - 3)) {
      return null;
    }
    int colon = -1;
    for (int i = start; i < at; i++) {
      if (text.charAt(i) == ':') {
        colon = i;
        break;
      }
    }
    if (colon < 0) {
      return bareTokens && bareToken(text, start, at) && !publicKeyHost(text, at + 1) ? new int[] {start, at} : null;
    }
    if (at - colon - 1 < 3) {
      return null;
    }
    // a password that repeats the user name (postgres:postgres, mlflow:mlflow) is a local default, not a secret
    if (text.subSequence(start, colon).toString().contentEquals(text.subSequence(colon + 1, at))) {
      return null;
    }
    return new int[] {colon + 1, at};
  }

  private boolean schemeAccepted(CharSequence text, int colon) {
    int s = colon;
    while (s > 0 && colon - s < MAX_SCHEME && schemeChar(text.charAt(s - 1))) {
      s--;
    }
    if (s == colon || !Character.isLetter(text.charAt(s))) {
      return false;
    }
    if (schemes.isEmpty()) {
      return true;
    }
    String scheme = text.subSequence(s, colon).toString().toLowerCase(Locale.ROOT);
    // jdbc:postgresql -> postgresql; postgresql+psycopg2 -> postgresql
    scheme = scheme.substring(scheme.lastIndexOf(':') + 1);
    int plus = scheme.indexOf('+');
    String base = plus < 0 ? scheme : scheme.substring(0, plus);
    return schemes.contains(scheme) || schemes.contains(base);
  }

  private static boolean bareToken(CharSequence text, int start, int end) {
    if (end - start < MIN_BARE_TOKEN) {
      return false;
    }
    String user = text.subSequence(start, end).toString();
    for (int i = 0; i < user.length(); i++) {
      char c = user.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-')) {
        return false;
      }
    }
    return Placeholders.hasLettersAndDigits(user) && Entropy.shannon(user) >= 3.5;
  }

  /**
   * Hosts whose URLs carry a public client key as the user name: a Sentry DSN's key only lets clients send events and
   * is meant to ship in client code.
   */
  private static boolean publicKeyHost(CharSequence text, int hostStart) {
    int end = hostStart;
    while (end < text.length() && end - hostStart < 256 && !authorityEnd(text.charAt(end)) && text.charAt(end) != ':') {
      end++;
    }
    String host = text.subSequence(hostStart, end).toString().toLowerCase(Locale.ROOT);
    return host.equals("sentry.io") || host.endsWith(".sentry.io");
  }

  private static boolean schemeChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '.' || c == '-'
        || c == ':';
  }

  private static boolean authorityEnd(char c) {
    return c == '/' || c == '?' || c == '#' || c == '"' || c == '\'' || c == '`' || c == '<' || c == '>' || c == '\\'
        || c <= ' ';
  }

  private static boolean hostStart(char c) {
    return Character.isLetterOrDigit(c) || c == '[';
  }
}

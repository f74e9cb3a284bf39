package dev.rampart.scan.pickle;

import java.math.BigInteger;

/**
 * Integers in text opcodes (PUT, GET, LONG, INT) as CPython reads them with {@code PyLong_FromString(s, NULL, 10)}:
 * the C string ends at the first NUL; surrounding whitespace, a sign, leading zeros and single underscores between
 * digits are accepted. Rampart must accept every index the loader accepts, or a memo read could hide a global.
 */
final class PythonInts {
  private PythonInts() {}

  /** The value in base 10, or null where CPython raises. */
  static BigInteger parse(String line) {
    return parse(line, false);
  }

  /** The LONG opcode's argument: base 0, as {@code int(s, 0)} (prefixes 0x, 0o, 0b; no leading zeros). */
  static BigInteger parseBase0(String line) {
    return parse(line, true);
  }

  private static BigInteger parse(String line, boolean base0) {
    int nul = line.indexOf('\0');
    String s = nul >= 0 ? line.substring(0, nul) : line;
    int i = 0;
    int end = s.length();
    while (i < end && space(s.charAt(i))) {
      i++;
    }
    while (end > i && space(s.charAt(end - 1))) {
      end--;
    }
    boolean negative = false;
    if (i < end && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      negative = s.charAt(i) == '-';
      i++;
    }
    int radix = 10;
    boolean lastDigit = false;
    if (base0 && i + 1 < end && s.charAt(i) == '0' && "xXoObB".indexOf(s.charAt(i + 1)) >= 0) {
      char p = Character.toLowerCase(s.charAt(i + 1));
      radix = p == 'x' ? 16 : p == 'o' ? 8 : 2;
      i += 2;
      lastDigit = true; // one underscore may follow the prefix
    }
    boolean prefixed = radix != 10;
    var digits = new StringBuilder();
    for (; i < end; i++) {
      char c = s.charAt(i);
      if (c < 128 && Character.digit(c, radix) >= 0) {
        digits.append(c);
        lastDigit = true;
      } else if (c == '_' && lastDigit) {
        lastDigit = false;
      } else {
        return null;
      }
    }
    if (digits.isEmpty() || !lastDigit) {
      return null;
    }
    var v = new BigInteger(digits.toString(), radix);
    if (base0 && !prefixed && digits.charAt(0) == '0' && v.signum() != 0) {
      return null; // int('010', 0) is an error: old-style octal
    }
    return negative ? v.negate() : v;
  }

  /**
   * The INT opcode's argument: {@code _pickle} first tries C {@code strtol(s, &end, 0)} (so {@code 0x1f} is hex and
   * {@code 010} octal) and falls back to {@link #parse} when that does not consume the whole line.
   */
  static BigInteger parseIntOpcode(String line) {
    int nul = line.indexOf('\0');
    String s = nul >= 0 ? line.substring(0, nul) : line;
    int i = 0;
    while (i < s.length() && space(s.charAt(i))) {
      i++;
    }
    boolean negative = false;
    if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      negative = s.charAt(i) == '-';
      i++;
    }
    int radix = 10;
    if (i + 1 < s.length() && s.charAt(i) == '0' && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')
        && i + 2 < s.length() && Character.digit(s.charAt(i + 2), 16) >= 0) {
      radix = 16;
      i += 2;
    } else if (i < s.length() && s.charAt(i) == '0') {
      radix = 8;
    }
    int start = i;
    while (i < s.length() && s.charAt(i) < 128 && Character.digit(s.charAt(i), radix) >= 0) {
      i++;
    }
    if (i > start && i == s.length()) {
      var v = new BigInteger(s.substring(start, i), radix);
      if (v.bitLength() < 64) {
        return negative ? v.negate() : v;
      }
    }
    return parse(line);
  }

  private static boolean space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == 0x0c;
  }
}

package dev.rampart.core;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The shape of Rampart's own API tokens: {@code rmpu_} (users) or {@code rmps_} (service accounts), 43 base62
 * characters, and a 6-character base62 CRC32 checksum. The server issues them; the secret scanner recognises leaked
 * ones by the same rule.
 */
public final class ApiTokenFormat {
  public static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  public static final int LENGTH = 5 + 43 + 6;

  private ApiTokenFormat() {}

  public static String checksum(String body) {
    var crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.US_ASCII));
    long v = crc.getValue();
    var sb = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      sb.append(ALPHABET.charAt((int) (v % 62)));
      v /= 62;
    }
    return sb.reverse().toString();
  }

  /** True when the token has the Rampart shape and its checksum matches. */
  public static boolean valid(String token) {
    if (token == null || token.length() != LENGTH || !(token.startsWith("rmpu_") || token.startsWith("rmps_"))) {
      return false;
    }
    for (int i = 5; i < token.length(); i++) {
      if (ALPHABET.indexOf(token.charAt(i)) < 0) {
        return false;
      }
    }
    return checksum(token.substring(0, 48)).equals(token.substring(48));
  }
}

package dev.rampart.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.zip.CRC32;

/**
 * API tokens: {@code rmpu_} (users) or {@code rmps_} (service accounts), 43 base62 characters of randomness (256
 * bits) and a 6-character base62 CRC32 checksum, so a leaked token is recognisable by secret scanners and a typo is
 * caught before any lookup. Only the SHA-256 of a token is stored.
 */
public final class Tokens {
  private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final SecureRandom RANDOM = new SecureRandom();

  private Tokens() {}

  public static String generate(Principal.Kind kind) {
    var sb = new StringBuilder(kind == Principal.Kind.SERVICE ? "rmps_" : "rmpu_");
    for (int i = 0; i < 43; i++) {
      sb.append(ALPHABET.charAt(RANDOM.nextInt(62)));
    }
    return sb.append(checksum(sb.toString())).toString();
  }

  /** True when the token has the Rampart shape and its checksum matches. */
  public static boolean wellFormed(String token) {
    if (token == null || token.length() != 5 + 43 + 6 || !(token.startsWith("rmpu_") || token.startsWith("rmps_"))) {
      return false;
    }
    for (int i = 5; i < token.length(); i++) {
      if (ALPHABET.indexOf(token.charAt(i)) < 0) {
        return false;
      }
    }
    return checksum(token.substring(0, 48)).equals(token.substring(48));
  }

  static String checksum(String body) {
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

  public static String hash(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What may be shown of a token: its prefix and last four characters. */
  public static String display(String token) {
    return token.substring(0, 5) + "..." + token.substring(token.length() - 4);
  }
}

package dev.rampart.server.auth;

import dev.rampart.core.ApiTokenFormat;
import java.security.SecureRandom;

/**
 * API tokens: {@code rmpu_} (users) or {@code rmps_} (service accounts), 43 base62 characters of randomness (256
 * bits) and a 6-character base62 CRC32 checksum, so a leaked token is recognisable by secret scanners and a typo is
 * caught before any lookup. Only the SHA-256 of a token is stored.
 */
public final class Tokens {
  private static final String ALPHABET = ApiTokenFormat.ALPHABET;
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
    return ApiTokenFormat.valid(token);
  }

  static String checksum(String body) {
    return ApiTokenFormat.checksum(body);
  }

  public static String hash(String token) {
    return dev.rampart.core.Sha256.of(token);
  }

  /** What may be shown of a token: its prefix and last four characters. */
  public static String display(String token) {
    return token.substring(0, 5) + "..." + token.substring(token.length() - 4);
  }
}

package dev.rampart.scan.secrets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** How a secret may appear in any output: a short prefix, its length, and a digest prefix to correlate findings. */
public final class Redaction {
  private static final int SHOWN = 4;

  private Redaction() {}

  /** {@code hf_a…(37 chars)}; values shorter than 12 characters show nothing at all. */
  public static String preview(String secret) {
    int shown = secret.length() >= 12 ? Math.min(SHOWN, secret.length() / 4) : 0;
    return secret.substring(0, shown) + "…(" + secret.length() + " chars)";
  }

  /** The first 12 hex digits of the secret's SHA-256: stable across files, useless to an attacker. */
  public static String digest(String secret) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(d, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
    }
  }
}

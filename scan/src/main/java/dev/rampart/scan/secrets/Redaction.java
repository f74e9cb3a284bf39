package dev.rampart.scan.secrets;

import dev.rampart.core.Sha256;

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
    return "sha256:" + Sha256.of(secret).substring(0, 12);
  }
}

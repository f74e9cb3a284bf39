package dev.rampart.integrity.log;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * A C2SP {@code tlog-checkpoint} in a C2SP {@code signed-note}: origin, tree size and root hash, signed with Ed25519.
 *
 * <pre>
 * example.com/rampart-audit
 * 42
 * base64(root)
 *
 * — example.com/rampart-audit base64(keyId || signature)
 * </pre>
 */
public record Checkpoint(String origin, long size, byte[] root) {
  private static final String DASH = "\u2014 ";

  public Checkpoint {
    Objects.requireNonNull(origin, "origin");
    if (origin.isBlank() || origin.contains("\n")) {
      throw new IllegalArgumentException("checkpoint origin must be one non-empty line");
    }
    if (size < 0 || root.length != Merkle.HASH_SIZE) {
      throw new IllegalArgumentException("invalid checkpoint size or root");
    }
    root = root.clone();
  }

  public String body() {
    return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
  }

  /** Signs the note with an Ed25519 key named {@code keyName}. */
  public String sign(String keyName, PrivateKey key, PublicKey publicKey) {
    try {
      var sig = Signature.getInstance("Ed25519");
      sig.initSign(key);
      sig.update(body().getBytes(StandardCharsets.UTF_8));
      byte[] s = sig.sign();
      byte[] id = keyId(keyName, publicKey);
      byte[] line = new byte[4 + s.length];
      System.arraycopy(id, 0, line, 0, 4);
      System.arraycopy(s, 0, line, 4, s.length);
      return body() + "\n" + DASH + keyName + " " + Base64.getEncoder().encodeToString(line) + "\n";
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign checkpoint: " + e.getMessage(), e);
    }
  }

  /**
   * Parses a signed note and verifies it against a known key; unknown signature lines are ignored, and at least
   * one line must verify.
   */
  public static Checkpoint verify(String note, String keyName, PublicKey publicKey) throws LogException {
    int split = note.lastIndexOf("\n\n");
    if (split < 0) {
      throw new LogException.BadCheckpoint("not a signed note: no blank line before the signatures");
    }
    String body = note.substring(0, split + 1);
    String[] lines = body.split("\n");
    if (lines.length < 3) {
      throw new LogException.BadCheckpoint("checkpoint body needs origin, size and root hash");
    }
    Checkpoint cp;
    try {
      cp = new Checkpoint(lines[0], Long.parseLong(lines[1]), Base64.getDecoder().decode(lines[2]));
    } catch (IllegalArgumentException e) {
      throw new LogException.BadCheckpoint("malformed checkpoint: " + e.getMessage());
    }
    byte[] id = keyId(keyName, publicKey);
    int sigLines = 0;
    for (String line : note.substring(split + 2).split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      if (++sigLines > 100) {
        throw new LogException.BadCheckpoint("too many signature lines");
      }
      if (!line.startsWith(DASH)) {
        throw new LogException.BadCheckpoint("malformed signature line");
      }
      String[] parts = line.substring(DASH.length()).split(" ");
      if (parts.length != 2 || !parts[0].equals(keyName)) {
        continue;
      }
      byte[] raw;
      try {
        raw = Base64.getDecoder().decode(parts[1]);
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (raw.length < 5 || !Arrays.equals(Arrays.copyOf(raw, 4), id)) {
        continue;
      }
      try {
        var sig = Signature.getInstance("Ed25519");
        sig.initVerify(publicKey);
        sig.update(body.getBytes(StandardCharsets.UTF_8));
        if (sig.verify(Arrays.copyOfRange(raw, 4, raw.length))) {
          return cp;
        }
      } catch (java.security.GeneralSecurityException e) {
        // a signature that cannot be checked does not verify
      }
    }
    throw new LogException.BadCheckpoint("no signature by " + keyName + " verifies this checkpoint");
  }

  /** C2SP signed-note key id for Ed25519: SHA-256(name || 0x0A || 0x01 || public key)[:4]. */
  static byte[] keyId(String name, PublicKey key) {
    var md = Merkle.sha256();
    md.update(name.getBytes(StandardCharsets.UTF_8));
    md.update((byte) 0x0A);
    md.update((byte) 0x01);
    md.update(rawEd25519(key));
    return Arrays.copyOf(md.digest(), 4);
  }

  /** The 32-byte raw Ed25519 key: the tail of its X.509 encoding. */
  static byte[] rawEd25519(PublicKey key) {
    byte[] der = key.getEncoded();
    return Arrays.copyOfRange(der, der.length - 32, der.length);
  }

  static PublicKey ed25519(byte[] spki) throws java.security.GeneralSecurityException {
    return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Checkpoint c && c.origin.equals(origin) && c.size == size && MessageDigest.isEqual(c.root, root);
  }

  @Override
  public int hashCode() {
    return Objects.hash(origin, size, Arrays.hashCode(root));
  }
}

package dev.rampart.integrity.log;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
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
    var line = new SignedNote.Line(keyName, NoteKey.of(keyName, NoteKey.ED25519, publicKey).keyId(),
        NoteSigner.ed25519(key, body().getBytes(StandardCharsets.UTF_8)));
    return body() + "\n" + line.format();
  }

  /**
   * Parses a signed note and verifies it against a known key: lines from other keys are ignored (witness
   * cosignatures among them), a line from this key that does not verify rejects the note, and one must verify.
   */
  public static Checkpoint verify(String note, String keyName, PublicKey publicKey) throws LogException {
    return verify(note, NoteKey.of(keyName, NoteKey.ED25519, publicKey));
  }

  /** {@link #verify(String, String, PublicKey)} with the log's verifier key. */
  public static Checkpoint verify(String note, NoteKey logKey) throws LogException {
    SignedNote signed = SignedNote.parse(note);
    Checkpoint cp = parseText(signed.text());
    boolean verified = false;
    for (var line : signed.signatures()) {
      if (line.isFrom(logKey)) {
        if (!NoteSigner.ed25519Verifies(logKey, signed.textBytes(), line.signature())) {
          throw new LogException.BadCheckpoint("a signature by " + logKey.name() + " does not verify this checkpoint");
        }
        verified = true;
      }
    }
    if (!verified) {
      throw new LogException.BadCheckpoint("no signature by " + logKey.name() + " verifies this checkpoint");
    }
    return cp;
  }

  /**
   * Parses a checkpoint's text (C2SP {@code tlog-checkpoint}): origin, decimal size without leading zeros, base64
   * root hash of 32 bytes, then optional extension lines, each line ending in a newline.
   */
  public static Checkpoint parseText(String text) throws LogException.BadCheckpoint {
    if (!text.endsWith("\n")) {
      throw new LogException.BadCheckpoint("a checkpoint's text ends with a newline");
    }
    String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
    if (lines.length < 3) {
      throw new LogException.BadCheckpoint("checkpoint body needs origin, size and root hash");
    }
    for (int i = 3; i < lines.length; i++) {
      if (lines[i].isEmpty()) {
        throw new LogException.BadCheckpoint("empty extension line in a checkpoint");
      }
    }
    if (!lines[1].matches("0|[1-9][0-9]{0,18}")) {
      throw new LogException.BadCheckpoint("malformed checkpoint: the size is not a decimal without leading zeros");
    }
    try {
      byte[] root = Base64.getDecoder().decode(lines[2]);
      if (!Base64.getEncoder().encodeToString(root).equals(lines[2])) {
        throw new IllegalArgumentException("the root hash is not in canonical base64");
      }
      return new Checkpoint(lines[0], Long.parseLong(lines[1]), root);
    } catch (IllegalArgumentException e) {
      throw new LogException.BadCheckpoint("malformed checkpoint: " + e.getMessage());
    }
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

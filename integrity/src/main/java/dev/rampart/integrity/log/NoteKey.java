package dev.rampart.integrity.log;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A C2SP {@code signed-note} verifier key: a name, a signature type and a public key, written as a vkey
 * {@code <name>+<hex key ID>+<base64(type || key)>}. Type 0x01 is a plain Ed25519 note signature (a log's checkpoint
 * key); type 0x04 is a timestamped Ed25519 cosignature ({@code tlog-cosignature}, a witness). The key ID binds the
 * name, the type and the key, so a log key cannot pass for a witness key of the same bytes.
 */
public record NoteKey(String name, byte type, byte[] publicKey) {
  public static final byte ED25519 = 0x01;
  public static final byte COSIGNATURE_V1 = 0x04;
  private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

  public NoteKey {
    Objects.requireNonNull(name, "name");
    if (!validName(name)) {
      throw new IllegalArgumentException("a key name must be non-empty, without spaces, '+' or control characters");
    }
    if (type != ED25519 && type != COSIGNATURE_V1) {
      throw new IllegalArgumentException("unsupported key type 0x" + HexFormat.of().toHexDigits(type)
          + " (0x01 Ed25519 and 0x04 Ed25519 cosignature are supported)");
    }
    if (publicKey.length != 32) {
      throw new IllegalArgumentException("an Ed25519 public key has 32 bytes, not " + publicKey.length);
    }
    publicKey = publicKey.clone();
  }

  /** The key of {@code type} for a JCA Ed25519 public key. */
  public static NoteKey of(String name, byte type, PublicKey key) {
    return new NoteKey(name, type, rawEd25519(key));
  }

  /** Parses a vkey, checking that its key ID matches its name, type and key. */
  public static NoteKey parse(String vkey) {
    String[] parts = vkey.strip().split("\\+", 3);
    if (parts.length != 3 || parts[1].length() != 8) {
      throw new IllegalArgumentException("a verifier key is <name>+<8 hex digits>+<base64 key>");
    }
    byte[] material;
    byte[] id;
    try {
      material = Base64.getDecoder().decode(parts[2]);
      id = HexFormat.of().parseHex(parts[1]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("malformed verifier key: " + e.getMessage(), e);
    }
    if (material.length < 1) {
      throw new IllegalArgumentException("a verifier key needs a type byte and a key");
    }
    var key = new NoteKey(parts[0], material[0], Arrays.copyOfRange(material, 1, material.length));
    if (!Arrays.equals(key.keyId(), id)) {
      throw new IllegalArgumentException("the verifier key's ID " + parts[1] + " does not match its name and key");
    }
    return key;
  }

  /** SHA-256(name || 0x0A || type || public key)[:4]. */
  public byte[] keyId() {
    var md = Merkle.sha256();
    md.update(name.getBytes(StandardCharsets.UTF_8));
    md.update((byte) 0x0A);
    md.update(type);
    md.update(publicKey);
    return Arrays.copyOf(md.digest(), 4);
  }

  /** The vkey text. */
  public String vkey() {
    byte[] material = new byte[1 + publicKey.length];
    material[0] = type;
    System.arraycopy(publicKey, 0, material, 1, publicKey.length);
    return name + "+" + HexFormat.of().formatHex(keyId()) + "+" + Base64.getEncoder().encodeToString(material);
  }

  /** The key as JCA sees it. */
  public PublicKey jca() {
    byte[] spki = new byte[ED25519_SPKI_PREFIX.length + 32];
    System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
    System.arraycopy(publicKey, 0, spki, ED25519_SPKI_PREFIX.length, 32);
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot load an Ed25519 key: " + e.getMessage(), e);
    }
  }

  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** Names in signature lines: non-empty, no Unicode spaces, no '+', no control characters. */
  static boolean validName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    return name.codePoints().noneMatch(c -> c == '+' || Character.isWhitespace(c) || Character.isSpaceChar(c)
        || Character.isISOControl(c));
  }

  /** The 32-byte raw Ed25519 key: the tail of its X.509 encoding. */
  static byte[] rawEd25519(PublicKey key) {
    byte[] der = key.getEncoded();
    return Arrays.copyOfRange(der, der.length - 32, der.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NoteKey k && k.name.equals(name) && k.type == type && Arrays.equals(k.publicKey, publicKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, type, Arrays.hashCode(publicKey));
  }

  @Override
  public String toString() {
    return vkey();
  }
}

package dev.rampart.integrity.log;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A named Ed25519 signing key, read from and written as the signer-key text of Go's {@code sumdb/note}
 * ({@code PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 || 32-byte seed)>}), so keys move between Rampart and the
 * Go tools of the transparency-log ecosystem. The same key signs notes (type 0x01) or cosignatures (type 0x04).
 */
public record NoteSigner(String name, KeyPair keys) {
  private static final String PREFIX = "PRIVATE+KEY+";

  public NoteSigner {
    if (!NoteKey.validName(name)) {
      throw new IllegalArgumentException("a key name must be non-empty, without spaces, '+' or control characters");
    }
  }

  public static NoteSigner generate(String name) {
    byte[] seed = new byte[32];
    new SecureRandom().nextBytes(seed);
    return fromSeed(name, seed);
  }

  /** The key pair whose private key is {@code seed} (RFC 8032 §5.1.5: the public key follows from the seed). */
  static NoteSigner fromSeed(String name, byte[] seed) {
    if (seed.length != 32) {
      throw new IllegalArgumentException("an Ed25519 seed has 32 bytes");
    }
    try {
      var gen = KeyPairGenerator.getInstance("Ed25519");
      // JCA takes the private key bytes from the random source, so a source that yields the seed derives its pair
      gen.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
        @Override
        public void nextBytes(byte[] bytes) {
          System.arraycopy(seed, 0, bytes, 0, Math.min(bytes.length, seed.length));
        }
      });
      return new NoteSigner(name, gen.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot derive an Ed25519 key: " + e.getMessage(), e);
    }
  }

  /** Parses signer-key text, checking its key ID. */
  public static NoteSigner parse(String skey) {
    String s = skey.strip();
    if (!s.startsWith(PREFIX)) {
      throw new IllegalArgumentException("a signer key starts with " + PREFIX);
    }
    String[] parts = s.substring(PREFIX.length()).split("\\+", 3);
    if (parts.length != 3 || parts[1].length() != 8) {
      throw new IllegalArgumentException("a signer key is PRIVATE+KEY+<name>+<8 hex digits>+<base64 key>");
    }
    byte[] material;
    byte[] id;
    try {
      material = Base64.getDecoder().decode(parts[2]);
      id = HexFormat.of().parseHex(parts[1]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("malformed signer key: " + e.getMessage(), e);
    }
    if (material.length != 33 || material[0] != NoteKey.ED25519) {
      throw new IllegalArgumentException("only Ed25519 signer keys (type 0x01, 32-byte seed) are supported");
    }
    var signer = fromSeed(parts[0], Arrays.copyOfRange(material, 1, 33));
    if (!Arrays.equals(signer.key(NoteKey.ED25519).keyId(), id)) {
      throw new IllegalArgumentException("the signer key's ID " + parts[1] + " does not match its name and key");
    }
    return signer;
  }

  /** The signer-key text (secret). */
  public String skey() {
    byte[] seed = ((EdECPrivateKey) keys.getPrivate()).getBytes()
        .orElseThrow(() -> new IllegalStateException("the private key does not expose its seed"));
    byte[] material = new byte[33];
    material[0] = NoteKey.ED25519;
    System.arraycopy(seed, 0, material, 1, 32);
    return PREFIX + name + "+" + HexFormat.of().formatHex(key(NoteKey.ED25519).keyId()) + "+"
        + Base64.getEncoder().encodeToString(material);
  }

  /** The verifier key of this signer for signatures of {@code type}. */
  public NoteKey key(byte type) {
    return NoteKey.of(name, type, keys.getPublic());
  }

  /** A plain Ed25519 signature line (type 0x01) over a note's text. */
  public SignedNote.Line signNote(String text) {
    return new SignedNote.Line(name, key(NoteKey.ED25519).keyId(), ed25519(keys.getPrivate(),
        text.getBytes(StandardCharsets.UTF_8)));
  }

  static byte[] ed25519(PrivateKey key, byte[] message) {
    try {
      var sig = Signature.getInstance("Ed25519");
      sig.initSign(key);
      sig.update(message);
      return sig.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign: " + e.getMessage(), e);
    }
  }

  static boolean ed25519Verifies(NoteKey key, byte[] message, byte[] signature) {
    if (signature.length != 64) {
      return false;
    }
    try {
      var sig = Signature.getInstance("Ed25519");
      sig.initVerify(key.jca());
      sig.update(message);
      return sig.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}

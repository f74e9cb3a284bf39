package dev.rampart.integrity.hash;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The per-resource hash algorithms OMS allows. Rampart writes sha256; the others are accepted when verifying. */
public enum HashType {
  SHA256("sha256", "SHA-256"),
  BLAKE2B("blake2b", "BLAKE2B-512");

  private final String omsName;
  private final String jcaName;

  HashType(String omsName, String jcaName) {
    this.omsName = omsName;
    this.jcaName = jcaName;
  }

  public String omsName() {
    return omsName;
  }

  public MessageDigest newDigest() {
    try {
      return this == BLAKE2B
          ? MessageDigest.getInstance(jcaName, new org.bouncycastle.jce.provider.BouncyCastleProvider())
          : MessageDigest.getInstance(jcaName);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(jcaName + " is not available", e);
    }
  }

  public static HashType parse(String name) {
    for (HashType t : values()) {
      if (t.omsName.equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unsupported OMS hash_type '" + name + "' (Rampart supports sha256 and blake2b)");
  }
}

package dev.rampart.integrity.sign;

import java.security.PublicKey;
import java.security.interfaces.ECKey;

/** The elliptic curves OMS allows for the key and certificate methods; the signature hash follows the curve. */
public enum Curve {
  P256("secp256r1", "SHA256withECDSA", "PKIX_ECDSA_P256_SHA_256"),
  P384("secp384r1", "SHA384withECDSA", "PKIX_ECDSA_P384_SHA_384"),
  P521("secp521r1", "SHA512withECDSA", "PKIX_ECDSA_P521_SHA_512");

  private final String stdName;
  private final String signatureAlgorithm;
  private final String keyDetails;

  Curve(String stdName, String signatureAlgorithm, String keyDetails) {
    this.stdName = stdName;
    this.signatureAlgorithm = signatureAlgorithm;
    this.keyDetails = keyDetails;
  }

  public String stdName() {
    return stdName;
  }

  public String signatureAlgorithm() {
    return signatureAlgorithm;
  }

  public String keyDetails() {
    return keyDetails;
  }

  public static Curve of(java.security.Key key) {
    if (!(key instanceof ECKey ec)) {
      throw new IllegalArgumentException("OMS signing keys are elliptic-curve keys (P-256, P-384, P-521), not " + key.getAlgorithm());
    }
    return switch (ec.getParams().getCurve().getField().getFieldSize()) {
      case 256 -> P256;
      case 384 -> P384;
      case 521 -> P521;
      default -> throw new IllegalArgumentException("unsupported curve of " + ec.getParams().getCurve().getField().getFieldSize() + " bits");
    };
  }

  public static Curve parse(String s) {
    return switch (s.toLowerCase(java.util.Locale.ROOT).replace("-", "")) {
      case "p256", "secp256r1", "prime256v1" -> P256;
      case "p384", "secp384r1" -> P384;
      case "p521", "secp521r1" -> P521;
      default -> throw new IllegalArgumentException("unknown curve '" + s + "': use p256, p384 or p521");
    };
  }

  static boolean isEc(PublicKey key) {
    return key instanceof ECKey;
  }
}

package dev.rampart.integrity.sign;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** PEM reading (tolerating text before the block, as OpenSSL writes) and byte-exact PEM writing. */
public final class Pem {
  private Pem() {}

  /** Byte-exact PEM: 64-column base64 lines, LF endings, trailing LF; OMS key hints hash this text. */
  public static String encode(String type, byte[] der) {
    String b64 = Base64.getEncoder().encodeToString(der);
    var sb = new StringBuilder("-----BEGIN ").append(type).append("-----\n");
    for (int i = 0; i < b64.length(); i += 64) {
      sb.append(b64, i, Math.min(b64.length(), i + 64)).append('\n');
    }
    return sb.append("-----END ").append(type).append("-----\n").toString();
  }

  /** The OMS key hint: lowercase hex SHA-256 of the public key's PEM text. */
  public static String hint(PublicKey key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(encode("PUBLIC KEY", key.getEncoded()).getBytes(StandardCharsets.US_ASCII)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static PublicKey publicKey(String pem) throws IOException {
    Object o = parse(pem);
    try {
      if (o instanceof SubjectPublicKeyInfo spki) {
        String alg = spki.getAlgorithm().getAlgorithm().getId().equals("1.2.840.10045.2.1") ? "EC"
            : spki.getAlgorithm().getAlgorithm().getId().equals("1.3.101.112") ? "Ed25519" : "RSA";
        return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(spki.getEncoded()));
      }
      if (o instanceof org.bouncycastle.cert.X509CertificateHolder cert) {
        return new JcaPEMKeyConverter().getPublicKey(cert.getSubjectPublicKeyInfo());
      }
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("cannot read the public key: " + e.getMessage(), e);
    }
    throw new IOException("no PUBLIC KEY block found; give a PEM public key (SubjectPublicKeyInfo)");
  }

  public static PrivateKey privateKey(String pem) throws IOException {
    Object o = parse(pem);
    var conv = new JcaPEMKeyConverter();
    if (o instanceof PEMKeyPair pair) {
      return conv.getPrivateKey(pair.getPrivateKeyInfo());
    }
    if (o instanceof PrivateKeyInfo info) {
      return conv.getPrivateKey(info);
    }
    if (o instanceof org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo) {
      throw new IOException("the private key is encrypted; give an unencrypted PEM key (protect it with file permissions)");
    }
    throw new IOException("no PRIVATE KEY block found; give a PEM private key (PKCS#8 or SEC1)");
  }

  public static List<X509Certificate> certificates(String pem) throws IOException {
    try {
      var out = new ArrayList<X509Certificate>();
      for (var c : CertificateFactory.getInstance("X.509").generateCertificates(
          new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) {
        throw new IOException("no CERTIFICATE block found");
      }
      return out;
    } catch (CertificateException e) {
      throw new IOException("cannot read certificates: " + e.getMessage(), e);
    }
  }

  private static Object parse(String pem) throws IOException {
    try (var parser = new PEMParser(new StringReader(pem))) {
      Object o = parser.readObject();
      if (o == null) {
        throw new IOException("no PEM block found");
      }
      return o;
    }
  }
}

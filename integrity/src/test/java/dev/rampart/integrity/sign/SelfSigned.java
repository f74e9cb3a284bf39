package dev.rampart.integrity.sign;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Test certificate authorities: a root, an intermediate and a code-signing leaf. */
final class SelfSigned {
  private SelfSigned() {}

  record Issued(X509Certificate cert, PrivateKey key) {}

  static KeyPair ecKey() {
    try {
      var g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp384r1"));
      return g.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static X509Certificate ca(String name) {
    var k = ecKey();
    return issue(name, k.getPublic(), name, k.getPrivate(), true).cert();
  }

  static Issued root(String name) {
    var k = ecKey();
    return new Issued(issue(name, k.getPublic(), name, k.getPrivate(), true).cert(), k.getPrivate());
  }

  static Issued issue(String subject, PublicKey key, String issuer, PrivateKey issuerKey, boolean isCa) {
    try {
      var now = Instant.now();
      var b = new JcaX509v3CertificateBuilder(new X500Name(issuer), BigInteger.valueOf(now.toEpochMilli()),
          Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(365, ChronoUnit.DAYS)), new X500Name(subject), key);
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
      if (isCa) {
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      } else {
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
      }
      var signer = new JcaContentSignerBuilder("SHA384withECDSA").build(issuerKey);
      return new Issued(new JcaX509CertificateConverter().getCertificate(b.build(signer)), issuerKey);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}

package dev.rampart.integrity.sign;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util;

/** An EC signing key with its public half. */
public record SigningKey(PrivateKey privateKey, PublicKey publicKey) {
  public SigningKey {
    Curve.of(publicKey);
  }

  public Curve curve() {
    return Curve.of(publicKey);
  }

  public static SigningKey generate(Curve curve) {
    try {
      var gen = KeyPairGenerator.getInstance("EC");
      gen.initialize(new ECGenParameterSpec(curve.stdName()), new SecureRandom());
      var pair = gen.generateKeyPair();
      return new SigningKey(pair.getPrivate(), pair.getPublic());
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads a PEM private key (PKCS#8 or SEC1) and derives its public key. */
  public static SigningKey read(Path pem) throws IOException {
    PrivateKey priv = Pem.privateKey(Files.readString(pem));
    if (!(priv instanceof ECPrivateKey ec)) {
      throw new IOException(pem + " is a " + priv.getAlgorithm() + " key; OMS signing needs an EC key (rampart keygen makes one)");
    }
    try {
      var spec = EC5Util.convertSpec(ec.getParams());
      var q = spec.getG().multiply(ec.getS()).normalize();
      var pub = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(
          new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()), ec.getParams()));
      return new SigningKey(priv, pub);
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("cannot derive the public key: " + e.getMessage(), e);
    }
  }

  /** Writes the private key (PKCS#8, mode 0600) and the public key (SubjectPublicKeyInfo) as PEM files. */
  public void write(Path privatePem, Path publicPem) throws IOException {
    if (Files.exists(privatePem)) {
      throw new java.nio.file.FileAlreadyExistsException(privatePem.toString(), null, "refusing to overwrite a key");
    }
    try {
      Files.createFile(privatePem, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(privatePem);
    }
    Files.writeString(privatePem, Pem.encode("PRIVATE KEY", privateKey.getEncoded()));
    Files.writeString(publicPem, Pem.encode("PUBLIC KEY", publicKey.getEncoded()));
  }

  public byte[] sign(byte[] data) {
    try {
      var s = Signature.getInstance(curve().signatureAlgorithm());
      s.initSign(privateKey);
      s.update(data);
      return s.sign();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("signing failed: " + e.getMessage(), e);
    }
  }
}

package dev.rampart.integrity.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** The Ed25519 checkpoint key of a log, created once and kept beside it (private key mode 0600). */
public final class LogKeys {
  private LogKeys() {}

  public static KeyPair loadOrCreate(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path priv = dir.resolve("log-key.pem");
    Path pub = dir.resolve("log-key.pub");
    try {
      var kf = KeyFactory.getInstance("Ed25519");
      if (Files.exists(priv)) {
        var privateKey = kf.generatePrivate(new PKCS8EncodedKeySpec(pemBody(Files.readString(priv))));
        var publicKey = kf.generatePublic(new X509EncodedKeySpec(pemBody(Files.readString(pub))));
        return new KeyPair(publicKey, privateKey);
      }
      var pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      Files.writeString(pub, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
      try {
        Files.createFile(priv, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(priv);
      }
      Files.writeString(priv, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
      return pair;
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("cannot load the log key in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The public checkpoint key of an existing log, read without creating anything. */
  public static java.security.PublicKey loadPublic(Path dir) throws IOException {
    Path pub = dir.resolve("log-key.pub");
    if (!Files.exists(pub)) {
      throw new java.nio.file.NoSuchFileException(pub.toString(), null, "the log's public key is missing");
    }
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(pemBody(Files.readString(pub))));
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("cannot read the log key in " + dir + ": " + e.getMessage(), e);
    }
  }

  static String pem(String type, byte[] der) {
    String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
  }

  static byte[] pemBody(String pem) {
    return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
  }
}

package dev.rampart.server.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * HTTPS for the server: a certificate chain and its private key in PEM files (as cert-manager and {@code kubectl
 * create secret tls} write them) become the only connector, so nothing is served in plain text beside it. The key
 * is checked against the certificate at start, so a mismatched pair fails before the server listens.
 */
public final class TlsConnector {
  /** PEM files: the server certificate first then any intermediates; an unencrypted PKCS#8, EC or RSA key. */
  public record PemFiles(Path certificateChain, Path privateKey) {}

  /** The certificate or key cannot be used; the message names which and why. */
  public static final class TlsConfigException extends IllegalArgumentException {
    TlsConfigException(String message, Throwable cause) {
      super(message, cause);
    }

    TlsConfigException(String message) {
      super(message);
    }
  }

  private final SslContextFactory.Server ssl;
  private final String host;
  private final int port;

  private TlsConnector(SslContextFactory.Server ssl, String host, int port) {
    this.ssl = ssl;
    this.host = host;
    this.port = port;
  }

  /** Reads and checks the PEM files now, so a bad certificate or key stops the start with a clear message. */
  public static TlsConnector load(PemFiles files, String host, int port) {
    List<X509Certificate> chain = certificates(files.certificateChain());
    PrivateKey key = privateKey(files.privateKey());
    if (!keyMatches(chain.getFirst(), key, files.privateKey())) {
      throw new TlsConfigException("the private key " + files.privateKey() + " does not belong to the first certificate in "
          + files.certificateChain());
    }
    try {
      var store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      byte[] secret = new byte[24];
      new SecureRandom().nextBytes(secret);
      String password = HexFormat.of().formatHex(secret);
      store.setKeyEntry("rampart", key, password.toCharArray(), chain.toArray(Certificate[]::new));
      var ssl = new SslContextFactory.Server();
      ssl.setKeyStore(store);
      ssl.setKeyStorePassword(password);
      ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
      // clients verify the name; the server answers whatever name it is reached by (a Service's several DNS names)
      ssl.setSniRequired(false);
      return new TlsConnector(ssl, host, port);
    } catch (GeneralSecurityException | IOException e) {
      throw new TlsConfigException("cannot build the TLS key store: " + e.getMessage(), e);
    }
  }

  /** The connector for Javalin's {@code config.jetty.addConnector}. */
  public Connector connector(Server server, HttpConfiguration http) {
    var customizer = new SecureRequestCustomizer();
    customizer.setSniHostCheck(false);
    http.addCustomizer(customizer);
    http.setSecureScheme("https");
    var connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    return connector;
  }

  static List<X509Certificate> certificates(Path pem) {
    try (var in = java.nio.file.Files.newInputStream(pem)) {
      var certs = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
          .map(c -> (X509Certificate) c).toList();
      if (certs.isEmpty()) {
        throw new TlsConfigException(pem + " holds no PEM certificate");
      }
      return certs;
    } catch (IOException | java.security.cert.CertificateException e) {
      throw new TlsConfigException("cannot read the certificate chain " + pem + ": " + e.getMessage(), e);
    }
  }

  static PrivateKey privateKey(Path pem) {
    try (Reader r = java.nio.file.Files.newBufferedReader(pem, StandardCharsets.US_ASCII); var parser = new PEMParser(r)) {
      var converter = new JcaPEMKeyConverter();
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        switch (o) {
          case PrivateKeyInfo info -> {
            return converter.getPrivateKey(info);
          }
          case PEMKeyPair pair -> {
            return converter.getKeyPair(pair).getPrivate();
          }
          default -> {
            // EC parameters and other blocks before the key are skipped
          }
        }
      }
      throw new TlsConfigException(pem + " holds no unencrypted private key (PKCS#8 'PRIVATE KEY', 'EC PRIVATE KEY' or"
          + " 'RSA PRIVATE KEY')");
    } catch (PEMException e) {
      throw new TlsConfigException("cannot read the private key " + pem + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new TlsConfigException("cannot read the private key " + pem + ": " + e.getMessage(), e);
    }
  }

  /**
   * The key's public half is the certificate's: RSA by modulus and exponent, EC by the public point derived from the
   * private key (by the integrity module, which owns key handling). Other algorithms are refused.
   */
  static boolean keyMatches(X509Certificate cert, PrivateKey key, Path keyFile) {
    var certKey = cert.getPublicKey();
    return switch (key) {
      case java.security.interfaces.RSAPrivateCrtKey rsa -> certKey instanceof java.security.interfaces.RSAPublicKey pub
          && rsa.getModulus().equals(pub.getModulus()) && rsa.getPublicExponent().equals(pub.getPublicExponent());
      case java.security.interfaces.ECPrivateKey ec -> {
        try {
          yield java.util.Arrays.equals(dev.rampart.integrity.sign.SigningKey.read(keyFile).publicKey().getEncoded(),
              certKey.getEncoded());
        } catch (IOException | RuntimeException e) {
          throw new TlsConfigException("cannot derive the public key of " + keyFile + ": " + e.getMessage(), e);
        }
      }
      default -> throw new TlsConfigException("unsupported private key algorithm " + key.getAlgorithm() + " in " + keyFile
          + " (use an EC P-256/P-384/P-521 or RSA key)");
    };
  }
}

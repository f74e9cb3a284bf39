package dev.rampart.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rampart.integrity.sign.Pem;
import dev.rampart.server.RampartServer;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server over real HTTPS: a self-signed certificate for 127.0.0.1 made here, served by the TLS connector, checked
 * by a JDK client that trusts it and refused by one that does not; nothing answers in plain HTTP beside it.
 */
class TlsServerTest {
  @TempDir Path tmp;

  record Issued(X509Certificate cert, KeyPair keys) {}

  static Issued selfSigned(String cn) throws Exception {
    var gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keys = gen.generateKeyPair();
    var now = Instant.now();
    var builder = new JcaX509v3CertificateBuilder(new X500Name("CN=" + cn), BigInteger.valueOf(now.toEpochMilli()),
        Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(1))), new X500Name("CN=" + cn),
        keys.getPublic());
    builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
        new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
    var cert = new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    return new Issued(cert, keys);
  }

  TlsConnector.PemFiles write(Issued issued, String name) throws Exception {
    Path cert = tmp.resolve(name + ".crt");
    Path key = tmp.resolve(name + ".key");
    Files.writeString(cert, Pem.encode("CERTIFICATE", issued.cert().getEncoded()));
    Files.writeString(key, Pem.encode("PRIVATE KEY", issued.keys().getPrivate().getEncoded()));
    return new TlsConnector.PemFiles(cert, key);
  }

  static HttpClient trusting(X509Certificate cert) throws Exception {
    var store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("server", cert);
    var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    var ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(10)).build();
  }

  @Test
  void theApiAnswersOverHttpsToAClientTrustingTheCertificateOnly() throws Exception {
    var issued = selfSigned("localhost");
    var config = RampartServer.Config.embedded(tmp.resolve("data"), 0).withH2();
    try (var server = RampartServer.start(config, RampartServer.Startup.defaults().withTls(write(issued, "server")))) {
      String base = "https://127.0.0.1:" + server.port();
      var health = trusting(issued.cert()).send(HttpRequest.newBuilder(URI.create(base + "/api/v1/health")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).contains("\"ok\"");
      assertThat(health.sslSession()).hasValueSatisfying(s -> assertThat(s.getProtocol()).isIn("TLSv1.3", "TLSv1.2"));
      var me = trusting(issued.cert()).send(HttpRequest.newBuilder(URI.create(base + "/api/v1/me"))
          .header("Authorization", "Bearer " + server.bootstrapToken().orElseThrow()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
      assertThat(me.body()).contains("\"admin\"");

      var stranger = selfSigned("localhost");
      assertThatThrownBy(() -> trusting(stranger.cert()).send(HttpRequest.newBuilder(URI.create(base + "/api/v1/health")).build(),
          HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
      // plain HTTP on the same port gets no API answer
      var plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/health"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(java.io.IOException.class);
    }
  }

  @Test
  void aKeyThatIsNotTheCertificatesStopsTheStartBeforeAnythingListens() throws Exception {
    var issued = selfSigned("localhost");
    var other = selfSigned("localhost");
    var files = write(issued, "server");
    Files.writeString(files.privateKey(), Pem.encode("PRIVATE KEY", other.keys().getPrivate().getEncoded()));
    var config = RampartServer.Config.embedded(tmp.resolve("data"), 0).withH2();
    assertThatThrownBy(() -> RampartServer.start(config, RampartServer.Startup.defaults().withTls(files)))
        .isInstanceOf(TlsConnector.TlsConfigException.class).hasMessageContaining("does not belong");
    assertThat(tmp.resolve("data")).doesNotExist();
  }

  @Test
  void anRsaKeyIsMatchedToItsCertificateAndAnotherRsaKeyIsNot() throws Exception {
    var gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    KeyPair keys = gen.generateKeyPair();
    KeyPair other = gen.generateKeyPair();
    var now = Instant.now();
    var cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(new X500Name("CN=localhost"),
        BigInteger.ONE, Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(1))),
        new X500Name("CN=localhost"), keys.getPublic()).build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
    Path crt = tmp.resolve("rsa.crt");
    Path key = tmp.resolve("rsa.key");
    Files.writeString(crt, Pem.encode("CERTIFICATE", cert.getEncoded()));
    Files.writeString(key, Pem.encode("PRIVATE KEY", keys.getPrivate().getEncoded()));
    assertThat(TlsConnector.load(new TlsConnector.PemFiles(crt, key), "127.0.0.1", 0)).isNotNull();
    Files.writeString(key, Pem.encode("PRIVATE KEY", other.getPrivate().getEncoded()));
    assertThatThrownBy(() -> TlsConnector.load(new TlsConnector.PemFiles(crt, key), "127.0.0.1", 0))
        .isInstanceOf(TlsConnector.TlsConfigException.class).hasMessageContaining("does not belong");
  }

  @Test
  void missingOrMalformedPemFilesAreNamedInTheError() throws Exception {
    var files = write(selfSigned("localhost"), "server");
    Files.writeString(files.privateKey(), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    assertThatThrownBy(() -> TlsConnector.load(files, "127.0.0.1", 0)).isInstanceOf(TlsConnector.TlsConfigException.class)
        .hasMessageContaining(files.privateKey().toString());
    Files.writeString(files.certificateChain(), "not a certificate");
    assertThatThrownBy(() -> TlsConnector.load(files, "127.0.0.1", 0)).isInstanceOf(TlsConnector.TlsConfigException.class)
        .hasMessageContaining(files.certificateChain().toString());
  }
}

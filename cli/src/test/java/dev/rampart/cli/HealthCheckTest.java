package dev.rampart.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rampart.integrity.sign.Pem;
import dev.rampart.server.RampartServer;
import dev.rampart.server.tls.TlsConnector;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The container's HEALTHCHECK against a real server: plain HTTP, and HTTPS pinned to the server's own certificate. */
class HealthCheckTest {
  @TempDir Path tmp;

  @Test
  void aRunningServerIsHealthyAndAStoppedOneIsNot() throws Exception {
    int port;
    try (var server = RampartServer.start(RampartServer.Config.embedded(tmp.resolve("data"), 0).withH2())) {
      port = server.port();
      assertThat(HealthCheck.healthy(Integer.toString(port), null)).isTrue();
    }
    assertThatThrownBy(() -> HealthCheck.healthy(Integer.toString(port), null)).isInstanceOf(java.io.IOException.class);
  }

  /** A certificate for the Service's DNS name only: the probe on 127.0.0.1 trusts it because it is the server's own. */
  @Test
  void overTlsTheProbeTrustsTheServersOwnCertificateAndNoOther() throws Exception {
    var tls = certificate("rampart.rampart-system.svc", "server");
    var stranger = certificate("rampart.rampart-system.svc", "stranger");
    var startup = RampartServer.Startup.defaults().withTls(tls);
    try (var server = RampartServer.start(RampartServer.Config.embedded(tmp.resolve("data"), 0).withH2(), startup)) {
      assertThat(probe(server.port(), tls.certificateChain())).isZero();
      assertThat(probe(server.port(), stranger.certificateChain())).isEqualTo(1);
    }
  }

  /** Runs the probe as the image does: its own JVM, the port and certificate from the environment. */
  private static int probe(int port, Path cert) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    var pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.rampart.cli.HealthCheck")
        .redirectErrorStream(true);
    pb.environment().put("RAMPART_PORT", Integer.toString(port));
    pb.environment().put("RAMPART_TLS_CERT", cert.toString());
    Process p = pb.start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }

  private TlsConnector.PemFiles certificate(String dns, String name) throws Exception {
    var gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp256r1"));
    var keys = gen.generateKeyPair();
    var now = Instant.now();
    var builder = new JcaX509v3CertificateBuilder(new X500Name("CN=" + dns), BigInteger.valueOf(now.toEpochMilli()),
        Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(1))), new X500Name("CN=" + dns),
        keys.getPublic());
    builder.addExtension(Extension.subjectAlternativeName, false,
        new GeneralNames(new GeneralName(GeneralName.dNSName, dns)));
    var cert = new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    Path crt = tmp.resolve(name + ".crt");
    Path key = tmp.resolve(name + ".key");
    Files.writeString(crt, Pem.encode("CERTIFICATE", cert.getEncoded()));
    Files.writeString(key, Pem.encode("PRIVATE KEY", keys.getPrivate().getEncoded()));
    return new TlsConnector.PemFiles(crt, key);
  }
}

package dev.rampart.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The container's HEALTHCHECK: asks the server on this host for {@code /api/v1/health} and exits 0 only on its
 * "ok". With RAMPART_TLS_CERT set it speaks HTTPS and trusts exactly that certificate chain, the server's own, so a
 * probe on 127.0.0.1 needs no CA and trusts nothing else. Run as {@code java -cp rampart.jar dev.rampart.cli.HealthCheck}.
 */
public final class HealthCheck {
  private HealthCheck() {}

  public static void main(String[] args) {
    try {
      System.exit(healthy(System.getenv("RAMPART_PORT"), System.getenv("RAMPART_TLS_CERT")) ? 0 : 1);
    } catch (Exception e) {
      System.err.println("rampart health: " + e.getMessage());
      System.exit(1);
    }
  }

  static boolean healthy(String port, String tlsCert) throws Exception {
    int p = port == null || port.isBlank() ? 8080 : Integer.parseInt(port.trim());
    var builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3));
    String scheme = "http";
    if (tlsCert != null && !tlsCert.isBlank()) {
      scheme = "https";
      // the certificate names the Service, not 127.0.0.1; trust is pinned to the server's own chain instead
      System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
      builder.sslContext(trusting(Path.of(tlsCert)));
    }
    var response = builder.build().send(HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + p + "/api/v1/health"))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    return response.statusCode() == 200 && response.body().contains("\"ok\"");
  }

  private static SSLContext trusting(Path chain) throws Exception {
    var store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    try (var in = Files.newInputStream(chain)) {
      int i = 0;
      for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("server-" + i++, cert);
      }
    }
    var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    var ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }
}

package dev.rampart.integrity.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A Sigstore {@code TrustedRoot} (or the {@code trustedRoot} inside a {@code ClientTrustConfig}): the Fulcio
 * certificate authorities, the transparency-log keys, the certificate-transparency log keys and the RFC 3161
 * timestamp authorities, used offline.
 */
public record TrustedRoot(
    List<CertificateAuthority> authorities, List<Log> tlogs, List<Log> ctlogs,
    List<CertificateAuthority> timestampAuthorities) {
  /** A certificate authority (Fulcio, or an RFC 3161 timestamp authority): its chain, root last, and validity. */
  public record CertificateAuthority(List<X509Certificate> chain, Instant start, Optional<Instant> end) {
    public boolean validAt(Instant at) {
      return !chain.isEmpty() && !at.isBefore(start) && !(end.isPresent() && at.isAfter(end.get()));
    }

    /** The first certificate below the root, or the root itself when the chain holds only that. */
    public X509Certificate issuer() {
      return chain.get(0);
    }

    /**
     * Validates {@code leaves} (each issued by the next, the last by this chain) through the chain to its root, as of
     * {@code at}, without revocation checks: the trusted root's validity window stands in for them offline.
     */
    public void validate(List<X509Certificate> leaves, Instant at) throws GeneralSecurityException {
      var path = new ArrayList<>(leaves);
      path.addAll(chain.subList(0, chain.size() - 1));
      if (path.isEmpty()) {
        return;
      }
      var params = new PKIXParameters(
          Set.of(new TrustAnchor(chain.get(chain.size() - 1), null)));
      params.setRevocationEnabled(false);
      params.setDate(Date.from(at));
      CertPathValidator.getInstance("PKIX")
          .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
    }
  }

  /** A transparency or certificate-transparency log: its id, key and validity window. */
  public record Log(String baseUrl, byte[] logId, PublicKey key, Instant start, Optional<Instant> end) {
    public boolean validAt(Instant at) {
      return !at.isBefore(start) && !(end.isPresent() && at.isAfter(end.get()));
    }

    /** Whether the log's key signed {@code data}: ECDSA and RSA with SHA-256, or Ed25519. */
    public boolean verifies(byte[] data, byte[] signature) {
      String algorithm = switch (key.getAlgorithm()) {
        case "EC" -> "SHA256withECDSA";
        case "RSA" -> "SHA256withRSA";
        default -> key.getAlgorithm();
      };
      try {
        var s = Signature.getInstance(algorithm);
        s.initVerify(key);
        s.update(data);
        return s.verify(signature);
      } catch (GeneralSecurityException e) {
        return false;
      }
    }
  }

  public static TrustedRoot read(Path file) throws IOException {
    JsonNode root = new ObjectMapper().readTree(Files.readAllBytes(file));
    if (root.has("trustedRoot")) {
      root = root.get("trustedRoot");
    }
    if (!root.path("mediaType").asText("").startsWith("application/vnd.dev.sigstore.trustedroot")) {
      throw new IOException(file + " is not a Sigstore trusted root (mediaType " + root.path("mediaType") + ")");
    }
    try {
      var cf = CertificateFactory.getInstance("X.509");
      return new TrustedRoot(authorities(cf, root.path("certificateAuthorities")), logs(root.path("tlogs")),
          logs(root.path("ctlogs")), authorities(cf, root.path("timestampAuthorities")));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException(file + " holds an unreadable key or certificate: " + e.getMessage(), e);
    }
  }

  private static List<CertificateAuthority> authorities(CertificateFactory cf, JsonNode list)
      throws GeneralSecurityException {
    var cas = new ArrayList<CertificateAuthority>();
    for (JsonNode ca : list) {
      var chain = new ArrayList<X509Certificate>();
      for (JsonNode c : ca.path("certChain").path("certificates")) {
        chain.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(
            Base64.getDecoder().decode(c.path("rawBytes").asText()))));
      }
      cas.add(new CertificateAuthority(List.copyOf(chain), instant(ca.path("validFor").path("start"))
          .orElse(Instant.EPOCH), instant(ca.path("validFor").path("end"))));
    }
    return List.copyOf(cas);
  }

  private static List<Log> logs(JsonNode list) throws GeneralSecurityException {
    var logs = new ArrayList<Log>();
    for (JsonNode t : list) {
      JsonNode pk = t.path("publicKey");
      String details = pk.path("keyDetails").asText("");
      String alg = details.contains("ED25519") ? "Ed25519" : details.contains("RSA") ? "RSA" : "EC";
      var key = KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(
          Base64.getDecoder().decode(pk.path("rawBytes").asText())));
      logs.add(new Log(t.path("baseUrl").asText(), Base64.getDecoder().decode(t.path("logId").path("keyId").asText()),
          key, instant(pk.path("validFor").path("start")).orElse(Instant.EPOCH), instant(pk.path("validFor").path("end"))));
    }
    return List.copyOf(logs);
  }

  private static Optional<Instant> instant(JsonNode n) {
    return n.isTextual() ? Optional.of(Instant.parse(n.asText())) : Optional.empty();
  }
}

package dev.rampart.integrity.oms;

import dev.rampart.integrity.sign.VerificationException.MalformedBundle;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.integrity.dsse.Envelope;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A Sigstore bundle v0.3 carrying an OMS signature: the verification material and the DSSE envelope. The payload is
 * kept as the exact bytes that were signed.
 */
public record Bundle(Material material, Envelope envelope) {
  public static final String MEDIA_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";
  private static final ObjectMapper STRICT = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .build();

  static {
    STRICT.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxNestingDepth(64).maxStringLength(64 * 1024 * 1024).maxNumberLength(64).maxDocumentLength(128L * 1024 * 1024).build());
  }

  static ObjectMapper strictJson() {
    return STRICT;
  }

  /** How the signer's key is given: which OMS signing method produced the bundle. */
  public sealed interface Material {
    String method();
  }

  /** The {@code key} method: a hint of the key (v1.1+), or the PEM text (older bundles). */
  public record PublicKeyMaterial(Optional<String> hint, Optional<byte[]> pemBytes) implements Material {
    @Override
    public String method() {
      return "key";
    }
  }

  /** The {@code certificate} method: leaf first, then the intermediates. */
  public record CertificateChain(List<X509Certificate> certificates) implements Material {
    @Override
    public String method() {
      return "certificate";
    }
  }

  /** The {@code sigstore} method: a Fulcio leaf plus transparency-log and timestamp evidence. */
  public record Sigstore(X509Certificate leaf, JsonNode tlogEntries, JsonNode timestampData) implements Material {
    @Override
    public String method() {
      return "sigstore";
    }
  }

  public static Bundle parse(byte[] json) throws MalformedBundle {
    if (json.length == 0) {
      throw new MalformedBundle("the signature file is empty");
    }
    JsonNode root;
    try {
      root = STRICT.readTree(json);
    } catch (IOException e) {
      throw new MalformedBundle("the signature file is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null || !root.isObject()) {
      throw new MalformedBundle("the signature file is not a JSON object");
    }
    String mediaType = root.path("mediaType").asText("");
    if (!mediaType.startsWith("application/vnd.dev.sigstore.bundle")) {
      throw new MalformedBundle("not a Sigstore bundle (mediaType '" + mediaType + "')");
    }
    JsonNode vm = root.path("verificationMaterial");
    if (!vm.isObject()) {
      throw new MalformedBundle("the bundle has no verificationMaterial");
    }
    JsonNode env = root.path("dsseEnvelope");
    if (!env.isObject()) {
      throw new MalformedBundle("the bundle has no dsseEnvelope (OMS signatures are DSSE envelopes)");
    }
    return new Bundle(material(vm), envelope(env));
  }

  private static Material material(JsonNode vm) throws MalformedBundle {
    if (vm.has("publicKey")) {
      JsonNode pk = vm.get("publicKey");
      Optional<String> hint = Statement.text(pk.get("hint")).filter(s -> !s.isEmpty());
      Optional<byte[]> raw = Statement.text(pk.get("rawBytes")).map(Bundle::b64);
      if (hint.isEmpty() && raw.isEmpty()) {
        throw new MalformedBundle("publicKey has neither hint nor rawBytes");
      }
      return new PublicKeyMaterial(hint, raw);
    }
    if (vm.has("x509CertificateChain")) {
      var certs = new ArrayList<X509Certificate>();
      for (JsonNode c : vm.path("x509CertificateChain").path("certificates")) {
        certs.add(certificate(c.path("rawBytes").asText("")));
      }
      if (certs.isEmpty()) {
        throw new MalformedBundle("x509CertificateChain is empty");
      }
      return new CertificateChain(certs);
    }
    if (vm.has("certificate")) {
      JsonNode tlog = vm.path("tlogEntries");
      if (!tlog.isArray() || tlog.isEmpty()) {
        throw new MalformedBundle("the sigstore method requires tlogEntries (OMS spec §4.1)");
      }
      return new Sigstore(certificate(vm.path("certificate").path("rawBytes").asText("")), tlog,
          vm.path("timestampVerificationData"));
    }
    throw new MalformedBundle("verificationMaterial has no publicKey, x509CertificateChain or certificate");
  }

  private static Envelope envelope(JsonNode env) throws MalformedBundle {
    String type = env.path("payloadType").asText("");
    if (!Envelope.IN_TOTO.equals(type)) {
      throw new MalformedBundle("payloadType must be " + Envelope.IN_TOTO + ", not '" + type + "'");
    }
    byte[] payload = b64(env.path("payload").asText(""));
    if (payload == null || payload.length == 0) {
      throw new MalformedBundle("the envelope has no payload");
    }
    var sigs = new ArrayList<Envelope.Sig>();
    for (JsonNode s : env.path("signatures")) {
      byte[] sig = b64(s.path("sig").asText(""));
      if (sig == null || sig.length == 0) {
        throw new MalformedBundle("an envelope signature is empty or not base64");
      }
      sigs.add(new Envelope.Sig(sig, Statement.text(s.get("keyid"))));
    }
    if (sigs.size() != 1) {
      throw new MalformedBundle("an OMS envelope carries exactly one signature, this one has " + sigs.size());
    }
    return new Envelope(type, payload, sigs);
  }

  private static X509Certificate certificate(String b64) throws MalformedBundle {
    byte[] der = b64(b64);
    if (der == null || der.length == 0) {
      throw new MalformedBundle("a certificate is missing or not base64");
    }
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException e) {
      throw new MalformedBundle("a certificate cannot be parsed: " + e.getMessage());
    }
  }

  static byte[] b64(String s) {
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Writes the bundle as JSON, in the shape the reference implementation writes. */
  public byte[] toJson() {
    ObjectNode root = STRICT.createObjectNode();
    root.put("mediaType", MEDIA_TYPE);
    var vm = root.putObject("verificationMaterial");
    var enc = Base64.getEncoder();
    switch (material) {
      case PublicKeyMaterial pk -> {
        var k = vm.putObject("publicKey");
        pk.hint().ifPresent(h -> k.put("hint", h));
        pk.pemBytes().ifPresent(b -> k.put("rawBytes", enc.encodeToString(b)));
        vm.putArray("tlogEntries");
      }
      case CertificateChain chain -> {
        var certs = vm.putObject("x509CertificateChain").putArray("certificates");
        for (X509Certificate c : chain.certificates()) {
          try {
            certs.addObject().put("rawBytes", enc.encodeToString(c.getEncoded()));
          } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
          }
        }
        vm.putArray("tlogEntries");
      }
      case Sigstore s -> throw new UnsupportedOperationException("Rampart does not write keyless bundles");
    }
    var env = root.putObject("dsseEnvelope");
    env.put("payload", enc.encodeToString(envelope.payload()));
    env.put("payloadType", envelope.payloadType());
    var sigs = env.putArray("signatures");
    for (var s : envelope.signatures()) {
      sigs.addObject().put("sig", enc.encodeToString(s.sig())).put("keyid", s.keyid().orElse(""));
    }
    try {
      return STRICT.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Decodes the signed statement. */
  public Statement.Parsed statement() throws MalformedBundle {
    return Statement.decode(envelope.payload());
  }


}

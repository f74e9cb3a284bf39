package dev.rampart.integrity.sign;

import dev.rampart.integrity.dsse.Envelope;
import dev.rampart.integrity.hash.Manifest;
import dev.rampart.integrity.hash.ModelFiles;
import dev.rampart.integrity.hash.ModelHasher;
import dev.rampart.integrity.hash.Resource;
import dev.rampart.integrity.oms.Bundle;
import dev.rampart.integrity.oms.Statement;
import dev.rampart.integrity.sigstore.KeylessVerifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies an OMS bundle against a model on disk: the signature with the trusted material, then every file. It
 * passes only when every signed file matches and (unless allowed) no unsigned file is present.
 */
public final class ModelVerifier {
  /**
   * Verification options.
   *
   * @param ignorePaths extra paths to leave out (needed for bundles older than OMS 1.1, which do not record them)
   * @param ignoreUnsignedFiles accept files present on disk but not in the signature
   * @param signatureFile the bundle's own path, excluded from the model when it lies inside it
   */
  public record Options(List<String> ignorePaths, boolean ignoreUnsignedFiles, Path signatureFile, int threads) {
    public Options {
      ignorePaths = List.copyOf(ignorePaths);
    }
  }

  private ModelVerifier() {}

  public static Verified verify(Path model, Bundle bundle, Trust trust, Options options)
      throws VerificationException, IOException {
    String signer = checkSignature(bundle, trust);
    Statement.Parsed statement = bundle.statement();
    Manifest signed = statement.manifest();
    var ignores = new LinkedHashSet<>(signed.ignorePaths());
    ignores.addAll(options.ignorePaths());
    ignores.addAll(ModelFiles.DEFAULT_IGNORES);
    ModelSigner.inside(model, options.signatureFile()).ifPresent(ignores::add);
    var hashOptions = new ModelHasher.Options(signed.method(),
        signed.shardSize().orElse(ModelHasher.DEFAULT_SHARD_SIZE), signed.allowSymlinks(), new ArrayList<>(ignores),
        options.threads());
    Manifest actual;
    try {
      actual = ModelHasher.hash(model, hashOptions, signed.hashType());
    } catch (ModelFiles.SymlinkException e) {
      throw new VerificationException.ModelMismatch(List.of(), List.of(), List.of(e.getMessage()), e.getMessage());
    }
    compare(signed, actual, options.ignoreUnsignedFiles());
    String root = signed.rootDigest();
    if (!statement.legacy() && !root.equals(statement.subjectSha256())) {
      throw new VerificationException.BadSignature("the statement's subject digest " + statement.subjectSha256()
          + " does not match its resources (" + root + "): the bundle is inconsistent");
    }
    return new Verified(bundle.material().method(), signer, root, signed.resources().size(), signed);
  }

  private static void compare(Manifest signed, Manifest actual, boolean ignoreUnsigned) throws VerificationException {
    Map<String, String> want = new HashMap<>();
    for (Resource r : signed.resources()) {
      if (want.put(r.name(), r.digestHex()) != null) {
        throw new dev.rampart.integrity.sign.VerificationException.MalformedBundle("the signature lists '" + r.name() + "' twice");
      }
    }
    Map<String, String> have = new HashMap<>();
    actual.resources().forEach(r -> have.put(r.name(), r.digestHex()));
    var modified = new ArrayList<String>();
    var missing = new ArrayList<String>();
    var extra = new ArrayList<String>();
    for (var e : want.entrySet()) {
      String got = have.get(e.getKey());
      if (got == null) {
        missing.add(e.getKey());
      } else if (!got.equals(e.getValue())) {
        modified.add(e.getKey());
      }
    }
    if (!ignoreUnsigned) {
      for (String name : have.keySet()) {
        if (!want.containsKey(name)) {
          extra.add(name);
        }
      }
    }
    modified.sort(Manifest.CODE_POINT_ORDER);
    missing.sort(Manifest.CODE_POINT_ORDER);
    extra.sort(Manifest.CODE_POINT_ORDER);
    if (!modified.isEmpty() || !missing.isEmpty() || !extra.isEmpty()) {
      var parts = new ArrayList<String>();
      if (!modified.isEmpty()) {
        parts.add("modified: " + String.join(", ", modified));
      }
      if (!missing.isEmpty()) {
        parts.add("missing: " + String.join(", ", missing));
      }
      if (!extra.isEmpty()) {
        parts.add("not in the signature: " + String.join(", ", extra));
      }
      boolean shape = missing.contains(".") || extra.contains(".");
      throw new VerificationException.ModelMismatch(modified, missing, extra,
          "the model does not match its signature (" + String.join("; ", parts) + ")"
              + (shape ? "; the signature is for a single file, verify the file rather than its folder (or the reverse)" : ""));
    }
  }

  /** Checks the DSSE signature with material that matches the bundle's method; returns a description of the signer. */
  private static String checkSignature(Bundle bundle, Trust trust) throws VerificationException {
    var envelope = bundle.envelope();
    byte[] sig = envelope.signatures().get(0).sig();
    return switch (bundle.material()) {
      case Bundle.PublicKeyMaterial pk -> {
        if (!(trust instanceof Trust.Key key)) {
          throw new VerificationException.UntrustedSigner("the bundle was signed with a bare key; verify it with --key");
        }
        String hint = Pem.hint(key.publicKey());
        if (pk.hint().isPresent() && !pk.hint().get().equals(hint)) {
          throw new VerificationException.BadSignature("the bundle was signed by another key (hint " + pk.hint().get()
              + ", given key " + hint + ")");
        }
        verifyDsse(key.publicKey(), envelope, sig);
        yield "key " + hint;
      }
      case Bundle.CertificateChain chain -> {
        if (!(trust instanceof Trust.Certificates anchors)) {
          throw new VerificationException.UntrustedSigner(
              "the bundle was signed with a certificate; verify it with --cert-chain (the root CA)");
        }
        X509Certificate leaf = chain.certificates().get(0);
        verifyDsse(leaf.getPublicKey(), envelope, sig);
        validateChain(chain.certificates(), anchors.anchors());
        yield "certificate " + leaf.getSubjectX500Principal().getName();
      }
      case Bundle.Sigstore keyless -> {
        if (!(trust instanceof Trust.Sigstore s)) {
          throw new VerificationException.UntrustedSigner(
              "the bundle was signed keylessly with Sigstore; verify it with --trust-root, --identity and --issuer");
        }
        KeylessVerifier.verify(keyless, envelope, s.root(), s.identity(), s.issuer());
        verifyDsse(keyless.leaf().getPublicKey(), envelope, sig);
        yield "sigstore " + s.identity() + " (" + s.issuer() + ")";
      }
    };
  }

  private static void verifyDsse(PublicKey key, Envelope envelope, byte[] sig) throws VerificationException {
    if (ecdsa(key, Curve.of(key).signatureAlgorithm(), envelope.pae(), sig)) {
      return;
    }
    // model-signing 0.2 signed a malformed pre-authentication string with SHA-256 whatever the curve
    if (ecdsa(key, "SHA256withECDSA", Envelope.legacyPae(envelope.payloadType(), envelope.payload()), sig)) {
      return;
    }
    throw new VerificationException.BadSignature("the signature does not verify with the given key: the key is wrong"
        + " or the signed statement was altered");
  }

  private static boolean ecdsa(PublicKey key, String algorithm, byte[] data, byte[] sig) {
    try {
      var s = Signature.getInstance(algorithm);
      s.initVerify(key);
      s.update(data);
      return s.verify(sig);
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }

  /** PKIX validation of the bundle's chain to the given anchors, at the leaf's notBefore as the reference does. */
  static void validateChain(List<X509Certificate> chain, List<X509Certificate> anchors) throws VerificationException {
    X509Certificate leaf = chain.get(0);
    boolean usage = leaf.getKeyUsage() != null && leaf.getKeyUsage()[0];
    try {
      List<String> eku = leaf.getExtendedKeyUsage();
      usage |= eku != null && eku.contains("1.3.6.1.5.5.7.3.3");
    } catch (java.security.cert.CertificateParsingException e) {
      throw new VerificationException.UntrustedSigner("the signing certificate's extended key usage cannot be read");
    }
    if (!usage) {
      throw new VerificationException.UntrustedSigner("the signing certificate allows neither digitalSignature nor codeSigning");
    }
    Set<TrustAnchor> trustAnchors = new HashSet<>();
    anchors.forEach(a -> trustAnchors.add(new TrustAnchor(a, null)));
    var path = new ArrayList<X509Certificate>();
    for (X509Certificate c : chain) {
      if (anchors.contains(c)) {
        break;
      }
      path.add(c);
    }
    try {
      var params = new PKIXParameters(trustAnchors);
      params.setRevocationEnabled(false);
      params.setDate(leaf.getNotBefore());
      CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
    } catch (java.security.cert.CertPathValidatorException e) {
      throw new VerificationException.UntrustedSigner("the certificate chain does not lead to the trusted root: " + e.getMessage());
    } catch (java.security.GeneralSecurityException e) {
      throw new VerificationException.UntrustedSigner("the certificate chain cannot be validated: " + e.getMessage());
    }
  }

  /** Reads a bundle file; an unreadable or empty file is a format error, not a crash. */
  public static Bundle readBundle(Path file) throws IOException, VerificationException {
    return Bundle.parse(Files.readAllBytes(file));
  }
}

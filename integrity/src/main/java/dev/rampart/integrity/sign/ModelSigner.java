package dev.rampart.integrity.sign;

import dev.rampart.integrity.dsse.Envelope;
import dev.rampart.integrity.hash.Manifest;
import dev.rampart.integrity.hash.ModelFiles;
import dev.rampart.integrity.hash.ModelHasher;
import dev.rampart.integrity.oms.Bundle;
import dev.rampart.integrity.oms.Statement;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Signs a model (a file or a folder) into an OMS v1.0 bundle, with a bare key or with a certificate chain.
 *
 * <pre>{@code
 * Bundle b = ModelSigner.sign(model, SigningKey.read(keyPem), List.of(), ModelHasher.Options.files(), sigPath);
 * }</pre>
 */
public final class ModelSigner {
  private ModelSigner() {}

  /**
   * @param chain the certificate chain (leaf first) for the certificate method, or empty for the key method
   * @param signatureFile where the bundle will be written; excluded from the model when it lies inside it
   */
  public static Bundle sign(Path model, SigningKey key, List<X509Certificate> chain, ModelHasher.Options options,
      Path signatureFile) throws IOException {
    if (!chain.isEmpty() && !chain.get(0).getPublicKey().equals(key.publicKey())) {
      throw new IllegalArgumentException("the first certificate of the chain does not hold the signing key");
    }
    var ignores = new LinkedHashSet<>(options.ignorePaths());
    inside(model, signatureFile).ifPresent(ignores::add);
    ignores.addAll(ModelFiles.DEFAULT_IGNORES);
    Manifest manifest = ModelHasher.hash(model, options.withIgnores(new ArrayList<>(ignores)));
    if (manifest.resources().isEmpty()) {
      throw new IOException(model + " has no files to sign");
    }
    String subject = model.toAbsolutePath().normalize().getFileName().toString();
    byte[] payload = Statement.encode(manifest, subject);
    byte[] sig = key.sign(Envelope.pae(Envelope.IN_TOTO, payload));
    Bundle.Material material = chain.isEmpty()
        ? new Bundle.PublicKeyMaterial(Optional.of(Pem.hint(key.publicKey())), Optional.empty())
        : new Bundle.CertificateChain(chain);
    return new Bundle(material, new Envelope(Envelope.IN_TOTO, payload, List.of(new Envelope.Sig(sig, Optional.of("")))));
  }

  /** The signature file's OMS name when it lies inside the model folder. */
  static Optional<String> inside(Path model, Path signatureFile) {
    Path m = model.toAbsolutePath().normalize();
    Path s = signatureFile.toAbsolutePath().normalize();
    if (java.nio.file.Files.isDirectory(m) && s.startsWith(m) && !s.equals(m)) {
      var parts = new ArrayList<String>();
      m.relativize(s).forEach(p -> parts.add(p.toString()));
      return Optional.of(String.join("/", parts));
    }
    return Optional.empty();
  }
}

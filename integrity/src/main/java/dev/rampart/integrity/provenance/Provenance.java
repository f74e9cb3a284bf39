package dev.rampart.integrity.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.integrity.dsse.Envelope;
import dev.rampart.integrity.hash.HashType;
import dev.rampart.integrity.hash.ModelHasher;
import dev.rampart.integrity.oms.Bundle;
import dev.rampart.integrity.sign.Pem;
import dev.rampart.integrity.sign.SigningKey;
import dev.rampart.integrity.sign.VerificationException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SLSA Provenance v1 for a training run: the subject is the model's OMS root digest (never a digest of some other
 * serialization of it), and the resolved dependencies are the datasets, the base model, the code and the image.
 * Signed in a DSSE envelope inside the same bundle format as the model signature.
 */
public final class Provenance {
  public static final String PREDICATE_TYPE = "https://slsa.dev/provenance/v1";
  public static final String BUILD_TYPE = "https://rampart.dev/training/v1";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** One link of the chain model → provenance → datasets and whether it holds. */
  public record Link(String name, boolean holds, String detail) {}

  private Provenance() {}

  public static byte[] statement(String modelName, String modelSha256, TrainingRun run) {
    ObjectNode root = JSON.createObjectNode();
    root.put("_type", "https://in-toto.io/Statement/v1");
    var subject = root.putArray("subject").addObject();
    subject.put("name", modelName);
    subject.putObject("digest").put("sha256", modelSha256);
    root.put("predicateType", PREDICATE_TYPE);
    var predicate = root.putObject("predicate");
    var def = predicate.putObject("buildDefinition");
    def.put("buildType", BUILD_TYPE);
    var ext = def.putObject("externalParameters");
    var params = ext.putObject("parameters");
    run.parameters().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> params.put(e.getKey(), e.getValue()));
    run.codeRepository().ifPresent(r -> ext.put("source", r + run.codeCommit().map(c -> "@" + c).orElse("")));
    ArrayNode deps = def.putArray("resolvedDependencies");
    for (var d : run.datasets()) {
      dependency(deps, d, "dataset");
    }
    run.baseModel().ifPresent(b -> dependency(deps, b, "base-model"));
    run.codeCommit().ifPresent(c -> {
      var dep = deps.addObject();
      dep.put("uri", run.codeRepository().map(r -> "git+" + r).orElse("git"));
      dep.putObject("digest").put("gitCommit", c);
      dep.put("name", "code");
    });
    run.containerImage().ifPresent(img -> {
      var dep = deps.addObject();
      dep.put("uri", "oci://" + img.substring(0, img.indexOf('@')));
      dep.putObject("digest").put("sha256", img.substring(img.indexOf("@sha256:") + 8));
      dep.put("name", "container-image");
    });
    var details = predicate.putObject("runDetails");
    var builder = details.putObject("builder");
    builder.put("id", run.builderId());
    var meta = details.putObject("metadata");
    run.invocationId().ifPresent(i -> meta.put("invocationId", i));
    run.startedOn().ifPresent(t -> meta.put("startedOn", t.toString()));
    run.finishedOn().ifPresent(t -> meta.put("finishedOn", t.toString()));
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void dependency(ArrayNode deps, TrainingRun.Input in, String role) {
    var dep = deps.addObject();
    dep.put("name", in.name());
    in.uri().ifPresent(u -> dep.put("uri", u));
    dep.putObject("digest").put("sha256", in.sha256());
    dep.putObject("annotations").put("role", role).put("digestKind", "oms-root");
  }

  /** A signed provenance bundle for a model already hashed (its OMS root digest). */
  public static Bundle sign(String modelName, String modelSha256, TrainingRun run, SigningKey key) {
    byte[] payload = statement(modelName, modelSha256, run);
    byte[] sig = key.sign(Envelope.pae(Envelope.IN_TOTO, payload));
    return new Bundle(new Bundle.PublicKeyMaterial(Optional.of(Pem.hint(key.publicKey())), Optional.empty()),
        new Envelope(Envelope.IN_TOTO, payload, List.of(new Envelope.Sig(sig, Optional.of("")))));
  }

  /**
   * Follows the chain: the provenance signature, then model → provenance subject, then every dataset given on disk
   * against its recorded digest. Returns each link; the chain holds when every link does.
   *
   * @param datasets local copies of the datasets by the names the provenance records
   */
  public static List<Link> verify(Bundle bundle, PublicKey key, Path model, Map<String, Path> datasets, int threads)
      throws IOException, VerificationException {
    var links = new ArrayList<Link>();
    var env = bundle.envelope();
    boolean signed;
    try {
      var s = Signature.getInstance(dev.rampart.integrity.sign.Curve.of(key).signatureAlgorithm());
      s.initVerify(key);
      s.update(env.pae());
      signed = s.verify(env.signatures().get(0).sig());
    } catch (java.security.GeneralSecurityException e) {
      signed = false;
    }
    links.add(new Link("provenance signature", signed, signed ? "signed by key " + Pem.hint(key) : "does not verify with the given key"));
    JsonNode st = JSON.readTree(env.payload());
    if (!PREDICATE_TYPE.equals(st.path("predicateType").asText())) {
      throw new VerificationException.MalformedBundle("not SLSA provenance: predicateType " + st.path("predicateType"));
    }
    String subject = st.at("/subject/0/digest/sha256").asText();
    String actual = ModelHasher.hash(model, ModelHasher.Options.files().withThreads(threads), HashType.SHA256).rootDigest();
    links.add(new Link("model → provenance", subject.equals(actual),
        subject.equals(actual) ? "model digest " + actual : "model digest " + actual + " is not the provenance subject " + subject));
    boolean anyDataset = false;
    for (JsonNode dep : st.at("/predicate/buildDefinition/resolvedDependencies")) {
      if (!"dataset".equals(dep.path("annotations").path("role").asText())) {
        continue;
      }
      anyDataset = true;
      String name = dep.path("name").asText();
      String recorded = dep.path("digest").path("sha256").asText();
      Path local = datasets.get(name);
      if (local == null) {
        links.add(new Link("provenance → dataset " + name, false, "recorded " + recorded + "; no local copy given to check"));
        continue;
      }
      String got = ModelHasher.hash(local, ModelHasher.Options.files().withThreads(threads), HashType.SHA256).rootDigest();
      links.add(new Link("provenance → dataset " + name, got.equals(recorded),
          got.equals(recorded) ? "dataset digest " + got : "dataset digest " + got + " differs from the recorded " + recorded));
    }
    if (!anyDataset) {
      links.add(new Link("provenance → datasets", false, "the provenance records no dataset: lineage is incomplete"));
    }
    return links;
  }

  /** Parses the provenance statement of a bundle. */
  public static JsonNode read(Bundle bundle) throws IOException {
    return JSON.readTree(bundle.envelope().payload());
  }
}

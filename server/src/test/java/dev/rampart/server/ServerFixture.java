package dev.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.integrity.attest.Attestation;
import dev.rampart.integrity.attest.PredicateType;
import dev.rampart.integrity.hash.ModelHasher;
import dev.rampart.integrity.provenance.Provenance;
import dev.rampart.integrity.provenance.TrainingRun;
import dev.rampart.integrity.sign.Curve;
import dev.rampart.integrity.sign.ModelSigner;
import dev.rampart.integrity.sign.Pem;
import dev.rampart.integrity.sign.SigningKey;
import dev.rampart.server.auth.Permission;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server on a real database with a project, its members and, on demand, a trusted release key, a dataset
 * attested clean and a run: what every server suite starts from.
 */
abstract class ServerFixture {
  @TempDir Path tmp;
  RampartServer server;
  Http http;
  String admin;
  String alice;
  String bob;
  String carol;
  String bot;
  String dave;
  SigningKey key = SigningKey.generate(Curve.P256);
  /** Trusted for evaluations and dataset checks only. */
  SigningKey evaluator = SigningKey.generate(Curve.P256);
  String datasetDigest;

  abstract RampartServer.Config config(Path dataDir);

  @BeforeEach
  void start() throws Exception {
    server = RampartServer.start(config(tmp.resolve("data")));
    http = new Http(server.port());
    admin = server.bootstrapToken().orElseThrow();
    alice = user("alice", "user", "contributor");
    bob = user("bob", "user", "approver");
    carol = user("carol", "user", "approver");
    bot = user("deploy-bot", "service", "approver");
    dave = user("dave", "user", "viewer");
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      try {
        // every answer this test received is as the API document says
        var doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(server.api().openApi());
        assertThat(new Conformance(doc).check(List.copyOf(http.exchanges))).as("answers not matching the API document").isEmpty();
      } finally {
        server.close();
      }
    }
  }

  String user(String name, String kind, String role) {
    if (http.get("/api/v1/projects", admin).json().toString().equals("[]")) {
      assertThat(http.post("/api/v1/projects", admin, Map.of("name", "iris")).status()).isEqualTo(201);
    }
    assertThat(http.post("/api/v1/principals", admin, Map.of("name", name, "kind", kind)).status()).isEqualTo(201);
    assertThat(http.put("/api/v1/projects/iris/members/" + name, admin, Map.of("role", role)).status()).isEqualTo(204);
    var t = http.post("/api/v1/tokens", admin, Map.of("principal", name, "scopes", "read,write", "ttlDays", 7));
    assertThat(t.status()).isEqualTo(201);
    return t.json().get("token").asText();
  }

  /**
   * Trusts the release key (model signatures and provenance) and the evaluator key (evaluations and dataset checks),
   * registers a dataset, attests it clean with the evaluator key, and registers a run that used it.
   */
  void registerLineage() throws Exception {
    trust("release", key, "provenance");
    trust("evaluator", evaluator, "dataset-check", "robustness", "backdoor", "llm");
    Path data = Files.createDirectories(tmp.resolve("iris-data"));
    Files.writeString(data.resolve("train.csv"), "sepal,petal,label\n1,2,0\n3,4,1\n");
    datasetDigest = ModelHasher.hash(data, ModelHasher.Options.files()).rootDigest();
    var ds = http.post("/api/v1/projects/iris/datasets/iris-train/versions", alice,
        Map.of("digest", "sha256:" + datasetDigest, "uri", "s3://datasets/iris/v1"));
    assertThat(ds.status()).as(ds.body()).isEqualTo(201);
    var check = attest(alice, "iris-train", datasetDigest, PredicateType.DATASET_CHECK, "{\"dataset\": {\"verdict\": \"clean\"}}",
        evaluator);
    assertThat(check.status()).as(check.body()).isEqualTo(201);
    var run = http.post("/api/v1/projects/iris/runs", alice, Map.of("name", "train-1", "codeCommit", "4f2a9c1b0e",
        "parameters", Map.of("lr", 0.01), "metrics", Map.of("accuracy", 0.96),
        "inputs", List.of(Map.of("dataset", "iris-train", "version", 1))));
    assertThat(run.status()).as(run.body()).isEqualTo(201);
  }

  /** Trusts a key for the project, allowed to attest the given predicate types. */
  void trust(String name, SigningKey k, String... predicateTypes) {
    var r = http.post("/api/v1/projects/iris/keys", admin, Map.of("name", name,
        "publicKeyPem", Pem.encode("PUBLIC KEY", k.publicKey().getEncoded()), "predicateTypes", List.of(predicateTypes)));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
  }

  /** Signs an attestation about a digest and submits it. */
  Http.Response attest(String token, String subject, String digest, PredicateType type, String predicateJson, SigningKey k)
      throws Exception {
    var bundle = Attestation.sign(subject, digest, type, new com.fasterxml.jackson.databind.ObjectMapper().readTree(predicateJson), k);
    return http.send("POST", "/api/v1/projects/iris/attestations", token, new String(bundle.toJson(), StandardCharsets.UTF_8));
  }

  /** Uploads a model folder signed with the project's key and with provenance; returns the version JSON. */
  JsonNode upload(String token, String model, Path dir, boolean sign, boolean provenance) throws Exception {
    var r = upload(token, model, dir, sign ? key : null, provenance ? provenance(model, dir, key) : null, "train-1");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  /** Uploads a model folder, signed by {@code signer} when given, with a provenance document when given. */
  Http.Response upload(String token, String model, Path dir, SigningKey signer, byte[] provenance, String run) throws Exception {
    var parts = new ArrayList<Http.Part>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
        parts.add(Http.Part.file("file", dir.relativize(f).toString(), Files.readAllBytes(f)));
      }
    }
    if (signer != null) {
      Path sig = tmp.resolve(dir.getFileName() + ".sig");
      parts.add(Http.Part.file("signature", "model.sig", ModelSigner.sign(dir, signer, List.of(), ModelHasher.Options.files(), sig).toJson()));
    }
    if (provenance != null) {
      parts.add(Http.Part.file("provenance", "provenance.json", provenance));
    }
    if (run != null) {
      parts.add(Http.Part.field("run", run));
    }
    return http.multipart("/api/v1/projects/iris/models/" + model + "/versions", token, parts);
  }

  /** SLSA provenance for a model folder trained on the registered dataset, signed by {@code signer}. */
  byte[] provenance(String model, Path dir, SigningKey signer) throws Exception {
    String digest = ModelHasher.hash(dir, ModelHasher.Options.files()).rootDigest();
    var run = new TrainingRun("https://ci.example.com/train", Optional.of("train-1"), Optional.empty(), Optional.empty(), Map.of(),
        List.of(new TrainingRun.Input("iris-train", datasetDigest, Optional.empty())), Optional.empty(),
        Optional.of("https://git.example.com/iris"), Optional.of("4f2a9c1b0e"), Optional.empty());
    return Provenance.sign(model, digest, run, signer).toJson();
  }

  /** Promotes and approves a version into an environment (bob, then carol where two approvals are needed). */
  JsonNode deploy(String model, int version, String env) {
    var p = promote(alice, model, version, env);
    long id = p.get("id").asLong();
    JsonNode last = p;
    for (String approver : new String[] {bob, carol}) {
      if (!last.get("status").asText().equals("pending")) {
        break;
      }
      var r = http.post("/api/v1/projects/iris/promotions/" + id + "/approve", approver, "{}");
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      last = r.json();
    }
    assertThat(last.get("status").asText()).as(last.toString()).isEqualTo("deployed");
    return last;
  }

  Path benignModel(String name, String configJson) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    Files.copy(Path.of("../examples/models/clean/classifier.onnx"), dir.resolve("classifier.onnx"));
    Files.writeString(dir.resolve("config.json"), configJson);
    return dir;
  }

  JsonNode promote(String token, String model, int version, String env) {
    var r = http.post("/api/v1/projects/iris/promotions", token, Map.of("model", model, "version", version, "environment", env));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  JsonNode admit(String env, String digest) {
    var r = http.post("/api/v1/projects/iris/environments/" + env + "/admission", bot, Map.of("digest", digest));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

}

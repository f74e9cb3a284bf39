package dev.rampart.server.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.core.ExitCode;
import dev.rampart.core.Report;
import dev.rampart.core.Severity;
import dev.rampart.core.report.JsonReportWriter;
import dev.rampart.core.report.RenderOptions;
import dev.rampart.integrity.bom.AiBom;
import dev.rampart.integrity.hash.ModelHasher;
import dev.rampart.integrity.oms.Bundle;
import dev.rampart.integrity.provenance.Provenance;
import dev.rampart.integrity.sign.ModelVerifier;
import dev.rampart.integrity.sign.Pem;
import dev.rampart.integrity.sign.Trust;
import dev.rampart.integrity.sign.VerificationException;
import dev.rampart.scan.Scanner;
import dev.rampart.server.Json;
import dev.rampart.server.artifacts.ArtifactStore;
import dev.rampart.server.audit.AuditLog;
import dev.rampart.server.auth.Principal;
import dev.rampart.server.domain.Conflict;
import dev.rampart.server.domain.InvalidInput;
import dev.rampart.server.domain.TooLarge;
import dev.rampart.server.domain.Unverified;
import dev.rampart.server.store.Writes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Model versions: an upload is written to a private temporary folder, scanned (never loaded), hashed into its OMS
 * digest, its signature checked against the project's trusted keys, and only then stored.
 */
public final class ModelVersions {
  /** One uploaded file: its relative name in the model and its content. */
  public record Upload(String name, InputStream content) {}

  private final Registry registry;
  private final Writes writes;
  private final AuditLog audit;
  private final ArtifactStore store;
  private final Path tmpRoot;
  private final long maxUploadBytes;

  private final dev.rampart.server.facts.Attestations attestations;

  public ModelVersions(Registry registry, Writes writes, AuditLog audit, ArtifactStore store, Path tmpRoot, long maxUploadBytes,
      dev.rampart.server.facts.Attestations attestations) throws IOException {
    this.attestations = attestations;
    this.registry = registry;
    this.writes = writes;
    this.audit = audit;
    this.store = store;
    this.tmpRoot = Files.createDirectories(tmpRoot);
    this.maxUploadBytes = maxUploadBytes;
  }

  public Answers.Uploaded upload(String project, String model, List<Upload> files, Optional<byte[]> signature, Optional<byte[]> provenance,
      Optional<String> runName, Principal by) throws IOException {
    Names.name("model", model);
    if (files.isEmpty()) {
      throw new InvalidInput("upload at least one model file (multipart field 'file')");
    }
    long projectId = registry.projectId(project);
    Path work = tmpRoot.resolve("upload-" + UUID.randomUUID());
    Path dir = Files.createDirectories(work.resolve(model));
    try {
      var blobs = new LinkedHashMap<String, String[]>();
      long total = 0;
      for (Upload u : files) {
        String name = Names.relativePath(u.name());
        if (blobs.containsKey(name) || name.equals("model.sig")) {
          throw new InvalidInput(InvalidInput.Reason.INVALID_NAME, "file '" + name + "' is given twice or is reserved");
        }
        Path target = dir.resolve(name).normalize();
        if (!target.startsWith(dir)) {
          throw new InvalidInput(InvalidInput.Reason.INVALID_NAME, "file name escapes the model");
        }
        Files.createDirectories(target.getParent());
        var md = sha256();
        long size;
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(target), md); InputStream in = u.content()) {
          size = copyBounded(in, out, maxUploadBytes - total);
        }
        total += size;
        blobs.put(name, new String[] {HexFormat.of().formatHex(md.digest()), Long.toString(size)});
      }
      String digest = ModelHasher.hash(dir, ModelHasher.Options.files().withThreads(2)).rootDigest();
      Report scan = Scanner.builder().threads(2).build().scan(List.of(dir));
      var scanJson = JsonReportWriter.toJson(relativize(scan, work), new RenderOptions(Optional.of(Severity.HIGH), false, false));
      var counts = scan.countsBySeverity();
      String verdict = switch (ExitCode.of(scan, Optional.of(Severity.HIGH))) {
        case FINDINGS -> "findings";
        case INCOMPLETE -> "incomplete";
        default -> "clean";
      };
      var sig = checkSignature(projectId, dir, signature);
      provenance.ifPresent(ModelVersions::requireProvenanceBundle);
      var prov = provenance.map(p -> registry.jdbi().withHandle(h -> dev.rampart.server.facts.ProvenanceFact.of(
          new String(p, java.nio.charset.StandardCharsets.UTF_8), digest, dev.rampart.server.facts.TrustPolicy.attesters(h, projectId))));
      List<String> created = new ArrayList<>();
      try {
        for (var e : blobs.entrySet()) {
          if (store.put(e.getValue()[0], dir.resolve(e.getKey()))) {
            created.add(e.getValue()[0]);
          }
        }
        final long bytes = total;
        return writes.run(h -> {
          long modelId = h.createQuery("select id from models where project_id = :p and name = :n").bind("p", projectId).bind("n", model)
              .mapTo(Long.class).findOne().orElseGet(() -> h.createUpdate(
                  "insert into models(project_id, name, created_at, created_by) values (:p, :n, :t, :u)")
                  .bind("p", projectId).bind("n", model).bind("t", registry.now()).bind("u", by.id())
                  .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
          var existing = h.createQuery("select version from model_versions where model_id = :m and digest = :d").bind("m", modelId)
              .bind("d", digest).mapTo(Integer.class).findOne();
          if (existing.isPresent()) {
            throw new Conflict("this model is already version " + existing.get() + " (sha256:" + digest + ")");
          }
          Long runId = runName.map(r -> Registry.id(h, "runs", projectId, r, "run")).orElse(null);
          int version = h.createQuery("select coalesce(max(version), 0) + 1 from model_versions where model_id = :m").bind("m", modelId)
              .mapTo(Integer.class).one();
          long vid = h.createUpdate("""
                  insert into model_versions(model_id, version, digest, run_id, uploaded_by, created_at, files, bytes, scan_verdict,
                    scan_incomplete, findings_critical, findings_high, findings_medium, findings_low, scan_report, signature,
                    signature_verified, signature_method, signature_signer, signature_detail, provenance, provenance_complete, evaluations,
                    signature_key_id)
                  values (:m, :v, :d, :r, :u, :t, :f, :b, :sv, :si, :c, :hi, :me, :lo, :sr, :sig, :ok, :method, :signer, :detail,
                    :prov, :pc, '{}', :key)""")
              .bind("m", modelId).bind("v", version).bind("d", digest).bind("r", runId).bind("u", by.id()).bind("t", registry.now())
              .bind("f", blobs.size()).bind("b", bytes).bind("sv", verdict).bind("si", scan.incomplete())
              .bind("c", counts.get(Severity.CRITICAL)).bind("hi", counts.get(Severity.HIGH)).bind("me", counts.get(Severity.MEDIUM))
              .bind("lo", counts.get(Severity.LOW)).bind("sr", Json.write(scanJson))
              .bind("sig", signature.map(String::new).orElse(null)).bind("ok", sig.verified()).bind("method", sig.method())
              .bind("signer", sig.signer()).bind("detail", sig.detail())
              .bind("prov", provenance.map(String::new).orElse(null)).bind("pc", prov.map(p -> p.verified() && p.complete()).orElse(false)).bind("key", sig.keyId())
              .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
          for (var e : blobs.entrySet()) {
            h.createUpdate("insert into model_files(model_version_id, name, blob_sha256, size) values (:v, :n, :s, :z)")
                .bind("v", vid).bind("n", e.getKey()).bind("s", e.getValue()[0]).bind("z", Long.parseLong(e.getValue()[1])).execute();
          }
          var details = new LinkedHashMap<String, Object>();
          details.put("project", project);
          details.put("model", model);
          details.put("version", version);
          details.put("digest", digest);
          details.put("scan", verdict);
          details.put("signed", sig.verified());
          details.put("provenanceVerified", prov.map(dev.rampart.server.facts.ProvenanceFact::verified).orElse(false));
          audit.append(h, "model_version.created", by.name(), details);
          return new Answers.Uploaded(model, version, digest, verdict, new Answers.Findings(
              counts.get(Severity.CRITICAL).longValue(), counts.get(Severity.HIGH).longValue(),
              counts.get(Severity.MEDIUM).longValue(), counts.get(Severity.LOW).longValue()),
              sig.verified(), sig.detail(), prov.orElse(null));
        });
      } catch (RuntimeException e) {
        for (String blob : created) {
          store.delete(blob);
        }
        throw e;
      }
    } finally {
      deleteTree(work);
    }
  }

  /** The outcome of checking an uploaded signature against the project's trusted keys. */
  record SignatureCheck(boolean verified, String method, String signer, String detail, Long keyId) {}

  private SignatureCheck checkSignature(long projectId, Path dir, Optional<byte[]> signature) {
    if (signature.isEmpty()) {
      return new SignatureCheck(false, null, null, "unsigned", null);
    }
    Bundle bundle;
    try {
      bundle = Bundle.parse(signature.get());
    } catch (VerificationException e) {
      return new SignatureCheck(false, null, null, e.getMessage(), null);
    }
    String last = "no trusted signing key is registered for this project";
    var keys = registry.jdbi().withHandle(h -> dev.rampart.server.facts.TrustPolicy.keys(h, projectId));
    for (var key : keys) {
      try {
        var v = ModelVerifier.verify(dir, bundle, new Trust.Key(key.publicKey()),
            new ModelVerifier.Options(List.of(), false, dir.resolve("model.sig"), 2));
        return new SignatureCheck(true, v.method(), v.signer(), "verified with key '" + key.name() + "': " + v.resources() + " files",
            key.id());
      } catch (VerificationException e) {
        last = e.getMessage();
      } catch (IOException e) {
        last = "cannot verify: " + e.getMessage();
      }
    }
    return new SignatureCheck(false, bundle.material().method(), null, last, null);
  }

  /** Provenance must at least be a readable SLSA provenance bundle; whether it counts is decided by its verification. */
  private static void requireProvenanceBundle(byte[] bundle) {
    try {
      JsonNode st = Provenance.read(Bundle.parse(bundle));
      if (!Provenance.PREDICATE_TYPE.equals(st.path("predicateType").asText())) {
        throw new InvalidInput("provenance is not SLSA provenance (predicateType " + st.path("predicateType").asText() + ")");
      }
    } catch (IOException | VerificationException e) {
      throw new InvalidInput("provenance is not a signed SLSA provenance bundle: " + e.getMessage());
    }
  }

  /** Scan reports name files inside the private upload folder; report them relative to the model. */
  private static Report relativize(Report r, Path work) {
    String prefix = work.toString() + "/";
    var findings = r.findings().stream().map(f -> new dev.rampart.core.Finding(f.rule(), f.severity(), f.title(), f.evidence(),
        new dev.rampart.core.Location(f.location().file().replace(prefix, ""), f.location().members(), f.location().byteOffset()),
        f.technique(), f.phase(), f.fileSha256())).toList();
    var artifacts = r.artifacts().stream().map(a -> new dev.rampart.core.ArtifactRecord(a.path().replace(prefix, ""), a.format(),
        a.size(), a.status(), a.note())).toList();
    return new Report(r.kind(), r.toolVersion(), r.createdAt(), List.of(), findings, r.suppressed(), artifacts);
  }

  private static long copyBounded(InputStream in, OutputStream out, long limit) throws IOException {
    byte[] buf = new byte[64 * 1024];
    long total = 0;
    int n;
    while ((n = in.read(buf)) > 0) {
      total += n;
      if (total > limit) {
        throw new TooLarge("the upload exceeds the server's limit");
      }
      out.write(buf, 0, n);
    }
    return total;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static void deleteTree(Path p) {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(x -> {
        try {
          Files.deleteIfExists(x);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // --- reading -------------------------------------------------------------------------------------------------

  /** A model version in a listing. */
  public record VersionSummary(String model, int version, String digest, String scanVerdict, boolean signatureVerified) {}

  public List<VersionSummary> models(String project) {
    return registry.jdbi().withHandle(h -> {
      long pid = Registry.projectId(h, project);
      return h.createQuery("""
              select m.name, mv.version, mv.digest, mv.scan_verdict, mv.signature_verified, mv.created_at from models m
              join model_versions mv on mv.model_id = m.id where m.project_id = :p order by m.name, mv.version""")
          .bind("p", pid).map((rs, ctx) -> new VersionSummary(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
              rs.getBoolean(5))).list();
    });
  }

  public Answers.ModelVersion version(String project, String model, int version) {
    return registry.jdbi().withHandle(h -> {
      long pid = Registry.projectId(h, project);
      long vid = Registry.modelVersionId(h, pid, model, version);
      var o = h.createQuery("""
              select mv.digest, mv.files, mv.bytes, mv.scan_verdict, mv.scan_incomplete, mv.findings_critical, mv.findings_high,
                mv.findings_medium, mv.findings_low, mv.scan_report, mv.signature_verified, mv.signature_method, mv.signature_signer,
                mv.signature_detail, mv.provenance, mv.signature, mv.signature_key_id, r.name, p.name, mv.created_at
              from model_versions mv left join runs r on r.id = mv.run_id join principals p on p.id = mv.uploaded_by where mv.id = :v""")
          .bind("v", vid).map((rs, ctx) -> {
            var scan = new Answers.Scan(rs.getString(4), rs.getBoolean(5), new Answers.Findings(rs.getInt(6), rs.getInt(7),
                rs.getInt(8), rs.getInt(9)), Json.read(rs.getString(10)));
            // signature and provenance are verified again now: a key revoked since the upload no longer vouches
            var trust = dev.rampart.server.facts.TrustPolicy.keys(h, pid);
            Long keyId = rs.getObject(17, Long.class);
            var key = trust.stream().filter(k -> Long.valueOf(k.id()).equals(keyId)).findFirst();
            boolean holds = rs.getBoolean(11) && dev.rampart.server.facts.ModelSignature.holds(rs.getString(16), rs.getString(1),
                key.map(dev.rampart.server.facts.TrustPolicy.Key::publicKey).orElse(null));
            var sig = new Answers.Signature(holds, rs.getString(12), rs.getString(13), holds ? key.get().name() : "",
                holds || !rs.getBoolean(11) ? rs.getString(14) : "the key that verified it is no longer trusted");
            var attesters = trust.stream().map(dev.rampart.server.facts.TrustPolicy.Key::trusted).toList();
            var prov = dev.rampart.server.facts.ProvenanceFact.of(rs.getString(15), rs.getString(1), attesters);
            var facts = dev.rampart.server.facts.Attestations.about(h, pid, rs.getString(1), attesters);
            return new Answers.ModelVersion(model, version, rs.getString(1), rs.getInt(2), rs.getLong(3), scan, sig, prov, facts,
                rs.getString(18), rs.getString(19));
          }).one();
      return o;
    });
  }

  /**
   * Records an evaluation of a version. A signed attestation (a Sigstore bundle with an in-toto statement about this
   * version's digest) is verified and counts when its key is trusted for the kind; a bare {@code {name, result}} is
   * kept as an unsigned claim about this version's digest, which can block a gate but never pass one. Nothing
   * recorded earlier is replaced.
   */
  public Record addEvaluation(String project, String model, int version, byte[] raw, JsonNode body, Principal by) {
    if (body.has("dsseEnvelope")) {
      String digest = registry.jdbi().withHandle(h -> h.createQuery("select digest from model_versions where id = :v")
          .bind("v", Registry.modelVersionId(h, Registry.projectId(h, project), model, version)).mapTo(String.class).one());
      JsonNode statement;
      try {
        statement = dev.rampart.integrity.attest.AttestationVerifier.statement(attestations.parseForSubject(raw));
      } catch (VerificationException e) {
        throw new Unverified(e.getMessage());
      }
      String subject = statement.at("/subject/0/digest/sha256").asText();
      if (!subject.equals(digest)) {
        throw new Unverified("the attestation is about sha256:" + subject + ", not " + model + " v"
            + version + " (sha256:" + digest + "): an evaluation of another model's file does not count for this one");
      }
      return attestations.submit(project, raw, by);
    }
    String name = Names.name("evaluation", Json.text(body, "name"));
    JsonNode result = body.get("result");
    if (result == null || !result.isObject()) {
      throw new InvalidInput("'result' must be a JSON object");
    }
    return writes.run(h -> {
      long pid = Registry.projectId(h, project);
      long vid = Registry.modelVersionId(h, pid, model, version);
      String digest = h.createQuery("select digest from model_versions where id = :v").bind("v", vid).mapTo(String.class).one();
      var details = new LinkedHashMap<String, Object>();
      details.put("project", project);
      details.put("model", model);
      details.put("version", version);
      details.put("evaluation", name);
      return attestations.claim(h, pid, digest, name, result, by, details);
    });
  }

  private record RunRow(long id, String name, String codeCommit) {}

  /** Lineage of a model version: the datasets and run that produced it, and where it is deployed. */
  public Answers.Lineage lineage(String project, String model, int version) {
    return registry.jdbi().withHandle(h -> {
      long pid = Registry.projectId(h, project);
      long vid = Registry.modelVersionId(h, pid, model, version);
      var run = h.createQuery("select r.id, r.name, r.code_commit from model_versions mv join runs r on r.id = mv.run_id where mv.id = :v")
          .bind("v", vid).map((rs, ctx) -> new RunRow(rs.getLong(1), rs.getString(2), rs.getString(3))).findOne();
      var datasets = run.map(r -> h.createQuery("""
                select d.name, v.version, v.digest, v.check_verdict, v.poisoned from run_inputs i
                join dataset_versions v on v.id = i.dataset_version_id join datasets d on d.id = v.dataset_id where i.run_id = :r""")
            .bind("r", r.id()).map((rs, ctx) -> new Answers.LineageDataset(rs.getString(1), rs.getInt(2), rs.getString(3),
                rs.getString(4), rs.getBoolean(5))).list()).orElse(List.of());
      var deployments = h.createQuery("""
              select e.name, d.status, d.deployed_at from deployments d join environments e on e.id = d.environment_id
              where d.model_version_id = :v order by d.deployed_at""")
          .bind("v", vid).map((rs, ctx) -> new Answers.LineageDeployment(rs.getString(1), rs.getString(2),
              rs.getObject(3, java.time.OffsetDateTime.class).toString())).list();
      return new Answers.Lineage(model, version, datasets, run.map(r -> new Answers.LineageRun(r.name(), r.codeCommit()))
          .orElse(null), deployments);
    });
  }

  /** The CycloneDX 1.6 AI-BOM of a version, from its digest, provenance and scan report. */
  public String bom(String project, String model, int version) {
    return registry.jdbi().withHandle(h -> {
      long pid = Registry.projectId(h, project);
      long vid = Registry.modelVersionId(h, pid, model, version);
      return h.createQuery("select digest, provenance, scan_report from model_versions where id = :v").bind("v", vid)
          .map((rs, ctx) -> {
            Optional<JsonNode> prov = Optional.empty();
            if (rs.getString(2) != null) {
              try {
                prov = Optional.of(Provenance.read(Bundle.parse(rs.getString(2).getBytes(java.nio.charset.StandardCharsets.UTF_8))));
              } catch (IOException | VerificationException e) {
                prov = Optional.empty();
              }
            }
            return AiBom.json(new AiBom.Inputs(model, Integer.toString(version), rs.getString(1), Optional.empty(), prov,
                Optional.of(Json.read(rs.getString(3)))));
          }).one();
    });
  }
}

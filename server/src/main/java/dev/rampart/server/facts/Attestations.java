package dev.rampart.server.facts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.integrity.attest.AttestationVerifier.TrustedKey;
import dev.rampart.integrity.attest.AttestationVerifier;
import dev.rampart.integrity.attest.PredicateType;
import dev.rampart.integrity.oms.Bundle;
import dev.rampart.integrity.sign.VerificationException;
import dev.rampart.server.Json;
import dev.rampart.server.audit.AuditLog;
import dev.rampart.server.auth.Principal;
import dev.rampart.server.domain.NotFound;
import dev.rampart.server.domain.Unverified;
import dev.rampart.server.store.Lookups;
import dev.rampart.server.store.Writes;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Attested facts, append-only: a signed in-toto statement about a model or dataset version is verified on arrival
 * (signature by a trusted key, that key's authority for the predicate type, the subject digest) and stored; it is
 * verified again, against the trust policy of that moment, whenever a gate reads it. Nothing replaces an earlier fact.
 */
public final class Attestations {
  private final Jdbi jdbi;
  private final Writes writes;
  private final AuditLog audit;
  private final Clock clock;

  public Attestations(Jdbi jdbi, Writes writes, AuditLog audit, Clock clock) {
    this.jdbi = jdbi;
    this.writes = writes;
    this.audit = audit;
    this.clock = clock;
  }
  private java.time.OffsetDateTime now() {
    return java.time.OffsetDateTime.ofInstant(clock.instant(), java.time.ZoneOffset.UTC);
  }


  /** An attestation that verified and was recorded; {@code statementSha256} is what the audit entry names. */
  public record Recorded(long id, String predicateType, String subject, String attestedBy, String statementSha256,
      boolean verified) {}

  /** An unsigned result kept as a claim: it may block a gate, never pass one. */
  public record Claimed(long id, String type, String subject, String statementSha256, boolean verified,
      String attestedBy) {}

  /** Verifies and records an attestation bundle; refused with the reason when it does not verify. */
  public Recorded submit(String project, byte[] bundleJson, Principal by) {
    Bundle bundle = parse(bundleJson);
    JsonNode statement;
    try {
      statement = AttestationVerifier.statement(bundle);
    } catch (VerificationException e) {
      throw new Unverified(e.getMessage());
    }
    String subject = statement.at("/subject/0/digest/sha256").asText();
    return writes.run(h -> {
      long pid = Lookups.projectId(h, project);
      var verified = verify(bundle, subject, TrustPolicy.attesters(h, pid));
      boolean dataset = verified.type() == PredicateType.DATASET_CHECK;
      String table = dataset ? "dataset_versions v join datasets d on d.id = v.dataset_id"
          : "model_versions v join models d on d.id = v.model_id";
      if (h.createQuery("select count(*) from " + table + " where d.project_id = :p and v.digest = :g").bind("p", pid)
          .bind("g", subject).mapTo(Integer.class).one() == 0) {
        throw NotFound.of("a " + (dataset ? "dataset" : "model") + " version with digest sha256:" + subject);
      }
      long id = insert(h, pid, subject, verified.type().shortName(), verified.envelopeSha256(),
          new String(bundleJson, StandardCharsets.UTF_8), verified.predicate(), by);
      if (dataset) {
        // the listing shows the latest attested verdict; gates re-verify the attestation itself
        h.createUpdate("""
                update dataset_versions set check_verdict = :v, check_report = :r where digest = :g
                  and dataset_id in (select id from datasets where project_id = :p)""")
            .bind("v", truncate(datasetVerdict(verified.predicate()), 16))
            .bind("r", Json.write(verified.predicate())).bind("g", subject).bind("p", pid).execute();
      }
      var details = new LinkedHashMap<String, Object>();
      details.put("project", project);
      details.put("predicateType", verified.type().shortName());
      details.put("subject", subject);
      details.put("statementSha256", verified.envelopeSha256());
      details.put("signer", verified.signer());
      audit.append(h, "attestation.recorded", by.name(), details);
      return new Recorded(id, verified.type().shortName(), subject, verified.signer(), verified.envelopeSha256(), true);
    });
  }

  /**
   * Records an unsigned result about a model version. It is kept beside the attested ones and shown as unverified; a
   * gate may be blocked by it (a failing result stays until a trusted evaluator attests a pass) but never passed.
   */
  public Claimed claim(Handle h, long projectId, String digest, String type, JsonNode result, Principal by,
      Map<String, Object> auditDetails) {
    var canonical = Json.MAPPER.createObjectNode();
    canonical.put("subject", digest).put("type", type).set("result", result);
    String sha = dev.rampart.core.Sha256.of(Json.write(canonical));
    long id = insert(h, projectId, digest, type, sha, null, result, by);
    var details = new LinkedHashMap<String, Object>(auditDetails);
    details.put("type", type);
    details.put("subject", digest);
    details.put("statementSha256", sha);
    details.put("verified", false);
    audit.append(h, "evaluation.recorded", by.name(), details);
    return new Claimed(id, type, digest, sha, false, "claimed by " + by.name());
  }

  private long insert(Handle h, long pid, String subject, String type, String sha, String bundle, JsonNode predicate,
      Principal by) {
    return h.createUpdate("""
            insert into attestations(project_id, subject_digest, predicate_type, statement_sha256, bundle, predicate,
              submitted_by, created_at)
            values (:p, :s, :t, :sha, :b, :pr, :u, :at)""")
        .bind("p", pid).bind("s", subject).bind("t", type).bind("sha", sha).bind("b", bundle)
        .bind("pr", Json.write(predicate)).bind("u", by.id()).bind("at", now())
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
  }

  /** The verdict of a dataset check report ({@code rampart data check} JSON) or of a bare {@code {"verdict": ...}}. */
  public static String datasetVerdict(JsonNode predicate) {
    if (predicate.at("/dataset/verdict").isTextual()) {
      return predicate.at("/dataset/verdict").asText();
    }
    return predicate.path("verdict").asText("unchecked");
  }

  /** Parses a bundle whose statement is about to be read (untrusted) to route it; refused when malformed. */
  public Bundle parseForSubject(byte[] json) {
    return parse(json);
  }

  private static String truncate(String s, int max) {
    return s.length() > max ? s.substring(0, max) : s;
  }

  static Bundle parse(byte[] json) {
    try {
      return Bundle.parse(json);
    } catch (VerificationException e) {
      throw new Unverified("not an attestation bundle: " + e.getMessage());
    }
  }

  static AttestationVerifier.Verified verify(Bundle bundle, String subject, List<TrustedKey> trust) {
    try {
      return AttestationVerifier.verify(bundle, subject, trust);
    } catch (VerificationException e) {
      throw new Unverified("the attestation does not count: " + e.getMessage());
    }
  }

  /** Every fact recorded about a digest, oldest first, each verified again against today's trust policy. */
  public static List<FactRecord> about(Handle h, long projectId, String digest, List<TrustedKey> trust) {
    var rows = h.createQuery("""
            select a.id, a.predicate_type, a.statement_sha256, a.bundle, a.predicate, u.name, a.created_at
            from attestations a join principals u on u.id = a.submitted_by
            where a.project_id = :p and a.subject_digest = :d order by a.id""")
        .bind("p", projectId).bind("d", digest).map((rs, ctx) -> new Stored(rs.getLong(1), rs.getString(2), rs.getString(3),
            rs.getString(4), Json.read(rs.getString(5)), rs.getString(6), rs.getObject(7, OffsetDateTime.class)))
        .list();
    List<TrustPolicy.OnRecord> everKnown = null;
    var out = new java.util.ArrayList<FactRecord>();
    for (Stored r : rows) {
      if (r.bundle() == null) {
        out.add(new FactRecord(r.id(), r.type(), "", false, "claimed by " + r.submitter(), null,
            "unsigned: a claim, not an attestation", r.predicate(), r.sha(), r.submitter(), r.at().toString()));
        continue;
      }
      Bundle bundle;
      try {
        bundle = Bundle.parse(r.bundle().getBytes(StandardCharsets.UTF_8));
      } catch (VerificationException e) {
        out.add(new FactRecord(r.id(), r.type(), "", false, "claimed by " + r.submitter(), FactRecord.Signer.UNKNOWN,
            "no longer verifies: " + e.getMessage(), r.predicate(), r.sha(), r.submitter(), r.at().toString()));
        continue;
      }
      String typeUri = PredicateType.parse(r.type()).map(PredicateType::uri).orElse("");
      try {
        var v = AttestationVerifier.verify(bundle, digest, trust);
        var key = trust.stream().filter(k -> k.name().equals(v.signer())).findFirst().orElseThrow();
        out.add(new FactRecord(r.id(), r.type(), v.type().uri(), true, v.signer(),
            new FactRecord.Signer(v.signer(), AttestationVerifier.hint(key.key()), FactRecord.KeyState.TRUSTED, null), "",
            r.predicate(), r.sha(), r.submitter(), r.at().toString()));
      } catch (VerificationException e) {
        // name the key that signed it, if the project ever had it, so a revoked or unauthorized key is shown as such
        if (everKnown == null) {
          everKnown = TrustPolicy.everKnown(h, projectId);
        }
        out.add(new FactRecord(r.id(), r.type(), typeUri, false, "claimed by " + r.submitter(), signer(bundle, everKnown),
            "no longer verifies: " + e.getMessage(), r.predicate(), r.sha(), r.submitter(), r.at().toString()));
      }
    }
    return out;
  }

  private record Stored(long id, String type, String sha, String bundle, JsonNode predicate, String submitter,
      OffsetDateTime at) {}

  private static FactRecord.Signer signer(Bundle bundle, List<TrustPolicy.OnRecord> keys) {
    for (var k : keys) {
      if (AttestationVerifier.signatureHolds(bundle.envelope(), k.publicKey())) {
        return new FactRecord.Signer(k.name(), AttestationVerifier.hint(k.publicKey()), k.revokedAt() == null
            ? FactRecord.KeyState.NOT_AUTHORIZED : FactRecord.KeyState.REVOKED,
            k.revokedAt() == null ? null : k.revokedAt().toString());
      }
    }
    return FactRecord.Signer.UNKNOWN;
  }

  /** The facts about a digest as JSON, for the API and the console. */
  public List<FactRecord> list(String project, String digest) {
    return jdbi.withHandle(h -> {
      long pid = Lookups.projectId(h, project);
      return about(h, pid, digest, TrustPolicy.attesters(h, pid));
    });
  }
}

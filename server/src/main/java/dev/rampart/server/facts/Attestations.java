package dev.rampart.server.facts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.integrity.attest.AttestationVerifier;
import dev.rampart.integrity.attest.AttestationVerifier.TrustedKey;
import dev.rampart.integrity.attest.PredicateType;
import dev.rampart.integrity.oms.Bundle;
import dev.rampart.integrity.sign.VerificationException;
import dev.rampart.server.Json;
import dev.rampart.server.api.ApiException;
import dev.rampart.server.api.ErrorCode;
import dev.rampart.server.audit.AuditLog;
import dev.rampart.server.auth.Principal;
import dev.rampart.server.registry.Registry;
import dev.rampart.server.store.Writes;
import java.nio.charset.StandardCharsets;
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
  private final Registry registry;

  public Attestations(Jdbi jdbi, Writes writes, AuditLog audit, Registry registry) {
    this.jdbi = jdbi;
    this.writes = writes;
    this.audit = audit;
    this.registry = registry;
  }

  /** Verifies and records an attestation bundle; refused with the reason when it does not verify. */
  public ObjectNode submit(String project, byte[] bundleJson, Principal by) {
    Bundle bundle = parse(bundleJson);
    JsonNode statement;
    try {
      statement = AttestationVerifier.statement(bundle);
    } catch (VerificationException e) {
      throw new ApiException(ErrorCode.ATTESTATION_UNVERIFIED, e.getMessage());
    }
    String subject = statement.at("/subject/0/digest/sha256").asText();
    return writes.run(h -> {
      long pid = Registry.projectId(h, project);
      var verified = verify(bundle, subject, TrustPolicy.attesters(h, pid));
      boolean dataset = verified.type() == PredicateType.DATASET_CHECK;
      String table = dataset ? "dataset_versions v join datasets d on d.id = v.dataset_id"
          : "model_versions v join models d on d.id = v.model_id";
      if (h.createQuery("select count(*) from " + table + " where d.project_id = :p and v.digest = :g").bind("p", pid)
          .bind("g", subject).mapTo(Integer.class).one() == 0) {
        throw ApiException.notFound("a " + (dataset ? "dataset" : "model") + " version with digest sha256:" + subject);
      }
      long id = insert(h, pid, subject, verified.type().shortName(), verified.envelopeSha256(),
          new String(bundleJson, StandardCharsets.UTF_8), verified.predicate(), by);
      if (dataset) {
        // the listing shows the latest attested verdict; gates re-verify the attestation itself
        h.createUpdate("""
                update dataset_versions set check_verdict = :v, check_report = :r where digest = :g
                  and dataset_id in (select id from datasets where project_id = :p)""")
            .bind("v", truncate(dev.rampart.server.promotion.Facts.datasetVerdict(verified.predicate()), 16))
            .bind("r", Json.write(verified.predicate())).bind("g", subject).bind("p", pid).execute();
      }
      var details = new LinkedHashMap<String, Object>();
      details.put("project", project);
      details.put("predicateType", verified.type().shortName());
      details.put("subject", subject);
      details.put("statementSha256", verified.envelopeSha256());
      details.put("signer", verified.signer());
      audit.append(h, "attestation.recorded", by.name(), details);
      var out = Json.MAPPER.createObjectNode();
      out.put("id", id).put("predicateType", verified.type().shortName()).put("subject", subject)
          .put("attestedBy", verified.signer()).put("statementSha256", verified.envelopeSha256()).put("verified", true);
      return out;
    });
  }

  /**
   * Records an unsigned result about a model version. It is kept beside the attested ones and shown as unverified; a
   * gate may be blocked by it (a failing result stays until a trusted evaluator attests a pass) but never passed.
   */
  public ObjectNode claim(Handle h, long projectId, String digest, String type, JsonNode result, Principal by,
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
    var out = Json.MAPPER.createObjectNode();
    out.put("id", id).put("type", type).put("subject", digest).put("statementSha256", sha).put("verified", false)
        .put("attestedBy", "claimed by " + by.name());
    return out;
  }

  private long insert(Handle h, long pid, String subject, String type, String sha, String bundle, JsonNode predicate,
      Principal by) {
    return h.createUpdate("""
            insert into attestations(project_id, subject_digest, predicate_type, statement_sha256, bundle, predicate,
              submitted_by, created_at)
            values (:p, :s, :t, :sha, :b, :pr, :u, :at)""")
        .bind("p", pid).bind("s", subject).bind("t", type).bind("sha", sha).bind("b", bundle)
        .bind("pr", Json.write(predicate)).bind("u", by.id()).bind("at", registry.now())
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
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
      throw new ApiException(ErrorCode.ATTESTATION_UNVERIFIED, "not an attestation bundle: " + e.getMessage());
    }
  }

  static AttestationVerifier.Verified verify(Bundle bundle, String subject, List<TrustedKey> trust) {
    try {
      return AttestationVerifier.verify(bundle, subject, trust);
    } catch (VerificationException e) {
      throw new ApiException(ErrorCode.ATTESTATION_UNVERIFIED, "the attestation does not count: " + e.getMessage());
    }
  }

  /** Every fact recorded about a digest, oldest first, each verified again against today's trust policy. */
  public static List<FactRecord> about(Handle h, long projectId, String digest, List<TrustedKey> trust) {
    return h.createQuery("""
            select a.id, a.predicate_type, a.statement_sha256, a.bundle, a.predicate, u.name, a.created_at
            from attestations a join principals u on u.id = a.submitted_by
            where a.project_id = :p and a.subject_digest = :d order by a.id""")
        .bind("p", projectId).bind("d", digest).map((rs, ctx) -> {
          String bundle = rs.getString(4);
          String submitter = rs.getString(6);
          JsonNode predicate = Json.read(rs.getString(5));
          boolean verified = false;
          String by = "claimed by " + submitter;
          String detail = "unsigned: a claim, not an attestation";
          if (bundle != null) {
            try {
              var v = AttestationVerifier.verify(Bundle.parse(bundle.getBytes(StandardCharsets.UTF_8)), digest, trust);
              verified = true;
              by = v.signer();
              detail = "";
            } catch (VerificationException e) {
              detail = "no longer verifies: " + e.getMessage();
            }
          }
          return new FactRecord(rs.getLong(1), rs.getString(2), verified, by, detail, predicate, rs.getString(3), submitter,
              rs.getObject(7, OffsetDateTime.class));
        }).list();
  }

  /** The facts about a digest as JSON, for the API and the console. */
  public ArrayNode list(String project, String digest) {
    return jdbi.withHandle(h -> {
      long pid = Registry.projectId(h, project);
      var out = Json.MAPPER.createArrayNode();
      about(h, pid, digest, TrustPolicy.attesters(h, pid)).forEach(f -> out.add(f.toJson()));
      return out;
    });
  }
}

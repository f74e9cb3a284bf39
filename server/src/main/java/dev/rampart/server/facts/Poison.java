package dev.rampart.server.facts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.integrity.oms.Bundle;
import dev.rampart.integrity.provenance.Provenance;
import dev.rampart.server.audit.AuditLog;
import dev.rampart.server.auth.Principal;
import dev.rampart.server.domain.Conflict;
import dev.rampart.server.domain.Forbidden;
import dev.rampart.server.domain.InvalidInput;
import dev.rampart.server.domain.NotFound;
import dev.rampart.server.store.Lookups;
import dev.rampart.server.store.Writes;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Poison follows content: a mark names a dataset digest, so every dataset version carrying those bytes, under any
 * name, is poisoned, and so is every run, model version and deployment whose lineage reaches it. Clearing a mark
 * takes an approver other than the one who set it, and both are audited.
 */
public final class Poison {
  private final Writes writes;
  private final AuditLog audit;
  private final Clock clock;

  public Poison(Writes writes, AuditLog audit, Clock clock) {
    this.writes = writes;
    this.audit = audit;
    this.clock = clock;
  }
  private java.time.OffsetDateTime now() {
    return java.time.OffsetDateTime.ofInstant(clock.instant(), java.time.ZoneOffset.UTC);
  }


  public void mark(String project, String dataset, int version, String reason, Principal by) {
    writes.run(h -> {
      long pid = Lookups.projectId(h, project);
      String digest = digestOf(h, pid, dataset, version);
      if (!marked(h, pid, digest)) {
        h.createUpdate("""
                insert into poisoned_digests(project_id, digest, reason, marked_by, marked_at) values (:p, :d, :r, :u, :t)""")
            .bind("p", pid).bind("d", digest).bind("r", reason == null ? "" : truncate(reason)).bind("u", by.id())
            .bind("t", now()).execute();
      }
      sync(h, pid, digest, true);
      audit.append(h, "dataset_version.poisoned", by.name(), Map.of("project", project, "dataset", dataset, "version", version,
          "digest", digest, "reason", reason == null ? "" : reason));
      return null;
    });
  }

  public void clear(String project, String dataset, int version, String reason, Principal by) {
    if (reason == null || reason.isBlank()) {
      throw new InvalidInput("say why the poisoned mark is cleared ('reason')");
    }
    writes.run(h -> {
      long pid = Lookups.projectId(h, project);
      String digest = digestOf(h, pid, dataset, version);
      var markers = h.createQuery("select marked_by from poisoned_digests where project_id = :p and digest = :d and cleared_at is null")
          .bind("p", pid).bind("d", digest).mapTo(Long.class).list();
      if (markers.isEmpty()) {
        throw new Conflict(Conflict.Reason.INVALID_STATE, "sha256:" + digest + " is not marked poisoned");
      }
      if (markers.contains(by.id())) {
        throw new Forbidden(Forbidden.Reason.SEPARATION_OF_DUTIES, "you marked these bytes poisoned, so someone else must clear the mark");
      }
      if (by.service()) {
        throw new Forbidden(Forbidden.Reason.SEPARATION_OF_DUTIES, "service accounts cannot clear a poisoned mark");
      }
      h.createUpdate("""
              update poisoned_digests set cleared_by = :u, cleared_at = :t, clear_reason = :r
              where project_id = :p and digest = :d and cleared_at is null""")
          .bind("u", by.id()).bind("t", now()).bind("r", truncate(reason)).bind("p", pid).bind("d", digest).execute();
      sync(h, pid, digest, false);
      audit.append(h, "dataset_version.poison_cleared", by.name(), Map.of("project", project, "dataset", dataset,
          "version", version, "digest", digest, "reason", reason));
      return null;
    });
  }

  public static boolean marked(Handle h, long projectId, String digest) {
    return h.createQuery("select count(*) from poisoned_digests where project_id = :p and digest = :d and cleared_at is null")
        .bind("p", projectId).bind("d", digest).mapTo(Integer.class).one() > 0;
  }

  /** Keeps the per-version flag that listings show in step with the marks on the digest. */
  private static void sync(Handle h, long pid, String digest, boolean poisoned) {
    h.createUpdate("""
            update dataset_versions set poisoned = :x where digest = :d
              and dataset_id in (select id from datasets where project_id = :p)""")
        .bind("x", poisoned).bind("d", digest).bind("p", pid).execute();
  }

  private static String digestOf(Handle h, long pid, String dataset, int version) {
    long did = Lookups.id(h, "datasets", pid, dataset, "dataset");
    return h.createQuery("select digest from dataset_versions where dataset_id = :d and version = :v").bind("d", did)
        .bind("v", version).mapTo(String.class).findOne()
        .orElseThrow(() -> NotFound.of("version " + version + " of dataset '" + dataset + "'"));
  }

  /**
   * The dataset digests a model version was made from: its run's inputs and the datasets its provenance names
   * (whether or not that provenance verifies: a claimed input can only add suspicion).
   */
  public static Set<String> lineage(Handle h, long versionId) {
    var out = new LinkedHashSet<String>(h.createQuery("""
            select v.digest from model_versions mv join run_inputs i on i.run_id = mv.run_id
            join dataset_versions v on v.id = i.dataset_version_id where mv.id = :v""")
        .bind("v", versionId).mapTo(String.class).list());
    h.createQuery("select provenance from model_versions where id = :v").bind("v", versionId).mapTo(String.class).findOne()
        .ifPresent(p -> out.addAll(provenanceDatasets(p)));
    return out;
  }

  /** The dataset digests a provenance bundle records; none when it cannot be read. */
  public static List<String> provenanceDatasets(String bundle) {
    var out = new ArrayList<String>();
    try {
      JsonNode st = Provenance.read(Bundle.parse(bundle.getBytes(StandardCharsets.UTF_8)));
      for (JsonNode d : st.at("/predicate/buildDefinition/resolvedDependencies")) {
        String sha = d.path("digest").path("sha256").asText("");
        if ("dataset".equals(d.path("annotations").path("role").asText()) && sha.matches("[0-9a-f]{64}")) {
          out.add(sha);
        }
      }
    } catch (Exception e) {
      // unreadable provenance names nothing; the gate's provenance rule reports it
    }
    return out;
  }

  /** The poisoned digests in a model version's lineage; empty when it is clean. */
  public static List<String> reaching(Handle h, long projectId, long versionId) {
    return lineage(h, versionId).stream().filter(d -> marked(h, projectId, d)).toList();
  }

  private static String truncate(String s) {
    return s.length() > 2000 ? s.substring(0, 2000) : s;
  }
}

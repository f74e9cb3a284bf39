package dev.rampart.server.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.data.monitor.Alert;
import dev.rampart.data.monitor.BoundedLines;
import dev.rampart.data.monitor.ReferenceProfile;
import dev.rampart.data.monitor.Watcher;
import dev.rampart.server.Json;
import dev.rampart.server.audit.AuditLog;
import dev.rampart.server.auth.Principal;
import dev.rampart.server.domain.Conflict;
import dev.rampart.server.domain.InvalidInput;
import dev.rampart.server.domain.RampartException;
import dev.rampart.server.promotion.Promotions;
import dev.rampart.server.registry.Registry;
import dev.rampart.server.store.Writes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Telemetry for deployments: the reference profile of each model version, event ingestion per environment (watched
 * against the profile of the version deployed there), stored alerts, and the policy that rolls an environment back
 * automatically when a chosen kind of alert fires. Watchers are bounded in number and idle time; their window state is
 * checkpointed to the database, so an evicted watcher, a restarted server or another replica resumes the open windows.
 */
public final class Monitoring {
  static final int MAX_LINE = 1 << 20;
  static final Set<String> KINDS =
      Arrays.stream(Alert.Kind.values()).map(Alert.Kind::id).collect(Collectors.toCollection(TreeSet::new));

  private final Jdbi jdbi;
  private final Writes writes;
  private final AuditLog audit;
  private final Registry registry;
  private final Promotions promotions;
  private final Limits limits;
  private final Watchers<Session> watchers;

  private record Deployment(long id, long environmentId, long modelVersionId, String model, int version) {}

  private static final System.Logger LOG = System.getLogger(Monitoring.class.getName());

  /** One deployment's watcher; guarded by its own monitor. */
  private static final class Session {
    final long deployment;
    final Watcher watcher;
    long events;
    long malformed;
    /** The events when the window state was last written, and the version of the row written then (0: none). */
    long checkpointed;
    long version;
    /** Dropped from the live watchers: whoever still holds it fetches the deployment's watcher again. */
    boolean retired;

    Session(long deployment, Watcher watcher, long version) {
      this.deployment = deployment;
      this.watcher = watcher;
      this.version = version;
      var input = watcher.input();
      this.events = input.events();
      this.malformed = input.malformed();
      this.checkpointed = events;
    }
  }

  /**
   * How many watchers stay live and for how long, and how often their window state is written.
   *
   * @param idle a watcher unused this long is checkpointed and dropped
   * @param maxWatchers above this, the least recently used watcher is checkpointed and dropped
   * @param checkpointEvents window state is written after this many events (and on eviction, with alerts, and with a
   *     stream consumer's offsets); a crash loses at most the events since
   */
  public record Limits(java.time.Duration idle, int maxWatchers, long checkpointEvents) {
    public Limits {
      if (idle.isNegative() || maxWatchers < 1 || checkpointEvents < 1) {
        throw new IllegalArgumentException("monitor limits must be positive");
      }
    }

    public static Limits defaults() {
      return new Limits(java.time.Duration.ofMinutes(30), 1000, 1000);
    }

    /**
     * The defaults, overridden by the system properties {@code rampart.monitor.idle-seconds},
     * {@code rampart.monitor.max-watchers} and {@code rampart.monitor.checkpoint-events}.
     */
    public static Limits fromSystemProperties() {
      var d = defaults();
      return new Limits(
          java.time.Duration.ofSeconds(Long.getLong("rampart.monitor.idle-seconds", d.idle().toSeconds())),
          Integer.getInteger("rampart.monitor.max-watchers", d.maxWatchers()),
          Long.getLong("rampart.monitor.checkpoint-events", d.checkpointEvents()));
    }
  }

  public Monitoring(Jdbi jdbi, Writes writes, AuditLog audit, Registry registry, Promotions promotions) {
    this(jdbi, writes, audit, registry, promotions, Limits.fromSystemProperties());
  }

  public Monitoring(Jdbi jdbi, Writes writes, AuditLog audit, Registry registry, Promotions promotions, Limits limits) {
    this.limits = limits;
    this.watchers = new Watchers<>(limits.idle(), limits.maxWatchers(), System::nanoTime);
    this.jdbi = jdbi;
    this.writes = writes;
    this.audit = audit;
    this.registry = registry;
    this.promotions = promotions;
  }

  /** Stores the reference profile a model version is watched against. */
  public ObjectNode setProfile(String project, String model, int version, byte[] body, Principal by) {
    ReferenceProfile profile = parse(body);
    String digest = profile.digest();
    return writes.run(h -> {
      long pid = Registry.projectId(h, project);
      long vid = Registry.modelVersionId(h, pid, model, version);
      h.createUpdate("delete from monitor_profiles where model_version_id = :v").bind("v", vid).execute();
      h.createUpdate("""
              insert into monitor_profiles(model_version_id, digest, profile, created_at, created_by)
              values (:v, :d, :p, :t, :u)""")
          .bind("v", vid).bind("d", digest).bind("p", new String(profile.toJson(), java.nio.charset.StandardCharsets.UTF_8))
          .bind("t", registry.now()).bind("u", by.id()).execute();
      audit.append(h, "monitor.profile_set", by.name(), Map.of("project", project, "model", model, "version", version,
          "digest", digest));
      var out = Json.MAPPER.createObjectNode();
      out.put("model", model).put("version", version).put("digest", digest).put("features", profile.features().size());
      return out;
    });
  }

  /** Sets which alert kinds roll the environment back on their own; an empty list switches it off. */
  public ObjectNode setRollbackPolicy(String project, String env, JsonNode body, Principal by) {
    JsonNode kinds = body.get("onAlerts");
    if (kinds == null || !kinds.isArray()) {
      throw new InvalidInput("'onAlerts' must be a list of alert kinds: " + KINDS);
    }
    var chosen = new TreeSet<String>();
    for (JsonNode k : kinds) {
      if (!KINDS.contains(k.asText())) {
        throw new InvalidInput("unknown alert kind '" + dev.rampart.server.registry.Names.preview(k.asText())
            + "'; choose from " + KINDS);
      }
      chosen.add(k.asText());
    }
    return writes.run(h -> {
      long pid = Registry.projectId(h, project);
      long eid = Registry.environmentId(h, pid, env);
      h.createUpdate("delete from rollback_policies where environment_id = :e").bind("e", eid).execute();
      if (!chosen.isEmpty()) {
        h.createUpdate("""
                insert into rollback_policies(environment_id, alert_kinds, updated_at, updated_by)
                values (:e, :k, :t, :u)""")
            .bind("e", eid).bind("k", String.join(",", chosen)).bind("t", registry.now()).bind("u", by.id()).execute();
      }
      audit.append(h, "monitor.rollback_policy_set", by.name(), Map.of("project", project, "environment", env,
          "onAlerts", String.join(",", chosen)));
      var out = Json.MAPPER.createObjectNode();
      out.put("environment", env);
      chosen.forEach(out.putArray("onAlerts")::add);
      return out;
    });
  }

  /**
   * Watches a batch of JSON-lines events for the version deployed in the environment. New alerts are stored and
   * audited; when the environment's rollback policy names one of their kinds, the environment is rolled back to its
   * last known-good version, and that is audited too.
   */
  public ObjectNode ingest(String project, String env, String model, byte[] body, Principal by) {
    return ingest(project, env, model, body, by, null);
  }

  /**
   * As {@link #ingest(String, String, String, byte[], Principal)}, and runs {@code alsoInTransaction} (when not null)
   * in the transaction that checkpoints the watcher's window state, which it then does whatever the count since the
   * last checkpoint: a stream consumer stores its offsets there, so whoever reads the stream next resumes both.
   */
  public ObjectNode ingest(String project, String env, String model, byte[] body, Principal by,
      java.util.function.Consumer<Handle> alsoInTransaction) {
    Deployment deployment = jdbi.withHandle(h -> active(h, project, env, model));
    Batch batch = null;
    for (int attempt = 0; batch == null; attempt++) {
      Session session = watchers.get(deployment.id(), id -> rebuild(deployment), this::evicted);
      RuntimeException failure = null;
      synchronized (session) {
        if (session.retired) {
          continue;
        }
        try {
          batch = feed(session, deployment, project, env, body, by, alsoInTransaction);
        } catch (RuntimeException e) {
          // what the watcher took in was not stored: drop it, so the next batch resumes from the last checkpoint
          session.retired = true;
          failure = e;
        }
      }
      if (failure != null) {
        // dropped outside the session's monitor: eviction takes the two locks the other way round
        watchers.remove(deployment.id(), session);
        boolean stale = failure instanceof java.util.ConcurrentModificationException;
        if (!stale || attempt > 0) {
          // over HTTP the sender is told to send again; a stream consumer reads the record again on its own
          throw stale && alsoInTransaction == null
              ? new Conflict(Conflict.Reason.INVALID_STATE, failure.getMessage() + "; send the events again")
              : failure;
        }
        // another server wrote this deployment's windows since ours were restored: start again from its state
      }
    }
    List<Alert> raised = batch.raised();
    var out = Json.MAPPER.createObjectNode();
    out.put("model", deployment.model()).put("version", deployment.version());
    out.put("accepted", batch.accepted()).put("malformed", batch.malformed());
    ArrayNode alerts = out.putArray("alerts");
    out.putNull("rolledBack");
    if (raised.isEmpty()) {
      return out;
    }
    Set<String> policy = batch.policy();
    out.put("actedOn", batch.trusted());
    var stored = batch.stored();
    Long trigger = null;
    for (int i = 0; i < raised.size(); i++) {
      Alert a = raised.get(i);
      alerts.add(alertJson(stored.get(i), a.kind().id(), a.kind().severity().name(), a.features(), a.event(), a.ts(),
          a.detail(), false));
      if (trigger == null && policy.contains(a.kind().id())) {
        trigger = stored.get(i);
      }
    }
    if (trigger != null) {
      long alertId = trigger;
      String kind = raised.get(stored.indexOf(trigger)).kind().id();
      dev.rampart.server.promotion.Rollback restored;
      try {
        restored = promotions.rollback(project, env, deployment.model(), "automatic: " + kind + " alert " + alertId
            + " under the environment's rollback policy", by);
      } catch (RampartException refused) {
        out.put("rollbackRefused", refused.getMessage());
        return out;
      }
      writes.run(h -> {
        h.createUpdate("update monitor_alerts set rolled_back = true where id = :id").bind("id", alertId).execute();
        WindowCheckpoints.delete(h, deployment.id());
        audit.append(h, "monitor.auto_rollback", by.name(), Map.of("project", project, "environment", env,
            "alert", alertId, "kind", kind, "restored", restored.model() + " v" + restored.version()));
        return null;
      });
      watchers.remove(deployment.id());
      out.set("rolledBack", Json.MAPPER.valueToTree(restored));
      for (JsonNode node : alerts) {
        if (node.path("id").asLong() == alertId) {
          ((ObjectNode) node).put("rolledBack", true);
        }
      }
    }
    return out;
  }

  private record Batch(long accepted, long malformed, List<Alert> raised, boolean trusted, Set<String> policy,
      List<Long> stored) {}

  /**
   * Feeds the batch to the session's watcher and stores what it raised together with the watcher's state (every
   * {@code checkpointEvents} events, or whenever alerts are stored or the caller has its own writes), in one
   * transaction. Runs while holding the session.
   */
  private Batch feed(Session session, Deployment deployment, String project, String env, byte[] body, Principal by,
      java.util.function.Consumer<Handle> alsoInTransaction) {
    try {
      BoundedLines.read(new ByteArrayInputStream(body), MAX_LINE, session.watcher::accept);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    var input = session.watcher.input();
    long accepted = input.events() - session.events;
    long malformed = input.malformed() - session.malformed;
    session.events = input.events();
    session.malformed = input.malformed();
    List<Alert> raised = session.watcher.drainAlerts();
    // only the deployment's own service principal (a telemetry token bound to this environment) is acted on; any other
    // sender's events are watched and their alerts shown, but they never roll anything back
    boolean trusted = by.speaksFor(deployment.environmentId());
    Set<String> policy =
        !raised.isEmpty() && trusted ? jdbi.withHandle(h -> rollbackKinds(h, project, env)) : Set.of();
    boolean due = alsoInTransaction != null || session.events - session.checkpointed >= limits.checkpointEvents();
    List<Long> stored = List.of();
    if (!raised.isEmpty()) {
      stored = writes.run(h -> {
        var ids = storeAlerts(h, deployment, raised, project, env, by);
        checkpoint(h, deployment.id(), session, alsoInTransaction);
        return ids;
      });
    } else if (due) {
      jdbi.useTransaction(h -> checkpoint(h, deployment.id(), session, alsoInTransaction));
    }
    return new Batch(accepted, malformed, raised, trusted, policy, stored);
  }

  private List<Long> storeAlerts(Handle h, Deployment deployment, List<Alert> raised, String project, String env,
      Principal by) {
    var ids = new ArrayList<Long>();
    for (Alert a : raised) {
      long id = h.createUpdate("""
              insert into monitor_alerts(deployment_id, kind, severity, features, event_index, event_ts, detail,
                created_at, rolled_back)
              values (:d, :k, :s, :f, :i, :ts, :detail, :t, false)""")
          .bind("d", deployment.id()).bind("k", a.kind().id()).bind("s", a.kind().severity().name())
          .bind("f", Json.write(a.features())).bind("i", a.event()).bind("ts", truncate(a.ts(), 64))
          .bind("detail", truncate(a.detail(), 2000)).bind("t", registry.now())
          .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
      ids.add(id);
      audit.append(h, "monitor.alert", by.name(), Map.of("project", project, "environment", env,
          "model", deployment.model() + " v" + deployment.version(), "kind", a.kind().id(), "alert", id));
    }
    return ids;
  }

  private void checkpoint(Handle h, long deploymentId, Session session, java.util.function.Consumer<Handle> also) {
    long version = WindowCheckpoints.write(h, deploymentId, session.version, session.events, session.watcher.snapshot(),
        registry.now());
    if (also != null) {
      also.accept(h);
    }
    // only once the transaction commits does the session count as written; a rollback retires it anyway
    session.version = version;
    session.checkpointed = session.events;
  }

  /** Checkpoints a watcher the cap or its idleness pushed out; a failed write only loses the events since the last. */
  private void evicted(Session session) {
    synchronized (session) {
      if (session.retired) {
        return;
      }
      session.retired = true;
      if (session.events == session.checkpointed) {
        return;
      }
      try {
        jdbi.useTransaction(h -> checkpoint(h, session.deployment, session, null));
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "the windows of deployment " + session.deployment
            + " could not be checkpointed on eviction; they resume from the last checkpoint: " + e.getMessage());
      }
    }
  }

  /** A watcher for the deployment, continuing from its checkpoint when there is one that fits its profile. */
  private Session rebuild(Deployment d) {
    ReferenceProfile profile = profileOf(d);
    var options = Watcher.Options.defaults();
    var row = jdbi.withHandle(h -> WindowCheckpoints.read(h, d.id()));
    if (row.isEmpty()) {
      return new Session(d.id(), new Watcher(profile, options), 0);
    }
    try {
      return new Session(d.id(), Watcher.restore(profile, options, row.get().state()), row.get().version());
    } catch (Watcher.SnapshotMismatchException e) {
      // the model version's profile was replaced since: its windows start again, written over the old ones
      LOG.log(System.Logger.Level.INFO, "the windows of deployment " + d.id() + " start again: " + e.getMessage());
      return new Session(d.id(), new Watcher(profile, options), row.get().version());
    }
  }

  /** Live watchers, for tests and metrics. */
  public int watchers() {
    return watchers.size();
  }

  /** The most recent alerts of an environment's deployments, newest first (at most 1,000). */
  public ArrayNode alerts(String project, String env, int limit) {
    return jdbi.withHandle(h -> {
      long pid = Registry.projectId(h, project);
      long eid = Registry.environmentId(h, pid, env);
      ArrayNode out = Json.MAPPER.createArrayNode();
      h.createQuery("""
              select a.id, a.kind, a.severity, a.features, a.event_index, a.event_ts, a.detail, a.rolled_back,
                m.name, mv.version, a.created_at
              from monitor_alerts a join deployments d on d.id = a.deployment_id
              join model_versions mv on mv.id = d.model_version_id join models m on m.id = mv.model_id
              where d.environment_id = :e order by a.id desc limit :n""")
          .bind("e", eid).bind("n", Math.max(1, Math.min(limit, 1000)))
          .map((rs, ctx) -> {
            var node = alertJson(rs.getLong(1), rs.getString(2), rs.getString(3), jsonList(rs.getString(4)),
                rs.getLong(5), rs.getString(6), rs.getString(7), rs.getBoolean(8));
            node.put("model", rs.getString(9)).put("version", rs.getInt(10))
                .put("raisedAt", rs.getObject(11, java.time.OffsetDateTime.class).toString());
            return out.add(node);
          }).list();
      return out;
    });
  }

  private static ObjectNode alertJson(long id, String kind, String severity, List<String> features, long event,
      String ts, String detail, boolean rolledBack) {
    var node = Json.MAPPER.createObjectNode();
    node.put("id", id).put("kind", kind).put("severity", severity);
    features.forEach(node.putArray("features")::add);
    node.put("event", event).put("ts", ts).put("detail", detail).put("rolledBack", rolledBack);
    return node;
  }

  private static List<String> jsonList(String json) {
    var out = new ArrayList<String>();
    Json.read(json).forEach(n -> out.add(n.asText()));
    return out;
  }

  private ReferenceProfile profileOf(Deployment d) {
    String json = jdbi.withHandle(h -> h.createQuery("select profile from monitor_profiles where model_version_id = :v")
        .bind("v", d.modelVersionId()).mapTo(String.class).findOne().orElseThrow(() -> new Conflict(Conflict.Reason.INVALID_STATE, d.model() + " v" + d.version() + " has no reference profile; create one with "
                + "'rampart monitor profile' and upload it to the model version's monitor-profile")));
    return parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static ReferenceProfile parse(byte[] body) {
    try {
      return ReferenceProfile.parse(body, "the request body");
    } catch (IOException e) {
      throw new InvalidInput(e.getMessage());
    }
  }

  private Deployment active(Handle h, String project, String env, String model) {
    long pid = Registry.projectId(h, project);
    long eid = Registry.environmentId(h, pid, env);
    var all = h.createQuery("""
            select d.id, d.environment_id, d.model_version_id, m.name, mv.version from deployments d
            join model_versions mv on mv.id = d.model_version_id join models m on m.id = mv.model_id
            where d.environment_id = :e and d.status = 'active' order by m.name""")
        .bind("e", eid).map((rs, ctx) -> new Deployment(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getInt(5)))
        .list();
    if (model != null) {
      return all.stream().filter(d -> d.model().equals(model)).findFirst().orElseThrow(() -> new Conflict(Conflict.Reason.INVALID_STATE, "model '" + dev.rampart.server.registry.Names.preview(model) + "' is not deployed to " + env));
    }
    if (all.isEmpty()) {
      throw new Conflict(Conflict.Reason.INVALID_STATE, "nothing is deployed to " + env);
    }
    if (all.size() > 1) {
      throw new InvalidInput(env + " holds " + all.size() + " deployments; say which one the events are for (?model=NAME)");
    }
    return all.get(0);
  }

  private static Set<String> rollbackKinds(Handle h, String project, String env) {
    long pid = Registry.projectId(h, project);
    long eid = Registry.environmentId(h, pid, env);
    return h.createQuery("select alert_kinds from rollback_policies where environment_id = :e").bind("e", eid)
        .mapTo(String.class).findOne().map(s -> Set.of(s.split(","))).orElse(Set.of());
  }


  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}

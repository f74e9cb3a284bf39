package dev.rampart.server.workflow;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The promotion workflow as a pure state machine over the same {@link Decisions} the server makes: versions are
 * uploaded, facts attested by keys, promotions requested and approved, data marked poisoned and keys revoked, and
 * deployments rolled back. The gate of this model is the production gate in miniature: a clean scan, a fact attested by
 * a key still trusted, no poisoned training data, and for production a staging deployment first.
 */
public final class Machine {
  public static final List<String> ENVIRONMENTS = List.of("dev", "staging", "production");

  /** An uploaded model version. */
  public record Version(int id, String model, boolean scanClean, Set<String> datasets) {}

  /** What can happen. */
  public sealed interface Event {}

  public record Upload(String model, boolean scanClean, Set<String> datasets) implements Event {}

  public record Attest(int version, String key) implements Event {}

  public record Promote(int version, String env) implements Event {}

  public record Approve(int promotion) implements Event {}

  public record MarkPoisoned(String dataset) implements Event {}

  public record ClearPoison(String dataset) implements Event {}

  public record RevokeKey(String key) implements Event {}

  public record Rollback(String env, String model) implements Event {}

  private record Promotion(int version, String env) {}

  private final Map<Integer, Version> versions = new LinkedHashMap<>();
  private final Map<Integer, Set<String>> attestedBy = new HashMap<>();
  private final Set<String> revoked = new HashSet<>();
  private final Set<String> poisoned = new HashSet<>();
  private final Map<Integer, Promotion> pending = new LinkedHashMap<>();
  /** env -> model -> active version id. */
  private final Map<String, Map<String, Integer>> active = new HashMap<>();
  /** env -> every version ever deployed there through a promotion. */
  private final Map<String, Set<Integer>> deployedIn = new HashMap<>();
  private int promotions;

  public Map<Integer, Version> versions() {
    return Map.copyOf(versions);
  }

  /** The gate of an environment, on today's facts. */
  public Optional<String> refusal(int versionId, String env) {
    Version v = versions.get(versionId);
    if (v == null) {
      return Optional.of("no such version");
    }
    if (!v.scanClean()) {
      return Optional.of("scan findings");
    }
    if (attestedBy.getOrDefault(versionId, Set.of()).stream().allMatch(revoked::contains)) {
      return Optional.of("no fact attested by a trusted key");
    }
    if (v.datasets().stream().anyMatch(poisoned::contains)) {
      return Optional.of("poisoned training data");
    }
    if (env.equals("production") && !deployedIn.getOrDefault("staging", Set.of()).contains(versionId)) {
      return Optional.of("not deployed to staging first");
    }
    return Optional.empty();
  }

  public boolean gateAllows(int versionId, String env) {
    return refusal(versionId, env).isEmpty();
  }

  /** Admission of a version's digest into an environment, as the server decides it. */
  public boolean admits(int versionId, String env) {
    Version v = versions.get(versionId);
    boolean deployed = v != null && Integer.valueOf(versionId).equals(active.getOrDefault(env, Map.of()).get(v.model()));
    return Decisions.admission(deployed, "not deployed", true, () -> refusal(versionId, env), "ok").allowed();
  }

  /** The active deployments of an environment: model -> version. */
  public Map<String, Integer> active(String env) {
    return Map.copyOf(active.getOrDefault(env, Map.of()));
  }

  public void apply(Event e) {
    switch (e) {
      case Upload u -> {
        int id = versions.size() + 1;
        versions.put(id, new Version(id, u.model(), u.scanClean(), Set.copyOf(u.datasets())));
      }
      case Attest a -> {
        if (versions.containsKey(a.version()) && !revoked.contains(a.key())) {
          attestedBy.computeIfAbsent(a.version(), k -> new HashSet<>()).add(a.key());
        }
      }
      case Promote p -> {
        if (!versions.containsKey(p.version()) || !ENVIRONMENTS.contains(p.env())) {
          return;
        }
        boolean protectedEnv = !p.env().equals("dev");
        switch (Decisions.onRequest(gateAllows(p.version(), p.env()), protectedEnv, protectedEnv ? 1 : 0)) {
          case PENDING -> pending.put(++promotions, new Promotion(p.version(), p.env()));
          case DEPLOYED -> deploy(p.version(), p.env());
          default -> { }
        }
      }
      case Approve a -> {
        Promotion p = pending.remove(a.promotion());
        if (p != null && Decisions.onApproval(1, 1, () -> gateAllows(p.version(), p.env())) == Decisions.Status.DEPLOYED) {
          deploy(p.version(), p.env());
        }
      }
      case MarkPoisoned m -> poisoned.add(m.dataset());
      case ClearPoison c -> poisoned.remove(c.dataset());
      case RevokeKey r -> revoked.add(r.key());
      case Rollback r -> rollback(r.env(), r.model());
    }
  }

  private void deploy(int versionId, String env) {
    active.computeIfAbsent(env, k -> new HashMap<>()).put(versions.get(versionId).model(), versionId);
    deployedIn.computeIfAbsent(env, k -> new HashSet<>()).add(versionId);
  }

  private void rollback(String env, String model) {
    Integer current = active.getOrDefault(env, Map.of()).get(model);
    if (current == null) {
      return;
    }
    var candidates = deployedIn.getOrDefault(env, Set.of()).stream()
        .filter(id -> id < current && versions.get(id).model().equals(model))
        .sorted(java.util.Comparator.reverseOrder()).toList();
    Decisions.rollbackTarget(candidates, id -> refusal(id, env), new ArrayList<>())
        .ifPresent(id -> active.get(env).put(model, id));
  }
}

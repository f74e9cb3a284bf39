package dev.rampart.server.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.server.domain.InvalidInput;
import java.util.Optional;

/**
 * Answers discovery: is an artifact found on a disk or cluster a registered model file, a changed copy of one, or
 * a shadow model nobody registered? Clients send digests and base names only; no path is ever opened.
 */
public final class Inventory {
  /** What the registry knows about one discovered artifact. */
  public enum Status {
    REGISTERED,
    DIFFERS,
    UNREGISTERED
  }

  /** The registered file or version a discovered artifact matches, or resembles by name. */
  @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
  public record Registered(String model, int version, @dev.rampart.server.domain.Nullable String file,
      @dev.rampart.server.domain.Nullable String sha256) {}

  /** One discovered artifact and what the registry knows about it. */
  @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
  public record Artifact(String sha256, String name, Status status, @dev.rampart.server.domain.Nullable Registered registered) {}

  /** The answer to a lookup, one entry per artifact asked about, in order. */
  public record Lookup(java.util.List<Artifact> artifacts) {}

  private static final int MAX_ARTIFACTS = 10_000;

  private final Registry registry;

  public Inventory(Registry registry) {
    this.registry = registry;
  }

  /**
   * Looks up {@code {"artifacts": [{"sha256": "...", "digest": "...", "name": "model.safetensors"}, ...]}}, where
   * {@code sha256} is the file's digest, {@code digest} its OMS model digest and {@code name} its base name.
   */
  public Lookup lookup(String project, JsonNode body) {
    JsonNode artifacts = body.path("artifacts");
    if (!artifacts.isArray() || artifacts.size() > MAX_ARTIFACTS) {
      throw new InvalidInput("artifacts must be an array of at most " + MAX_ARTIFACTS + " entries");
    }
    return registry.jdbi().withHandle(h -> {
      long pid = Registry.projectId(h, project);
      var results = new java.util.ArrayList<Artifact>();
      for (JsonNode a : artifacts) {
        String sha = Names.digest(a.path("sha256").asText(null));
        String digest = a.hasNonNull("digest") ? Names.digest(a.path("digest").asText()) : null;
        String name = baseName(a.path("name").asText(""));
        Optional<Registered> exact =
            h.createQuery("""
                    select m.name, mv.version, f.name from model_files f
                    join model_versions mv on mv.id = f.model_version_id join models m on m.id = mv.model_id
                    where m.project_id = :p and f.blob_sha256 = :s order by mv.version desc""")
                .bind("p", pid).bind("s", sha)
                .map((rs, ctx) -> new Registered(rs.getString(1), rs.getInt(2), rs.getString(3), null))
                .findFirst();
        if (exact.isEmpty() && digest != null) {
          exact = h.createQuery("""
                  select m.name, mv.version from model_versions mv join models m on m.id = mv.model_id
                  where m.project_id = :p and mv.digest = :d""")
              .bind("p", pid).bind("d", digest)
              .map((rs, ctx) -> new Registered(rs.getString(1), rs.getInt(2), null, null))
              .findFirst();
        }
        if (exact.isPresent()) {
          results.add(new Artifact(sha, name, Status.REGISTERED, exact.get()));
          continue;
        }
        Optional<Registered> sameName =
            name.isEmpty()
                ? Optional.empty()
                : h.createQuery("""
                        select m.name, mv.version, f.name, f.blob_sha256 from model_files f
                        join model_versions mv on mv.id = f.model_version_id join models m on m.id = mv.model_id
                        where m.project_id = :p and (f.name = :n or f.name like :suffix) order by mv.version desc""")
                    .bind("p", pid).bind("n", name).bind("suffix", "%/" + name.replace("%", "").replace("_", "\\_"))
                    .map((rs, ctx) -> new Registered(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4)))
                    .findFirst();
        results.add(new Artifact(sha, name, sameName.isPresent() ? Status.DIFFERS : Status.UNREGISTERED,
            sameName.orElse(null)));
      }
      return new Lookup(results);
    });
  }

  private static String baseName(String name) {
    String n = name.replace('\\', '/');
    n = n.substring(n.lastIndexOf('/') + 1);
    return n.length() > 255 ? n.substring(0, 255) : n;
  }
}

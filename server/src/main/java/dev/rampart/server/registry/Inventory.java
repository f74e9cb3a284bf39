package dev.rampart.server.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.server.Json;
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

  private static final int MAX_ARTIFACTS = 10_000;

  private final Registry registry;

  public Inventory(Registry registry) {
    this.registry = registry;
  }

  /**
   * Looks up {@code {"artifacts": [{"sha256": "...", "digest": "...", "name": "model.safetensors"}, ...]}}, where
   * {@code sha256} is the file's digest, {@code digest} its OMS model digest and {@code name} its base name.
   */
  public ObjectNode lookup(String project, JsonNode body) {
    JsonNode artifacts = body.path("artifacts");
    if (!artifacts.isArray() || artifacts.size() > MAX_ARTIFACTS) {
      throw new InvalidInput("artifacts must be an array of at most " + MAX_ARTIFACTS + " entries");
    }
    return registry.jdbi().withHandle(h -> {
      long pid = Registry.projectId(h, project);
      var out = Json.MAPPER.createObjectNode();
      var results = out.putArray("artifacts");
      for (JsonNode a : artifacts) {
        String sha = Names.digest(a.path("sha256").asText(null));
        String digest = a.hasNonNull("digest") ? Names.digest(a.path("digest").asText()) : null;
        String name = baseName(a.path("name").asText(""));
        var r = results.addObject().put("sha256", sha).put("name", name);
        Optional<ObjectNode> exact =
            h.createQuery("""
                    select m.name, mv.version, f.name from model_files f
                    join model_versions mv on mv.id = f.model_version_id join models m on m.id = mv.model_id
                    where m.project_id = :p and f.blob_sha256 = :s order by mv.version desc""")
                .bind("p", pid).bind("s", sha)
                .map((rs, ctx) -> Json.MAPPER.createObjectNode().put("model", rs.getString(1)).put("version", rs.getInt(2))
                    .put("file", rs.getString(3)))
                .findFirst();
        if (exact.isEmpty() && digest != null) {
          exact = h.createQuery("""
                  select m.name, mv.version from model_versions mv join models m on m.id = mv.model_id
                  where m.project_id = :p and mv.digest = :d""")
              .bind("p", pid).bind("d", digest)
              .map((rs, ctx) -> Json.MAPPER.createObjectNode().put("model", rs.getString(1)).put("version", rs.getInt(2)))
              .findFirst();
        }
        if (exact.isPresent()) {
          r.put("status", Status.REGISTERED.name()).set("registered", exact.get());
          continue;
        }
        Optional<ObjectNode> sameName =
            name.isEmpty()
                ? Optional.empty()
                : h.createQuery("""
                        select m.name, mv.version, f.name, f.blob_sha256 from model_files f
                        join model_versions mv on mv.id = f.model_version_id join models m on m.id = mv.model_id
                        where m.project_id = :p and (f.name = :n or f.name like :suffix) order by mv.version desc""")
                    .bind("p", pid).bind("n", name).bind("suffix", "%/" + name.replace("%", "").replace("_", "\\_"))
                    .map((rs, ctx) -> Json.MAPPER.createObjectNode().put("model", rs.getString(1)).put("version", rs.getInt(2))
                        .put("file", rs.getString(3)).put("sha256", rs.getString(4)))
                    .findFirst();
        if (sameName.isPresent()) {
          r.put("status", Status.DIFFERS.name()).set("registered", sameName.get());
        } else {
          r.put("status", Status.UNREGISTERED.name());
        }
      }
      return out;
    });
  }

  private static String baseName(String name) {
    String n = name.replace('\\', '/');
    n = n.substring(n.lastIndexOf('/') + 1);
    return n.length() > 255 ? n.substring(0, 255) : n;
  }
}

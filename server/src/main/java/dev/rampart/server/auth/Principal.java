package dev.rampart.server.auth;

import java.util.Set;

/** Who is calling, as established from their token; never from anything else the client sends. */
public record Principal(long id, String name, Kind kind, boolean admin, Set<Scope> scopes, long tokenId, Long environmentId) {
  public enum Kind {
    USER,
    SERVICE
  }

  public Principal {
    scopes = Set.copyOf(scopes);
  }

  public boolean service() {
    return kind == Kind.SERVICE;
  }

  /** A service account's telemetry token bound to this environment: the deployment's own voice, the only one acted on. */
  public boolean speaksFor(long environment) {
    return service() && scopes.contains(Scope.TELEMETRY) && environmentId != null && environmentId == environment;
  }
}

package dev.rampart.server.auth;

import java.util.Set;

/** Who is calling, as established from their token; never from anything else the client sends. */
public record Principal(long id, String name, Kind kind, boolean admin, Set<Scope> scopes, long tokenId) {
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
}

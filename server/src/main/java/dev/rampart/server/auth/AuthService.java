package dev.rampart.server.auth;

import dev.rampart.server.domain.Conflict;
import dev.rampart.server.domain.Forbidden;
import dev.rampart.server.domain.InvalidInput;
import dev.rampart.server.domain.NotFound;
import dev.rampart.server.domain.Unauthorized;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Principals, tokens and project roles. Deny by default: no token, no access; no membership, no project. */
public final class AuthService {
  public static final Duration MAX_TOKEN_LIFETIME = Duration.ofDays(365);

  private final Jdbi jdbi;
  private final Clock clock;
  private final dev.rampart.server.store.Generation.Cache<String, TokenRow> tokens;
  private final dev.rampart.server.store.Generation.Cache<String, Optional<Role>> roles;

  public AuthService(Jdbi jdbi, Clock clock, dev.rampart.server.store.Generation generation) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.tokens = generation.cache(10_000);
    this.roles = generation.cache(10_000);
  }

  /** Resolves the bearer token of a request into a principal; every failure has its own code. */
  public Principal authenticate(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      throw new Unauthorized(Unauthorized.Reason.UNAUTHENTICATED, "send an API token: Authorization: Bearer rmpu_...");
    }
    String token = authorization.substring(7).trim();
    if (!Tokens.wellFormed(token)) {
      throw new Unauthorized(Unauthorized.Reason.INVALID_TOKEN, "the token is not a valid Rampart token");
    }
    String hash = Tokens.hash(token);
    return principal(tokens.get(hash, () -> jdbi.withHandle(h -> tokenRow(h, "t.token_hash = :key", hash))));
  }

  /** The principal behind a console session's token, with the same checks as a bearer token. */
  public Principal principalOfToken(long tokenId) {
    return principal(tokens.get("id:" + tokenId, () -> jdbi.withHandle(h -> tokenRow(h, "t.id = :key", tokenId))));
  }

  /** A token and its owner as stored. */
  private record TokenRow(long tokenId, String scopes, OffsetDateTime expiresAt, OffsetDateTime revokedAt, long principalId,
      String name, String kind, boolean admin, boolean disabled, Long environmentId) {}

  private static TokenRow tokenRow(Handle h, String where, Object key) {
    return h.createQuery("""
            select t.id as token_id, t.scopes, t.expires_at, t.revoked_at, p.id, p.name, p.kind, p.admin, p.disabled, t.environment_id
            from tokens t join principals p on p.id = t.principal_id where\s""" + where)
        .bind("key", key)
        .map((rs, ctx) -> new TokenRow(rs.getLong("token_id"), rs.getString("scopes"),
            rs.getObject("expires_at", OffsetDateTime.class), rs.getObject("revoked_at", OffsetDateTime.class),
            rs.getLong("id"), rs.getString("name"), rs.getString("kind"), rs.getBoolean("admin"), rs.getBoolean("disabled"),
            rs.getObject("environment_id", Long.class)))
        .findOne().orElse(null);
  }

  private Principal principal(TokenRow row) {
    if (row == null) {
      throw new Unauthorized(Unauthorized.Reason.INVALID_TOKEN, "unknown token");
    }
    if (row.revokedAt() != null) {
      throw new Unauthorized(Unauthorized.Reason.TOKEN_REVOKED, "the token was revoked; ask for a new one");
    }
    if (row.expiresAt().toInstant().isBefore(clock.instant())) {
      throw new Unauthorized(Unauthorized.Reason.TOKEN_EXPIRED, "the token expired; create a new one");
    }
    if (row.disabled()) {
      throw new Forbidden("the account is disabled");
    }
    return new Principal(row.principalId(), row.name(), row.kind().equals("service") ? Principal.Kind.SERVICE : Principal.Kind.USER,
        row.admin(), Scope.parse(row.scopes()), row.tokenId(), row.environmentId());
  }

  /** The caller's role in a project, if any. Server administrators hold every role. */
  public Optional<Role> role(Principal p, long projectId) {
    if (p.admin()) {
      return Optional.of(Role.ADMIN);
    }
    return roles.get(p.id() + "/" + projectId, () -> jdbi.withHandle(h ->
        h.createQuery("select role from memberships where project_id = :p and principal_id = :u")
            .bind("p", projectId).bind("u", p.id()).mapTo(String.class).findOne().map(Role::parse)));
  }

  public long createPrincipal(Handle h, String name, Principal.Kind kind, boolean admin) {
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._@-]{0,99}")) {
      throw new InvalidInput(InvalidInput.Reason.INVALID_NAME, "principal names are letters, digits and . _ @ - (at most 100)");
    }
    if (h.createQuery("select count(*) from principals where name = :n").bind("n", name).mapTo(Integer.class).one() > 0) {
      throw new Conflict("principal '" + name + "' exists");
    }
    return h.createUpdate("insert into principals(name, kind, admin, created_at) values (:n, :k, :a, :t)")
        .bind("n", name).bind("k", kind == Principal.Kind.SERVICE ? "service" : "user").bind("a", admin).bind("t", now())
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
  }

  /** Issues a token; returns it once (only its hash is kept). */
  public IssuedToken issue(Handle h, long principalId, Set<Scope> scopes, Duration lifetime) {
    return issue(h, principalId, scopes, lifetime, null, null);
  }

  /**
   * Issues a token derived from {@code parent} (the token of the request, or null at bootstrap): it never outlives its
   * parent, and revoking the parent revokes it. A token bound to an environment speaks for that environment's
   * deployments.
   */
  public IssuedToken issue(Handle h, long principalId, Set<Scope> scopes, Duration lifetime, Long parent, Long environmentId) {
    if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(MAX_TOKEN_LIFETIME) > 0) {
      throw new InvalidInput("token lifetime must be between 1 second and 365 days");
    }
    if (scopes.isEmpty()) {
      throw new InvalidInput("a token needs at least one scope");
    }
    String kind = h.createQuery("select kind from principals where id = :id").bind("id", principalId).mapTo(String.class)
        .findOne().orElseThrow(() -> NotFound.of("principal"));
    Instant expires = clock.instant().plus(lifetime);
    if (parent != null) {
      var parentExpiry = h.createQuery("select expires_at from tokens where id = :id").bind("id", parent)
          .mapTo(OffsetDateTime.class).one().toInstant();
      if (expires.isAfter(parentExpiry)) {
        throw new Forbidden(Forbidden.Reason.EXCEEDS_PARENT, "a token cannot outlive the token it is issued with (which expires "
            + parentExpiry + "); ask for a shorter ttlDays");
      }
    }
    String token = Tokens.generate(kind.equals("service") ? Principal.Kind.SERVICE : Principal.Kind.USER);
    long id = h.createUpdate("""
            insert into tokens(principal_id, token_hash, display, scopes, created_at, expires_at, parent_id, environment_id)
            values (:p, :h, :d, :s, :c, :e, :parent, :env)""")
        .bind("p", principalId).bind("h", Tokens.hash(token)).bind("d", Tokens.display(token)).bind("s", Scope.format(scopes))
        .bind("c", now()).bind("e", OffsetDateTime.ofInstant(expires, ZoneOffset.UTC)).bind("parent", parent).bind("env", environmentId)
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    return new IssuedToken(id, token, expires);
  }

  /** A newly created token, shown to its owner once. */
  public record IssuedToken(long id, String token, Instant expiresAt) {}

  /** Revokes a token and every token derived from it, however deep; returns how many were revoked. */
  public int revoke(Handle h, long tokenId, Principal by) {
    var owner = h.createQuery("select principal_id from tokens where id = :id").bind("id", tokenId).mapTo(Long.class)
        .findOne().orElseThrow(() -> NotFound.of("token"));
    if (owner != by.id() && !by.admin()) {
      throw new Forbidden("only the token's owner or an administrator can revoke it");
    }
    var at = now();
    int revoked = 0;
    var frontier = new java.util.ArrayList<Long>(java.util.List.of(tokenId));
    var seen = new java.util.HashSet<Long>();
    while (!frontier.isEmpty()) {
      long id = frontier.remove(frontier.size() - 1);
      if (!seen.add(id)) {
        continue;
      }
      revoked += h.createUpdate("update tokens set revoked_at = :t where id = :id and revoked_at is null").bind("t", at).bind("id", id)
          .execute();
      frontier.addAll(h.createQuery("select id from tokens where parent_id = :p").bind("p", id).mapTo(Long.class).list());
    }
    return revoked;
  }

  public boolean anyPrincipal() {
    return jdbi.withHandle(h -> h.createQuery("select count(*) from principals").mapTo(Integer.class).one()) > 0;
  }

  OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
  }
}

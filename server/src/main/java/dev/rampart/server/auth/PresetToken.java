package dev.rampart.server.auth;

import dev.rampart.server.audit.AuditLog;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * The first administrator's token chosen outside the server and given by its SHA-256 (a Kubernetes Secret or
 * Helm value holds the hash, never the token). Adopted once, on a fresh database, in place of the printed bootstrap
 * token; it lasts the longest any token may, and the administrator rotates it by issuing a new one.
 */
public final class PresetToken {
  private PresetToken() {}

  /** 64 lower-case hex digits, the form {@link Tokens#hash} stores; anything else is refused at start. */
  public static String checkHash(String hex) {
    String h = hex == null ? "" : hex.trim();
    if (!h.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("the administrator token hash must be the SHA-256 of the token as 64 lower-case hex"
          + " digits (printf %s \"$TOKEN\" | sha256sum)");
    }
    return h;
  }

  /** Creates the administrator 'admin' with a token of this hash; the database holds no principal yet. */
  public static Void adopt(Handle h, AuditLog audit, String sha256, Clock clock) {
    var now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    long id = h.createUpdate("insert into principals(name, kind, admin, created_at) values ('admin', 'user', true, :t)")
        .bind("t", now).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    h.createUpdate("""
            insert into tokens(principal_id, token_hash, display, scopes, created_at, expires_at)
            values (:p, :h, :d, :s, :c, :e)""")
        .bind("p", id).bind("h", sha256).bind("d", "preset:" + sha256.substring(0, 8))
        .bind("s", Scope.format(java.util.EnumSet.of(Scope.ADMIN))).bind("c", now)
        .bind("e", now.plus(AuthService.MAX_TOKEN_LIFETIME)).execute();
    audit.append(h, "principal.bootstrapped", "rampart", Map.of("principal", "admin", "token", "preset by its SHA-256"));
    return null;
  }
}

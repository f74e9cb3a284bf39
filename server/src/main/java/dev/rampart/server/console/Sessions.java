package dev.rampart.server.console;

import dev.rampart.server.auth.AuthService;
import dev.rampart.server.auth.Principal;
import dev.rampart.server.domain.Forbidden;
import dev.rampart.server.domain.RampartException;
import dev.rampart.server.store.Writes;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jdbi.v3.core.Jdbi;

/**
 * Console sign-in: an API token is exchanged for a random session cookie. Only the cookie's hash is stored, the
 * session never outlives its token (revoking the token ends it), and the CSRF token of its forms is an HMAC of the
 * cookie, so it needs no storage and cannot be computed without the cookie.
 */
final class Sessions {
  static final String COOKIE = "rampart_session";
  static final Duration MAX_AGE = Duration.ofHours(12);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A signed-in caller: who they are, and the CSRF token their forms must carry. */
  record Session(Principal principal, String csrf) {}

  private final Jdbi jdbi;
  private final Writes writes;
  private final AuthService auth;
  private final Clock clock;

  Sessions(Jdbi jdbi, Writes writes, AuthService auth, Clock clock) {
    this.jdbi = jdbi;
    this.writes = writes;
    this.auth = auth;
    this.clock = clock;
  }

  /** Checks the token like the API does and opens a session; returns the cookie value, shown to the browser once. */
  String signIn(String token, java.util.function.BiConsumer<org.jdbi.v3.core.Handle, Principal> audit) {
    Principal p = auth.authenticate("Bearer " + token.trim());
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    String cookie = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    OffsetDateTime now = now();
    OffsetDateTime tokenExpiry = jdbi.withHandle(h -> h.createQuery("select expires_at from tokens where id = :t")
        .bind("t", p.tokenId()).mapTo(OffsetDateTime.class).one());
    OffsetDateTime expires = now.plus(MAX_AGE).isBefore(tokenExpiry) ? now.plus(MAX_AGE) : tokenExpiry;
    writes.run(h -> {
      h.createUpdate("""
              insert into console_sessions(session_hash, token_id, created_at, expires_at) values (:h, :t, :c, :e)""")
          .bind("h", hash(cookie)).bind("t", p.tokenId()).bind("c", now).bind("e", expires).execute();
      audit.accept(h, p);
      return null;
    });
    return cookie;
  }

  /** The session of a cookie, if it is live and its token still valid. */
  Optional<Session> resolve(String cookie) {
    if (cookie == null || cookie.length() != 43 || !cookie.matches("[A-Za-z0-9_-]+")) {
      return Optional.empty();
    }
    var tokenId = jdbi.withHandle(h -> h.createQuery("""
            select token_id from console_sessions where session_hash = :h and ended_at is null and expires_at > :now""")
        .bind("h", hash(cookie)).bind("now", now()).mapTo(Long.class).findOne());
    if (tokenId.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Session(auth.principalOfToken(tokenId.get()), csrf(cookie)));
    } catch (RampartException e) {
      return Optional.empty();
    }
  }

  void signOut(String cookie) {
    if (cookie == null) {
      return;
    }
    writes.run(h -> h.createUpdate("update console_sessions set ended_at = :t where session_hash = :h and ended_at is null")
        .bind("t", now()).bind("h", hash(cookie)).execute());
  }

  /** The form token of a session: HMAC-SHA256 of a fixed label under the cookie. */
  static String csrf(String cookie) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(cookie.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(
          mac.doFinal("rampart-console-csrf".getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Constant-time comparison of a submitted form token with the session's. */
  static void checkCsrf(Session session, String submitted) {
    if (submitted == null || !java.security.MessageDigest.isEqual(session.csrf().getBytes(StandardCharsets.US_ASCII),
        submitted.getBytes(StandardCharsets.US_ASCII))) {
      throw new Forbidden("the form's CSRF token is missing or wrong; reload the page and "
          + "submit again");
    }
  }

  private static String hash(String cookie) {
    try {
      return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(cookie.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
  }
}

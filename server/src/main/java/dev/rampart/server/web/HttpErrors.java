package dev.rampart.server.web;

import dev.rampart.server.domain.Code;
import dev.rampart.server.domain.Conflict;
import dev.rampart.server.domain.Forbidden;
import dev.rampart.server.domain.InvalidInput;
import dev.rampart.server.domain.NotFound;
import dev.rampart.server.domain.PolicyBlocked;
import dev.rampart.server.domain.RampartException;
import dev.rampart.server.domain.TooLarge;
import dev.rampart.server.domain.Unauthorized;
import dev.rampart.server.domain.Unavailable;
import dev.rampart.server.domain.Unverified;
import io.javalin.http.HttpResponseException;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a failure becomes an HTTP answer, for the API and the console alike: a domain refusal by its
 * kind, what the web framework or Jetty refused by its status, and anything else as an internal error logged with an
 * id the caller can quote.
 */
public final class HttpErrors {
  private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

  private HttpErrors() {}

  /** An error answer: status, stable code and a message that says what to do. */
  public record Answer(int status, Code code, String message) {}

  /** The HTTP status of each kind of refusal; exhaustive over the sealed hierarchy, so a new kind cannot go unmapped. */
  public static int status(RampartException e) {
    return switch (e) {
      case InvalidInput i -> 400;
      case Unauthorized u -> 401;
      case Forbidden f -> 403;
      case NotFound n -> 404;
      case Conflict c -> 409;
      case PolicyBlocked p -> 409;
      case TooLarge t -> 413;
      case Unverified u -> 422;
      case Unavailable u -> 503;
    };
  }

  /** The answer to a refusal. */
  public static Answer of(RampartException e) {
    return new Answer(status(e), e.code(), e.getMessage());
  }

  /** The answer to anything a handler threw; {@code request} names the request in the log when it is a bug. */
  public static Answer of(Throwable e, String request) {
    if (e instanceof RampartException r) {
      return of(r);
    }
    if (e instanceof HttpResponseException h) {
      return of(switch (h.getStatus()) {
        case 413 -> new TooLarge(h.getMessage());
        case 404 -> new NotFound(h.getMessage());
        case 401 -> new Unauthorized(Unauthorized.Reason.UNAUTHENTICATED, h.getMessage());
        case 403 -> new Forbidden(h.getMessage());
        default -> new InvalidInput(h.getMessage());
      });
    }
    if (isTooLarge(e)) {
      return of(new TooLarge("the request exceeds the server's size limit"));
    }
    if (closesConnection(e)) {
      return of(new InvalidInput("the request body is malformed (for example a multipart file name with a NUL)"));
    }
    String id = UUID.randomUUID().toString().substring(0, 8);
    LOG.error("request {} failed (id {})", request, id, e);
    return new Answer(500, Code.Internal.INTERNAL_ERROR,
        "internal error (request id " + id + "); the server log has the details");
  }

  private static boolean isTooLarge(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      if (m.contains("exceed") || m.contains("too large") || m.contains("max file size") || m.contains("maximum")) {
        return true;
      }
    }
    return false;
  }

  /** Jetty refused the request's framing (a bad multipart part, say): the client's fault, not the server's. */
  public static boolean closesConnection(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof org.eclipse.jetty.http.BadMessageException bad && bad.getCode() >= 400 && bad.getCode() < 500) {
        return true;
      }
    }
    return false;
  }
}

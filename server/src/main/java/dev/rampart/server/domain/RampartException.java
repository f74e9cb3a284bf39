package dev.rampart.server.domain;

/**
 * Every refusal the server's services can give, one subclass per kind of failure, each carrying a stable {@link Code}
 * that clients match on (never the message). Services throw these and nothing else; the web layer alone turns them
 * into HTTP answers, in one place, by a switch over this sealed hierarchy, so a new kind cannot go unmapped.
 */
public abstract sealed class RampartException extends RuntimeException
    permits NotFound, InvalidInput, Unauthorized, Forbidden, Conflict, PolicyBlocked, Unverified, TooLarge, Unavailable {
  private final Code code;

  RampartException(Code code, String message) {
    super(message == null ? code.wire() : message);
    this.code = code;
  }

  /** The stable code of this refusal. */
  public Code code() {
    return code;
  }
}

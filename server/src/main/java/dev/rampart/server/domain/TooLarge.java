package dev.rampart.server.domain;

/** The request carries more than the server's limits allow. */
public final class TooLarge extends RampartException {
  /** The codes of this kind. */
  public enum Reason implements Code {
    PAYLOAD_TOO_LARGE
  }

  public TooLarge(String message) {
    super(Reason.PAYLOAD_TOO_LARGE, message);
  }
}

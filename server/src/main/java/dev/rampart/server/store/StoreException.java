package dev.rampart.server.store;

/** The database cannot be opened, or cannot promise that what it acknowledges is durable. */
public final class StoreException extends RuntimeException {
  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}

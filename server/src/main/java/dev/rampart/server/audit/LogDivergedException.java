package dev.rampart.server.audit;

/**
 * The database no longer extends the log this server signed (entries removed or rewritten, or the signer's memory of
 * its latest checkpoint unreadable): signing anything on it would fork the log, so writes are refused.
 */
public final class LogDivergedException extends dev.rampart.server.domain.Unavailable {
  public LogDivergedException(String reason) {
    super(Reason.LOG_DIVERGED, reason);
  }
}

package dev.rampart.scan.io;

import java.io.IOException;

/** A hardening limit was hit; the artifact is reported as incomplete, naming the limit. */
public final class LimitExceededException extends IOException {
  private final String limit;

  public LimitExceededException(String limit, long value) {
    super(limit + " exceeds the limit of " + value);
    this.limit = limit;
  }

  public String limit() {
    return limit;
  }
}

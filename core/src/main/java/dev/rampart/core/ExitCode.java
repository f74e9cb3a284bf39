package dev.rampart.core;

import java.util.Optional;

/**
 * The process exit codes every Rampart command shares. Precedence when several apply: USAGE over FINDINGS over
 * INCOMPLETE over OK.
 */
public enum ExitCode {
  OK(0),
  FINDINGS(1),
  USAGE(2),
  INCOMPLETE(3);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /**
   * The exit code for a report.
   *
   * @param failOn the threshold, or empty for report-only ({@code --fail-on none})
   */
  public static ExitCode of(Report report, Optional<Severity> failOn) {
    if (failOn.isPresent() && !report.failing(failOn.get()).isEmpty()) {
      return FINDINGS;
    }
    return report.incomplete() ? INCOMPLETE : OK;
  }
}

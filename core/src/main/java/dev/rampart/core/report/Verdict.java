package dev.rampart.core.report;

import dev.rampart.core.ExitCode;
import dev.rampart.core.Report;

/** The one-word outcome printed and stored with every report. */
enum Verdict {
  CLEAN,
  FINDINGS,
  INCOMPLETE;

  static Verdict of(Report report, RenderOptions options) {
    return switch (ExitCode.of(report, options.failOn())) {
      case FINDINGS -> FINDINGS;
      case INCOMPLETE -> INCOMPLETE;
      case OK, USAGE -> CLEAN;
    };
  }

  String json() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}

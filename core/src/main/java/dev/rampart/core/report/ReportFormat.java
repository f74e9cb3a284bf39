package dev.rampart.core.report;

import java.util.Locale;

/** The output formats every command offers. */
public enum ReportFormat {
  TABLE,
  JSON,
  SARIF;

  public static ReportFormat parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown format '" + text + "': use table, json or sarif");
    }
  }
}

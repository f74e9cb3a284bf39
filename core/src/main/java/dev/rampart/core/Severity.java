package dev.rampart.core;

import java.util.Locale;

/** How bad a finding is. Declared from worst to mildest, so {@code compareTo} orders by badness. */
public enum Severity {
  CRITICAL(9.5, "error"),
  HIGH(8.0, "error"),
  MEDIUM(5.5, "warning"),
  LOW(2.0, "note"),
  INFO(0.0, "note");

  private final double securityScore;
  private final String sarifLevel;

  Severity(double securityScore, String sarifLevel) {
    this.securityScore = securityScore;
    this.sarifLevel = sarifLevel;
  }

  /** True when this severity is at least as bad as {@code threshold}. */
  public boolean atLeast(Severity threshold) {
    return compareTo(threshold) <= 0;
  }

  /** The CVSS-like score GitHub code scanning reads from {@code security-severity}; INFO has none. */
  public double securityScore() {
    return securityScore;
  }

  public String sarifLevel() {
    return sarifLevel;
  }

  public static Severity parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown severity '" + text + "': use one of CRITICAL, HIGH, MEDIUM, LOW, INFO");
    }
  }
}

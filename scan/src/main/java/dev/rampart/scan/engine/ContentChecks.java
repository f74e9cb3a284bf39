package dev.rampart.scan.engine;

import dev.rampart.core.Location;

/**
 * Checks that look at what an artifact says rather than what it does when loaded: leaked credentials in any text
 * (configuration, notebooks, logs, strings inside pickles) and risky ML-infrastructure configuration. The scanner
 * wires in the checks the user asked for; analysers only hand over text.
 */
public interface ContentChecks {
  /**
   * Looks for credentials in one fragment of text.
   *
   * @param where the fragment's location (a notebook cell, a pickle string, a file)
   * @param firstLine the line number of the fragment's first character within {@code where}, for chunked files
   */
  void secrets(Target target, Location where, CharSequence text, int firstLine);

  /** Checks a whole configuration file (small text or JSON) named {@code target.name()}. */
  void configuration(Target target, CharSequence text);

  boolean secretsEnabled();

  boolean configurationEnabled();

  /**
   * True when the scan runs only text checks (--secrets-only, --misconfig-only): a text file those checks read is then
   * what the scan was asked to analyse, not a file skipped as "not a model".
   */
  default boolean onlyTextChecks() {
    return false;
  }

  ContentChecks NONE =
      new ContentChecks() {
        @Override
        public void secrets(Target target, Location where, CharSequence text, int firstLine) {}

        @Override
        public void configuration(Target target, CharSequence text) {}

        @Override
        public boolean secretsEnabled() {
          return false;
        }

        @Override
        public boolean configurationEnabled() {
          return false;
        }
      };
}

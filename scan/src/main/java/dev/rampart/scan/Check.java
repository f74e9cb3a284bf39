package dev.rampart.scan;

import dev.rampart.core.Rule;
import java.util.EnumSet;
import java.util.Set;

/** The families of checks a scan runs; {@code --secrets-only} and {@code --misconfig-only} pick one. */
public enum Check {
  /** Code execution and tampering in model artifacts. */
  MODELS,
  /** Leaked credentials in any text. */
  SECRETS,
  /** Risky ML-infrastructure configuration and vulnerable package versions. */
  MISCONFIG;

  public static Set<Check> all() {
    return EnumSet.allOf(Check.class);
  }

  /** The family a rule belongs to; incompleteness belongs to every family, since it hides all of them. */
  static boolean includes(Set<Check> checks, Rule rule) {
    return rule.incompleteness() || checks.contains(RuleCatalog.familyOf(rule));
  }
}

package dev.rampart.scan;

import dev.rampart.core.Rule;
import dev.rampart.scan.misconfig.MisconfigRules;
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
    if (rule.incompleteness()) {
      return true;
    }
    if (rule.id().startsWith("SEC-")) {
      return checks.contains(SECRETS);
    }
    if (MisconfigRules.ids().contains(rule.id())) {
      return checks.contains(MISCONFIG);
    }
    return checks.contains(MODELS);
  }
}

package dev.rampart.core;

import java.util.Objects;

/**
 * A detection rule: a stable id that is never reused, its default severity, what it means and how to fix it, and
 * where it sits in ATLAS and the lifecycle.
 *
 * @param incompleteness true for rules that say "this part was not analysed" rather than "this part is bad"; they
 *     gate through exit code 3 instead of the severity threshold
 */
public record Rule(
    String id,
    Severity severity,
    String title,
    String help,
    AtlasTechnique technique,
    Phase phase,
    boolean incompleteness) {

  public Rule {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(help, "help");
    Objects.requireNonNull(technique, "technique");
    Objects.requireNonNull(phase, "phase");
    if (!id.matches("[A-Z0-9]+(-[A-Z0-9]+)+")) {
      throw new IllegalArgumentException("rule ids are upper-case words joined by '-': " + id);
    }
  }

  public static Rule of(
      String id, Severity severity, String title, String help, AtlasTechnique technique, Phase phase) {
    return new Rule(id, severity, title, help, technique, phase, false);
  }

  /** The {@code public static final Rule} constants a rules class declares, in declaration order. */
  public static java.util.List<Rule> declaredIn(Class<?> rulesClass) {
    var rules = new java.util.ArrayList<Rule>();
    for (var field : rulesClass.getFields()) {
      if (java.lang.reflect.Modifier.isStatic(field.getModifiers()) && field.getType() == Rule.class) {
        try {
          rules.add((Rule) field.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return java.util.List.copyOf(rules);
  }

  public static Rule incompleteness(String id, String title, String help, AtlasTechnique technique, Phase phase) {
    return new Rule(id, Severity.HIGH, title, help, technique, phase, true);
  }
}

package dev.rampart.core;

import java.util.Objects;

/**
 * A detection rule: a stable id that is never reused, its default severity, what it means and how to fix it, and
 * where it sits in ATLAS and the lifecycle.
 *
 * @param incompleteness true for rules that say "this part was not analysed" rather than "this part is bad"; they
 *     gate through exit code 3 instead of the severity threshold
 * @param stage where in its phase the rule's finding arises or is fixed, when the rule says so
 */
public record Rule(
    String id,
    Severity severity,
    String title,
    String help,
    AtlasTechnique technique,
    Phase phase,
    boolean incompleteness,
    java.util.Optional<Stage> stage) {

  public Rule {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(help, "help");
    Objects.requireNonNull(technique, "technique");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(stage, "stage");
    if (stage.isPresent() && stage.get().phase() != phase) {
      throw new IllegalArgumentException(id + ": stage " + stage.get() + " is not in phase " + phase);
    }
    if (!id.matches("[A-Z0-9]+(-[A-Z0-9]+)+")) {
      throw new IllegalArgumentException("rule ids are upper-case words joined by '-': " + id);
    }
  }

  public static Rule of(
      String id, Severity severity, String title, String help, AtlasTechnique technique, Phase phase) {
    return new Rule(id, severity, title, help, technique, phase, false, java.util.Optional.empty());
  }

  /** A rule whose findings arise in one stage of a phase. */
  public static Rule of(
      String id, Severity severity, String title, String help, AtlasTechnique technique, Stage stage) {
    return new Rule(id, severity, title, help, technique, stage.phase(), false, java.util.Optional.of(stage));
  }

  /** The phase and, when the rule names one, the stage: "Production (model export)". */
  public String lifecycle() {
    return phase.displayName() + stage.map(s -> " (" + s.displayName() + ")").orElse("");
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
    return new Rule(id, Severity.HIGH, title, help, technique, phase, true, java.util.Optional.empty());
  }

  public static Rule incompleteness(String id, String title, String help, AtlasTechnique technique, Stage stage) {
    return new Rule(id, Severity.HIGH, title, help, technique, stage.phase(), true, java.util.Optional.of(stage));
  }
}

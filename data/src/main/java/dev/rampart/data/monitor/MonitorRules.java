package dev.rampart.data.monitor;

import dev.rampart.core.Atlas;
import dev.rampart.core.Stage;
import dev.rampart.core.Rule;
import dev.rampart.core.Severity;
import java.util.List;

/** The rules behind {@code rampart monitor watch}: one per alert kind, and one for bad input. */
public final class MonitorRules {
  public static final Rule COVARIATE_DRIFT = rule(Alert.Kind.COVARIATE_DRIFT, "Input features drifted from the reference",
      "The distribution of one or more features moved. Check the data source and pipeline; if the world changed, "
          + "retrain on recent data. Adversarial probing also shows up as drift.");
  public static final Rule MULTIVARIATE_DRIFT = rule(Alert.Kind.MULTIVARIATE_DRIFT,
      "Features stopped moving together as in the reference",
      "The reference's principal axes no longer reconstruct the inputs as well: how features relate to each other "
          + "changed, although each may look normal alone. Look for a join that pairs rows wrongly, a swapped or "
          + "re-scaled source, or inputs crafted feature by feature.");
  public static final Rule PREDICTION_DRIFT = rule(Alert.Kind.PREDICTION_DRIFT, "Predictions drifted from the reference",
      "The model predicts classes in different proportions than on its reference data.");
  public static final Rule PRIOR_SHIFT = rule(Alert.Kind.PRIOR_SHIFT, "Label distribution shifted",
      "The classes of labelled events arrive in different proportions than in the reference.");
  public static final Rule PIPELINE_FAULT = rule(Alert.Kind.PIPELINE_FAULT, "Data-pipeline fault",
      "A feature turned constant, went missing or left its reference range: usually a broken upstream job or a "
          + "schema change, sometimes tampering. Fix the pipeline before trusting predictions.");
  public static final Rule ESTIMATED_PERFORMANCE_DROP = rule(Alert.Kind.ESTIMATED_PERFORMANCE_DROP,
      "Estimated accuracy dropped (no labels needed)",
      "CBPE, from the model's calibrated confidence, expects lower accuracy than on the reference. Confirm with "
          + "labels when they arrive.");
  public static final Rule PERFORMANCE_DROP = rule(Alert.Kind.PERFORMANCE_DROP, "Accuracy dropped on labelled events",
      "Realised accuracy fell below the reference band. Consider rolling back to the last known-good version.");
  public static final Rule CONCEPT_DRIFT = rule(Alert.Kind.CONCEPT_DRIFT,
      "Accuracy dropped while the model stayed confident (concept drift)",
      "Labels disagree with a model that is as confident as before: the relation between features and labels "
          + "changed, or labels are being poisoned. Retrain or roll back, and audit the label source.");
  public static final Rule BAD_INPUT = Rule.of("MON-BAD-INPUT", Severity.LOW, "Events that could not be used",
      "Malformed lines, unknown or missing features, NaN values, out-of-order timestamps and unmatched labels are "
          + "counted here; none is dropped silently. Fix the producer.",
      Atlas.ERODE_AI_MODEL_INTEGRITY, Stage.MONITORING);
  public static final Rule NOTHING_WATCHED = Rule.incompleteness("MON-NOTHING-WATCHED", "No usable events",
      "Not one line of the stream was a usable event; check the format (one JSON object per line with a "
          + "features object) and the feature names against the profile.",
      Atlas.ERODE_AI_MODEL_INTEGRITY, Stage.MONITORING);

  private MonitorRules() {}

  public static List<Rule> all() {
    return Rule.declaredIn(MonitorRules.class);
  }

  public static Rule forKind(Alert.Kind kind) {
    return switch (kind) {
      case COVARIATE_DRIFT -> COVARIATE_DRIFT;
      case MULTIVARIATE_DRIFT -> MULTIVARIATE_DRIFT;
      case PREDICTION_DRIFT -> PREDICTION_DRIFT;
      case PRIOR_SHIFT -> PRIOR_SHIFT;
      case PIPELINE_FAULT -> PIPELINE_FAULT;
      case ESTIMATED_PERFORMANCE_DROP -> ESTIMATED_PERFORMANCE_DROP;
      case PERFORMANCE_DROP -> PERFORMANCE_DROP;
      case CONCEPT_DRIFT -> CONCEPT_DRIFT;
    };
  }

  private static Rule rule(Alert.Kind kind, String title, String help) {
    return Rule.of("MON-" + kind.name().replace('_', '-'), kind.severity(), title, help, kind.technique(),
        Stage.MONITORING);
  }
}

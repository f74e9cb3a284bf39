package dev.rampart.data.monitor;

import dev.rampart.data.io.Column;
import dev.rampart.data.io.Dataset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The model's own outputs in a reference set, found by the names monitoring tools use for them (Evidently's
 * {@code prediction}, NannyML's {@code y_pred} and {@code y_pred_proba}, scikit-learn's {@code predict_proba}) when
 * they are not named: profiled as features, they would be missing from every event's features and raise a fault on
 * every window.
 */
final class PredictionColumns {
  private PredictionColumns() {}

  static final List<String> PREDICTION =
      List.of("prediction", "predicted", "y_pred", "pred", "predicted_label", "prediction_label", "predicted_class");
  static final List<String> PROBABILITY =
      List.of("probability", "proba", "y_pred_proba", "y_proba", "prediction_proba", "predict_proba",
          "predicted_proba", "prediction_probability", "score", "y_score", "prediction_score", "confidence");

  /** The first column, in convention order, whose name matches one of {@code names} (ignoring case). */
  static Optional<String> byConvention(Dataset data, List<String> names, List<String> taken) {
    for (String name : names) {
      for (String column : data.columnNames()) {
        if (column.toLowerCase(Locale.ROOT).equals(name) && !taken.contains(column)) {
          return Optional.of(column);
        }
      }
    }
    return Optional.empty();
  }

  /** Whether a column can be a probability: numbers, all present ones between 0 and 1. */
  static boolean holdsProbabilities(Dataset data, String column) {
    if (!(data.column(column).orElse(null) instanceof Column.Numeric n)) {
      return false;
    }
    boolean any = false;
    for (double v : n.values()) {
      if (Double.isNaN(v)) {
        continue;
      }
      if (v < 0 || v > 1) {
        return false;
      }
      any = true;
    }
    return any;
  }
}

package dev.rampart.data.poison;

import java.util.ArrayList;
import java.util.List;

/**
 * Label issues by confident learning (Northcutt, Jiang and Chuang, JAIR 2021), over out-of-sample probabilities.
 * A row counts towards the confident joint under class j when p̂_j reaches that class's own threshold, the mean p̂_j
 * over the rows labelled j; the off-diagonal of the joint is the set of rows whose given label the model confidently
 * contradicts, less those whose label the model still finds plausible ({@link #MAX_GIVEN}). Thresholds come from each
 * class.
 */
public final class ConfidentLearning {
  /**
   * A row whose given label keeps this much probability is ambiguous rather than contradicted: rows on a class
   * border, or text that mixes both sentiments, sit there in clean data too.
   */
  static final double MAX_GIVEN = 0.35;

  /**
   * @param joint counts[given][confident class]
   * @param confidentClass per row, the class it was counted under, or -1
   * @param thresholds per class
   */
  public record Result(long[][] joint, int[] confidentClass, double[] thresholds, List<RowFlag> issues) {}

  private ConfidentLearning() {}

  public static Result find(double[] probabilities, int[] labels, int classes, List<String> names) {
    int n = labels.length;
    double[] threshold = new double[classes];
    long[] count = new long[classes];
    for (int r = 0; r < n; r++) {
      if (labels[r] >= 0) {
        threshold[labels[r]] += probabilities[r * classes + labels[r]];
        count[labels[r]]++;
      }
    }
    for (int k = 0; k < classes; k++) {
      threshold[k] = count[k] == 0 ? 1.0 : threshold[k] / count[k];
    }
    long[][] joint = new long[classes][classes];
    int[] confident = new int[n];
    var issues = new ArrayList<RowFlag>();
    for (int r = 0; r < n; r++) {
      confident[r] = -1;
      int s = labels[r];
      if (s < 0) {
        continue;
      }
      int base = r * classes;
      int best = -1;
      for (int k = 0; k < classes; k++) {
        double p = probabilities[base + k];
        if (p >= threshold[k] && (best < 0 || p > probabilities[base + best])) {
          best = k;
        }
      }
      confident[r] = best;
      if (best < 0) {
        continue;
      }
      joint[s][best]++;
      if (best != s && argmax(probabilities, base, classes) != s && probabilities[base + s] < MAX_GIVEN) {
        double given = probabilities[base + s];
        double other = probabilities[base + best];
        issues.add(
            new RowFlag(
                r,
                Signal.LABEL_ISSUE,
                Math.max(0, other - given),
                String.format(
                    java.util.Locale.ROOT,
                    "labelled %s, but a model that never saw this row says %s (p=%.3f against %.3f)",
                    names.get(s),
                    names.get(best),
                    other,
                    given)));
      }
    }
    return new Result(joint, confident, threshold, issues);
  }

  public static int argmax(double[] p, int base, int classes) {
    int best = 0;
    for (int k = 1; k < classes; k++) {
      if (p[base + k] > p[base + best]) {
        best = k;
      }
    }
    return best;
  }
}

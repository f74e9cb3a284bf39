package dev.rampart.data.poison;

import dev.rampart.data.learn.FeatureMatrix;
import dev.rampart.data.stats.Robust;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Injected outliers by per-class robust distance: every row is measured against the median and IQR of its own
 * class, feature by feature, so a row only stands out if it is unlike the rows that share its label. A row is an
 * outlier above its class's fence Q3 + 1.7·IQR of those distances (the Datalab constant, 1/t − 1 with t = 0.37037),
 * and "far" above Q3 + 3·1.7·IQR.
 */
public final class OutlierDetector {
  static final double FENCE = 1 / 0.37037 - 1;
  static final double FAR = 3 * FENCE;

  /** The row flags, and how many of them are far outliers. */
  public record Result(List<RowFlag> flags, int far) {}

  private OutlierDetector() {}

  public static Result find(FeatureMatrix x, int[] labels, int classes, List<String> names) {
    int n = x.rows();
    int d = x.width();
    double[] score = new double[n];
    var flags = new ArrayList<RowFlag>();
    int far = 0;
    for (int k = 0; k < classes; k++) {
      int[] members = Classes.members(labels, k);
      if (members.length < 8 || d == 0) {
        continue;
      }
      double[] centre = new double[d];
      double[] scale = new double[d];
      double[] column = new double[members.length];
      for (int j = 0; j < d; j++) {
        for (int i = 0; i < members.length; i++) {
          column[i] = x.get(members[i], j);
        }
        java.util.Arrays.sort(column);
        centre[j] = Robust.quantileSorted(column, 0.5);
        double iqr = Robust.quantileSorted(column, 0.75) - Robust.quantileSorted(column, 0.25);
        // A floor keeps a feature that is nearly constant within the class from turning tiny differences into
        // huge distances; scaled features have unit spread over the whole dataset.
        scale[j] = Math.max(iqr / Robust.NORMAL_IQR, 0.25);
      }
      double[] classScores = new double[members.length];
      for (int i = 0; i < members.length; i++) {
        int r = members[i];
        double sum = 0;
        for (int j = 0; j < d; j++) {
          double z = (x.get(r, j) - centre[j]) / scale[j];
          sum += z * z;
        }
        score[r] = Math.sqrt(sum / d);
        classScores[i] = score[r];
      }
      java.util.Arrays.sort(classScores);
      double q3 = Robust.quantileSorted(classScores, 0.75);
      double iqr = q3 - Robust.quantileSorted(classScores, 0.25);
      double fence = q3 + FENCE * iqr;
      double farFence = q3 + FAR * iqr;
      for (int r : members) {
        if (score[r] > fence && iqr > 0) {
          boolean isFar = score[r] > farFence;
          far += isFar ? 1 : 0;
          flags.add(
              new RowFlag(
                  r,
                  Signal.OUTLIER,
                  Math.min(1, (score[r] - q3) / (score[r] - q3 + FAR * iqr)),
                  String.format(
                      Locale.ROOT,
                      "%s from the other rows labelled %s: distance %.2f against the class's fence %.2f%s",
                      isFar ? "far" : "away",
                      names.get(k),
                      score[r],
                      fence,
                      strongest(x, r, centre, scale))));
        }
      }
    }
    return new Result(flags, far);
  }

  private static String strongest(FeatureMatrix x, int row, double[] centre, double[] scale) {
    int best = 0;
    double bestZ = 0;
    for (int j = 0; j < x.width(); j++) {
      double z = Math.abs((x.get(row, j) - centre[j]) / scale[j]);
      if (z > bestZ) {
        bestZ = z;
        best = j;
      }
    }
    return String.format(Locale.ROOT, "; most unusual in %s (%.1f robust SDs)", x.names()[best], bestZ);
  }
}

package dev.rampart.data.poison;

import dev.rampart.data.io.Column;
import dev.rampart.data.learn.FeatureMatrix;
import dev.rampart.data.learn.Neighbours;
import dev.rampart.data.stats.Robust;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Injected outliers, scored two ways and calibrated per class. The spread score measures every row against the
 * median and IQR of its own class, feature by feature; the isolation score is the mean distance to its nearest rows
 * of any class, which follows classes made of several clusters. Each score becomes a robust z within the row's class
 * (on the log scale, median and MAD of the class's own scores), so a naturally wide class is not punished for its
 * width; a row is an outlier when either z passes {@link #Z}, far beyond what the class itself shows.
 */
public final class OutlierDetector {
  static final double Z = 4.5;
  static final double MAD_TO_SD = 1.4826;

  /** The row flags; every flag is far outside its class, so {@code far} is their number. */
  public record Result(List<RowFlag> flags, int far) {}

  private OutlierDetector() {}

  public static Result find(
      List<Column> columns, FeatureMatrix x, int[] labels, int classes, List<String> names,
      Optional<Neighbours> neighbours) {
    int n = x.rows();
    int d = x.width();
    double[] spread = new double[n];
    double[] isolation = neighbours.map(OutlierDetector::isolation).orElse(null);
    double[] rarity = WordRarity.of(columns, n);
    var flags = new ArrayList<RowFlag>();
    for (int k = 0; k < classes; k++) {
      int[] members = Classes.members(labels, k);
      if (members.length < 8 || d == 0) {
        continue;
      }
      double[][] centreScale = centreAndScale(x, members);
      for (int r : members) {
        spread[r] = spread(x, r, centreScale[0], centreScale[1]);
      }
      double[] zSpread = classZ(spread, members);
      double[] zIsolation = isolation == null ? null : classZ(isolation, members);
      double[] zRarity = rarity == null ? null : classZ(rarity, members);
      for (int i = 0; i < members.length; i++) {
        int r = members[i];
        double z = Math.max(zSpread[i], zIsolation == null ? 0 : zIsolation[i]);
        if (zRarity != null && zRarity[i] > Z && zRarity[i] > z) {
          flags.add(
              new RowFlag(
                  r,
                  Signal.OUTLIER,
                  Math.min(1, zRarity[i] / (2 * Z)),
                  String.format(
                      Locale.ROOT,
                      "written in words the other rows rarely use: %.1f robust SDs beyond the typical rarity of"
                          + " the words in rows labelled %s",
                      zRarity[i],
                      names.get(k))));
          continue;
        }
        if (z > Z) {
          flags.add(
              new RowFlag(
                  r,
                  Signal.OUTLIER,
                  Math.min(1, z / (2 * Z)),
                  String.format(
                      Locale.ROOT,
                      "far from the other rows labelled %s: %.1f robust SDs beyond the class's typical %s%s",
                      names.get(k),
                      z,
                      zIsolation != null && zIsolation[i] >= zSpread[i] ? "distance to its nearest rows" : "spread",
                      strongest(x, r, centreScale[0], centreScale[1]))));
        }
      }
    }
    return new Result(flags, flags.size());
  }

  /** Mean distance to the nearest rows. */
  private static double[] isolation(Neighbours nb) {
    int n = nb.index().length / nb.k();
    double[] out = new double[n];
    for (int r = 0; r < n; r++) {
      double s = 0;
      for (int i = 0; i < nb.k(); i++) {
        s += nb.distance(r, i);
      }
      out[r] = s / nb.k();
    }
    return out;
  }

  /** Robust z of each member's score on the log scale, against the class's own median and MAD. */
  static double[] classZ(double[] score, int[] members) {
    double[] logs = new double[members.length];
    for (int i = 0; i < members.length; i++) {
      logs[i] = Math.log(score[members[i]] + 1e-6);
    }
    double[] sorted = logs.clone();
    java.util.Arrays.sort(sorted);
    double median = Robust.quantileSorted(sorted, 0.5);
    double[] dev = new double[sorted.length];
    for (int i = 0; i < sorted.length; i++) {
      dev[i] = Math.abs(sorted[i] - median);
    }
    java.util.Arrays.sort(dev);
    // A floor keeps a class of near-identical rows from turning tiny differences into huge z.
    double scale = Math.max(MAD_TO_SD * Robust.quantileSorted(dev, 0.5), 0.05);
    double[] z = new double[members.length];
    for (int i = 0; i < members.length; i++) {
      z[i] = (logs[i] - median) / scale;
    }
    return z;
  }

  private static double[][] centreAndScale(FeatureMatrix x, int[] members) {
    int d = x.width();
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
    return new double[][] {centre, scale};
  }

  private static double spread(FeatureMatrix x, int r, double[] centre, double[] scale) {
    double sum = 0;
    for (int j = 0; j < x.width(); j++) {
      double z = (x.get(r, j) - centre[j]) / scale[j];
      sum += z * z;
    }
    return Math.sqrt(sum / x.width());
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

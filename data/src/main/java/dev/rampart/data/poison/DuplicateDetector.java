package dev.rampart.data.poison;

import dev.rampart.core.Sha256;
import dev.rampart.data.io.Column;
import dev.rampart.data.io.RowDigest;
import dev.rampart.data.learn.FeatureMatrix;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Rows whose features repeat with a different label. Exact duplicates compare every feature value as written; near
 * duplicates compare the scaled features rounded to a grid of a tenth of a robust standard deviation, which catches
 * copies that were re-rounded or nudged.
 */
public final class DuplicateDetector {
  static final double GRID = 0.1;

  /** Conflicting groups found, exact first. */
  public record Result(List<RowFlag> flags, int exactGroups, int nearGroups) {}

  private DuplicateDetector() {}

  /**
   * @param probabilities out-of-sample class probabilities, row-major, or null; they break ties between labels
   */
  public static Result find(
      List<Column> features, FeatureMatrix x, int[] labels, List<String> names, double[] probabilities) {
    int n = labels.length;
    Map<String, List<Integer>> exact = new HashMap<>();
    for (int r = 0; r < n; r++) {
      if (labels[r] >= 0) {
        exact.computeIfAbsent(RowDigest.of(features, r), k -> new ArrayList<>(2)).add(r);
      }
    }
    var flags = new ArrayList<RowFlag>();
    var flagged = new boolean[n];
    int exactGroups = report(exact, labels, names, probabilities, flags, flagged, Signal.CONFLICTING_DUPLICATE, "identical");
    Map<String, List<Integer>> near = new HashMap<>();
    for (int r = 0; r < n; r++) {
      if (labels[r] >= 0 && !flagged[r]) {
        near.computeIfAbsent(gridKey(x, r), k -> new ArrayList<>(2)).add(r);
      }
    }
    int nearGroups = report(near, labels, names, probabilities, flags, flagged, Signal.NEAR_DUPLICATE_CONFLICT, "near-identical");
    return new Result(flags, exactGroups, nearGroups);
  }

  private static int report(
      Map<String, List<Integer>> groups,
      int[] labels,
      List<String> names,
      double[] probabilities,
      List<RowFlag> flags,
      boolean[] flagged,
      Signal signal,
      String how) {
    int conflicting = 0;
    for (List<Integer> rows : groups.values()) {
      if (rows.size() < 2) {
        continue;
      }
      var distinct = new TreeSet<String>();
      rows.forEach(r -> distinct.add(names.get(labels[r])));
      if (distinct.size() < 2) {
        continue;
      }
      conflicting++;
      String others = rows.size() > 6 ? rows.subList(0, 6) + "..." : rows.toString();
      int kept = majority(rows, labels, names.size(), probabilities);
      for (int r : rows) {
        flagged[r] = true;
        if (labels[r] == kept) {
          continue;
        }
        flags.add(
            new RowFlag(
                r,
                signal,
                signal == Signal.CONFLICTING_DUPLICATE ? 0.9 : 0.6,
                how + " features in rows " + others + " carry different labels " + distinct
                    + "; this row's " + names.get(labels[r]) + " is the group's minority, " + names.get(kept)
                    + " the label the rest of the data supports"));
      }
    }
    return conflicting;
  }

  /**
   * The label the group keeps: the most frequent one, and between equally frequent labels the one a model that never
   * saw these rows finds more probable. A copy relabelled by an attacker loses to the original that way.
   */
  static int majority(List<Integer> rows, int[] labels, int classes, double[] probabilities) {
    int[] count = new int[classes];
    double[] support = new double[classes];
    for (int r : rows) {
      count[labels[r]]++;
      if (probabilities != null) {
        for (int k = 0; k < classes; k++) {
          support[k] += probabilities[r * classes + k];
        }
      }
    }
    int best = -1;
    for (int k = 0; k < classes; k++) {
      if (count[k] > 0
          && (best < 0 || count[k] > count[best] || (count[k] == count[best] && support[k] > support[best]))) {
        best = k;
      }
    }
    return best;
  }

  private static String gridKey(FeatureMatrix x, int row) {
    var sb = new StringBuilder();
    for (int j = 0; j < x.width(); j++) {
      sb.append(Math.round(x.get(row, j) / GRID)).append(',');
    }
    return Sha256.of(sb.toString());
  }
}

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

  public static Result find(
      List<Column> features, FeatureMatrix x, int[] labels, List<String> names) {
    int n = labels.length;
    Map<String, List<Integer>> exact = new HashMap<>();
    for (int r = 0; r < n; r++) {
      if (labels[r] >= 0) {
        exact.computeIfAbsent(RowDigest.of(features, r), k -> new ArrayList<>(2)).add(r);
      }
    }
    var flags = new ArrayList<RowFlag>();
    var flagged = new boolean[n];
    int exactGroups = report(exact, labels, names, flags, flagged, Signal.CONFLICTING_DUPLICATE, "identical");
    Map<String, List<Integer>> near = new HashMap<>();
    for (int r = 0; r < n; r++) {
      if (labels[r] >= 0 && !flagged[r]) {
        near.computeIfAbsent(gridKey(x, r), k -> new ArrayList<>(2)).add(r);
      }
    }
    int nearGroups = report(near, labels, names, flags, flagged, Signal.NEAR_DUPLICATE_CONFLICT, "near-identical");
    return new Result(flags, exactGroups, nearGroups);
  }

  private static int report(
      Map<String, List<Integer>> groups,
      int[] labels,
      List<String> names,
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
      for (int r : rows) {
        flagged[r] = true;
        flags.add(
            new RowFlag(
                r,
                signal,
                signal == Signal.CONFLICTING_DUPLICATE ? 0.9 : 0.6,
                how + " features in rows " + others + " carry different labels " + distinct));
      }
    }
    return conflicting;
  }

  private static String gridKey(FeatureMatrix x, int row) {
    var sb = new StringBuilder();
    for (int j = 0; j < x.width(); j++) {
      sb.append(Math.round(x.get(row, j) / GRID)).append(',');
    }
    return Sha256.of(sb.toString());
  }
}

package dev.rampart.data.diff;

import dev.rampart.data.io.Column;
import dev.rampart.data.io.Dataset;
import dev.rampart.data.io.DatasetReadException;
import dev.rampart.data.io.RowDigest;
import dev.rampart.data.stats.Robust;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.BinomialTest;

/**
 * Compares two versions of a dataset: which rows were added, removed, changed or relabelled, how each column's
 * distribution moved, whether the class balance moved, and whether the changes concentrate in one class or one
 * region of feature space, which is how targeted poisoning looks from the outside.
 */
public final class DatasetDiff {
  static final int MIN_CONCENTRATED = 5;
  static final double FAMILY_ALPHA = 0.001;

  /**
   * @param key a column that identifies a row across versions; without one, rows match by the hash of their
   *     features
   */
  public record Options(Optional<String> label, Optional<String> key, List<String> ignore) {
    public Options {
      ignore = List.copyOf(ignore);
    }
  }

  private DatasetDiff() {}

  public static DiffResult compare(Dataset old, Dataset now, Options options) throws DatasetReadException {
    var skip = new ArrayList<>(options.ignore());
    options.label().ifPresent(skip::add);
    options.key().ifPresent(skip::add);
    for (String name : skip) {
      for (Dataset d : List.of(old, now)) {
        if (d.column(name).isEmpty()) {
          throw new DatasetReadException.MissingColumn(d.source(), name, d.columnNames());
        }
      }
    }
    List<String> common =
        old.columnNames().stream().filter(n -> now.column(n).isPresent() && !skip.contains(n)).toList();
    List<String> addedColumns =
        now.columnNames().stream().filter(n -> old.column(n).isEmpty()).toList();
    List<String> removedColumns =
        old.columnNames().stream().filter(n -> now.column(n).isEmpty()).toList();

    Column.Categorical oldLabels = options.label().isPresent() ? old.labels(options.label().get()) : null;
    Column.Categorical newLabels = options.label().isPresent() ? now.labels(options.label().get()) : null;
    var rows = new RowMatch(old, now, common, oldLabels, newLabels, options.key());

    var shifts = new ArrayList<ColumnShift>();
    for (String name : common) {
      shifts.add(ShiftTest.compare(old.column(name).orElseThrow(), now.column(name).orElseThrow()));
    }
    ColumnShift labelShift = null;
    var concentration = new ArrayList<DiffResult.Concentration>();
    if (oldLabels != null) {
      labelShift =
          ShiftTest.categorical(options.label().get(), ShiftTest.counts(oldLabels), ShiftTest.counts(newLabels));
      classConcentration("added rows", rows.added, newLabels, oldLabels, concentration);
      classConcentration("removed rows", rows.removed, oldLabels, oldLabels, concentration);
      List<Integer> relabelTargets = rows.relabelled.stream().map(DiffResult.Relabel::newRow).toList();
      classConcentration("relabelled rows", relabelTargets, newLabels, oldLabels, concentration);
    }
    regionConcentration(old, now, common, rows.added, oldLabels, newLabels, concentration);
    return new DiffResult(
        old.source(),
        now.source(),
        old.rows(),
        now.rows(),
        options.key().map(k -> "key:" + k).orElse("row-hash"),
        rows.added,
        rows.removed,
        rows.changed,
        rows.relabelled,
        shifts,
        addedColumns,
        removedColumns,
        labelShift,
        concentration);
  }

  /** Which rows of the new version correspond to which rows of the old one. */
  private static final class RowMatch {
    final List<Integer> added = new ArrayList<>();
    final List<Integer> removed = new ArrayList<>();
    final List<Integer> changed = new ArrayList<>();
    final List<DiffResult.Relabel> relabelled = new ArrayList<>();

    RowMatch(
        Dataset old,
        Dataset now,
        List<String> common,
        Column.Categorical oldLabels,
        Column.Categorical newLabels,
        Optional<String> key) {
      List<Column> oldCols = common.stream().map(n -> old.column(n).orElseThrow()).toList();
      List<Column> newCols = common.stream().map(n -> now.column(n).orElseThrow()).toList();
      Map<String, Deque<Integer>> byIdentity = new HashMap<>();
      Column oldKey = key.map(k -> old.column(k).orElseThrow()).orElse(null);
      Column newKey = key.map(k -> now.column(k).orElseThrow()).orElse(null);
      for (int r = 0; r < old.rows(); r++) {
        String id = oldKey != null ? oldKey.display(r) : RowDigest.of(oldCols, r);
        byIdentity.computeIfAbsent(id, k -> new ArrayDeque<>()).add(r);
      }
      boolean[] matched = new boolean[old.rows()];
      for (int r = 0; r < now.rows(); r++) {
        String id = newKey != null ? newKey.display(r) : RowDigest.of(newCols, r);
        Deque<Integer> candidates = byIdentity.get(id);
        if (candidates == null || candidates.isEmpty()) {
          added.add(r);
          continue;
        }
        int o = take(candidates, oldLabels, newLabels, r);
        matched[o] = true;
        if (newKey != null && !RowDigest.of(oldCols, o).equals(RowDigest.of(newCols, r))) {
          changed.add(r);
        }
        if (oldLabels != null && !oldLabels.display(o).equals(newLabels.display(r))) {
          relabelled.add(new DiffResult.Relabel(o, r, oldLabels.display(o), newLabels.display(r)));
        }
      }
      for (int o = 0; o < old.rows(); o++) {
        if (!matched[o]) {
          removed.add(o);
        }
      }
    }

    /** Prefers an old row with the same label, so a relabelled copy does not steal the original's match. */
    private static int take(
        Deque<Integer> candidates, Column.Categorical oldLabels, Column.Categorical newLabels, int row) {
      if (oldLabels != null && candidates.size() > 1) {
        for (Integer o : candidates) {
          if (oldLabels.display(o).equals(newLabels.display(row))) {
            candidates.remove(o);
            return o;
          }
        }
      }
      return candidates.poll();
    }
  }

  /**
   * Whether the changed rows fall into one class far more often than that class's share of the old data predicts:
   * a one-sided binomial test per class, Bonferroni-corrected over the classes.
   */
  private static void classConcentration(
      String what,
      List<Integer> changedRows,
      Column.Categorical labelsOfRows,
      Column.Categorical reference,
      List<DiffResult.Concentration> out) {
    if (changedRows.size() < MIN_CONCENTRATED) {
      return;
    }
    Map<String, Long> referenceCounts = ShiftTest.counts(reference);
    long total = referenceCounts.values().stream().mapToLong(Long::longValue).sum();
    Map<String, Integer> hits = new HashMap<>();
    for (int r : changedRows) {
      if (!labelsOfRows.missing(r)) {
        hits.merge(labelsOfRows.display(r), 1, Integer::sum);
      }
    }
    double alpha = FAMILY_ALPHA / Math.max(1, hits.size());
    for (var e : hits.entrySet()) {
      double expected = Math.max(referenceCounts.getOrDefault(e.getKey(), 0L), 1) / (double) total;
      int n = changedRows.size();
      double p =
          BinomialTest.withDefaults()
              .with(AlternativeHypothesis.GREATER_THAN)
              .test(n, e.getValue(), Math.min(expected, 1))
              .getPValue();
      double share = e.getValue() / (double) n;
      if (e.getValue() >= MIN_CONCENTRATED && p < alpha && share >= 2 * expected) {
        out.add(new DiffResult.Concentration(what, "class=" + e.getKey(), e.getValue(), share, expected, p));
      }
    }
  }

  /**
   * Whether added rows crowd into one decile of some numeric feature (deciles of the old version) beyond what their
   * classes predict: the expected share of a decile is the mix, by the added rows' own labels, of each class's share
   * of that decile in the old data. New rows that only change the class balance (a prior shift) land where their
   * classes always did and pass; rows injected with a label into another class's region do not. Without labels the
   * expectation is the old data's. The same binomial test, corrected over every feature and decile.
   */
  private static void regionConcentration(
      Dataset old,
      Dataset now,
      List<String> common,
      List<Integer> added,
      Column.Categorical oldLabels,
      Column.Categorical newLabels,
      List<DiffResult.Concentration> out) {
    if (added.size() < MIN_CONCENTRATED) {
      return;
    }
    var numeric =
        common.stream()
            .filter(n -> old.column(n).orElseThrow() instanceof Column.Numeric
                && now.column(n).orElseThrow() instanceof Column.Numeric)
            .toList();
    double alpha = FAMILY_ALPHA / Math.max(1, numeric.size() * 10);
    Map<String, Long> addedByClass = new HashMap<>();
    for (int r : added) {
      addedByClass.merge(newLabels == null || newLabels.missing(r) ? "" : newLabels.display(r), 1L, Long::sum);
    }
    DiffResult.Concentration strongest = null;
    for (String name : numeric) {
      double[] oldValues = ((Column.Numeric) old.column(name).orElseThrow()).values();
      double[] sorted = Robust.sortedPresent(oldValues);
      double[] edges =
          IntStream.rangeClosed(1, 9).mapToDouble(i -> Robust.quantileSorted(sorted, i / 10.0)).distinct().toArray();
      if (edges.length < 4) {
        continue;
      }
      double[] expectedShare = expectedBins(oldValues, edges, oldLabels, addedByClass, added.size());
      double[] values = ((Column.Numeric) now.column(name).orElseThrow()).values();
      double[] addedValues = added.stream().mapToDouble(r -> values[r]).filter(v -> !Double.isNaN(v)).sorted().toArray();
      long[] counts = ShiftTest.binned(addedValues, edges);
      for (int bin = 0; bin < counts.length; bin++) {
        // A floor of half a percent keeps a decile the old class never reached from making any single row significant.
        double expected = Math.max(expectedShare[bin], 0.005);
        if (counts[bin] < MIN_CONCENTRATED) {
          continue;
        }
        double p =
            BinomialTest.withDefaults()
                .with(AlternativeHypothesis.GREATER_THAN)
                .test(addedValues.length, (int) counts[bin], Math.min(expected, 1))
                .getPValue();
        double share = counts[bin] / (double) addedValues.length;
        if (p < alpha && share >= 2 * expected && (strongest == null || p < strongest.pValue())) {
          String lo = bin == 0 ? "-inf" : fmt(edges[bin - 1]);
          String hi = bin == edges.length ? "+inf" : fmt(edges[bin]);
          strongest =
              new DiffResult.Concentration(
                  "added rows", name + " in (" + lo + ", " + hi + "]", (int) counts[bin], share, expected, p);
        }
      }
    }
    if (strongest != null) {
      out.add(strongest);
    }
  }

  /** Each decile's expected share of the added rows: the old data's class-conditional shares, mixed by their labels. */
  private static double[] expectedBins(
      double[] oldValues, double[] edges, Column.Categorical oldLabels, Map<String, Long> addedByClass, int added) {
    Map<String, long[]> byClass = new HashMap<>();
    long[] all = new long[edges.length + 1];
    for (int r = 0; r < oldValues.length; r++) {
      if (Double.isNaN(oldValues[r])) {
        continue;
      }
      int bin = java.util.Arrays.binarySearch(edges, oldValues[r]);
      bin = bin >= 0 ? bin : -bin - 1;
      all[bin]++;
      if (oldLabels != null && !oldLabels.missing(r)) {
        byClass.computeIfAbsent(oldLabels.display(r), k -> new long[edges.length + 1])[bin]++;
      }
    }
    double[] expected = new double[edges.length + 1];
    for (var e : addedByClass.entrySet()) {
      // A class the old version never had, or rows without a label, are expected to spread like the old data.
      long[] counts = byClass.getOrDefault(e.getKey(), all);
      long total = java.util.Arrays.stream(counts).sum();
      double weight = e.getValue() / (double) added;
      for (int b = 0; b < expected.length; b++) {
        expected[b] += weight * (total == 0 ? 0 : counts[b] / (double) total);
      }
    }
    return expected;
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.4g", v);
  }
}

package dev.rampart.data.diff;

import dev.rampart.data.io.Column;
import dev.rampart.data.learn.CategoryCounts;
import dev.rampart.data.stats.Divergence;
import dev.rampart.data.stats.Robust;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.statistics.inference.ChiSquareTest;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;

/**
 * Per-column drift with the usual defaults and their known pitfalls handled: p-value tests only while the reference
 * is small (on large samples they flag every column), distances beyond; a homogeneity test with an explicit bucket
 * for categories the reference never saw instead of a goodness-of-fit test that divides by zero; constant columns
 * and tiny samples reported, not tested.
 */
final class ShiftTest {
  static final int SMALL_REFERENCE = 1000;
  static final int MIN_ROWS = 30;
  static final double P_VALUE = 0.05;
  static final double DISTANCE = 0.1;
  static final int FEW_VALUES = 5;

  private ShiftTest() {}

  static ColumnShift compare(Column old, Column now) {
    String name = old.name();
    if (old instanceof Column.Text || now instanceof Column.Text) {
      return new ColumnShift(name, "text", "none", Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, false,
          "free text is not compared by distribution");
    }
    if (old instanceof Column.Numeric a && now instanceof Column.Numeric b) {
      double[] x = Robust.sortedFinite(a.values());
      double[] y = Robust.sortedFinite(b.values());
      if (distinct(x, y) > FEW_VALUES) {
        return numeric(name, x, y);
      }
    } else if (old instanceof Column.Numeric != now instanceof Column.Numeric) {
      return new ColumnShift(name, "mixed", "type", Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, true,
          "the column changed type between versions");
    }
    return categorical(name, counts(old), counts(now));
  }

  private static ColumnShift numeric(String name, double[] x, double[] y) {
    if (x.length < MIN_ROWS || y.length < MIN_ROWS) {
      return tooFew(name, "numeric", x.length, y.length);
    }
    double psi = psi(x, y);
    double std = Robust.meanAndStd(x)[1];
    double effect = Divergence.wasserstein(x, y) / Math.max(std, 0.001);
    if (x.length <= SMALL_REFERENCE) {
      double p = KolmogorovSmirnovTest.withDefaults().test(x, y).getPValue();
      return new ColumnShift(name, "numeric", "ks", p, P_VALUE, psi, effect, 0, p <= P_VALUE, "");
    }
    return new ColumnShift(name, "numeric", "wasserstein", effect, DISTANCE, psi, effect, 0, effect >= DISTANCE, "");
  }

  static ColumnShift categorical(String name, Map<String, Long> old, Map<String, Long> now) {
    long n = old.values().stream().mapToLong(Long::longValue).sum();
    long m = now.values().stream().mapToLong(Long::longValue).sum();
    if (n < MIN_ROWS || m < MIN_ROWS) {
      return tooFew(name, "categorical", n, m);
    }
    var levels = new ArrayList<>(old.keySet());
    int unseen = 0;
    for (String level : now.keySet()) {
      if (!old.containsKey(level)) {
        levels.add(level);
        unseen++;
      }
    }
    long[] a = new long[levels.size()];
    long[] b = new long[levels.size()];
    for (int i = 0; i < levels.size(); i++) {
      a[i] = old.getOrDefault(levels.get(i), 0L);
      b[i] = now.getOrDefault(levels.get(i), 0L);
    }
    double psi = Divergence.psi(a, b);
    double js = Divergence.jensenShannon(a, b);
    String note = unseen > 0 ? unseen + " value(s) not present in the old version" : "";
    if (levels.size() < 2) {
      return new ColumnShift(name, "categorical", "constant", Double.NaN, Double.NaN, psi, js, unseen, false,
          "constant in both versions");
    }
    if (n <= SMALL_REFERENCE) {
      double p = ChiSquareTest.withDefaults().test(new long[][] {a, b}).getPValue();
      return new ColumnShift(name, "categorical", "chi-square", p, P_VALUE, psi, js, unseen, p < P_VALUE, note);
    }
    return new ColumnShift(name, "categorical", "jensen-shannon", js, DISTANCE, psi, js, unseen, js >= DISTANCE, note);
  }

  private static ColumnShift tooFew(String name, String kind, long n, long m) {
    return new ColumnShift(name, kind, "none", Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, false,
        "too few values to compare (" + n + " and " + m + "; at least " + MIN_ROWS + " each)");
  }

  /** PSI over the reference's deciles, so every bin starts with a tenth of the old data. */
  private static double psi(double[] x, double[] y) {
    double[] edges = new double[9];
    for (int i = 1; i < 10; i++) {
      edges[i - 1] = Robust.quantileSorted(x, i / 10.0);
    }
    edges = Arrays.stream(edges).distinct().toArray();
    return Divergence.psi(binned(x, edges), binned(y, edges));
  }

  static long[] binned(double[] sorted, double[] edges) {
    long[] counts = new long[edges.length + 1];
    for (double v : sorted) {
      int bin = Arrays.binarySearch(edges, v);
      counts[bin >= 0 ? bin : -bin - 1]++;
    }
    return counts;
  }

  static Map<String, Long> counts(Column c) {
    Map<String, Long> out = new LinkedHashMap<>();
    if (c instanceof Column.Categorical cat) {
      long[] byCode = CategoryCounts.of(cat);
      for (int i = 0; i < byCode.length; i++) {
        if (byCode[i] > 0) {
          out.put(cat.levels().get(i), byCode[i]);
        }
      }
      return out;
    }
    var counts = new HashMap<String, Long>();
    for (int r = 0; r < c.size(); r++) {
      if (!c.missing(r)) {
        counts.merge(c.display(r), 1L, Long::sum);
      }
    }
    counts.keySet().stream().sorted().forEach(k -> out.put(k, counts.get(k)));
    return out;
  }

  private static int distinct(double[] x, double[] y) {
    var seen = new java.util.HashSet<Double>();
    for (double[] a : List.of(x, y)) {
      for (double v : a) {
        if (seen.add(v) && seen.size() > FEW_VALUES) {
          return seen.size();
        }
      }
    }
    return seen.size();
  }
}

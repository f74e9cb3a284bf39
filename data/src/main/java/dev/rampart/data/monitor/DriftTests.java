package dev.rampart.data.monitor;

import dev.rampart.data.stats.Divergence;
import java.util.Arrays;
import java.util.Map;
import org.apache.commons.statistics.inference.ChiSquareTest;

/**
 * A window against the reference sketch, with the reference defaults: KS (numbers) and chi-square homogeneity
 * (categories) while the window has at most {@link #SMALL_WINDOW} values, Wasserstein distance over the reference
 * standard deviation and Jensen-Shannon distance beyond, where p-values flag every trivial difference. PSI over the
 * reference deciles is always computed. p-values are Bonferroni-corrected over the features by the caller.
 */
final class DriftTests {
  static final int SMALL_WINDOW = 1000;
  static final double DISTANCE = 0.1;

  /**
   * @param pValue for the tests, NaN for distances
   * @param effect KS D or the distance
   */
  record Result(String method, double statistic, double pValue, double effect, double psi) {}

  private DriftTests() {}

  static Result numeric(FeatureProfile.Numeric ref, double[] values, int n) {
    double[] w = Arrays.copyOf(values, n);
    Arrays.sort(w);
    double psi = psi(ref, w);
    if (n <= SMALL_WINDOW) {
      double d = ksDistance(ref, w);
      double m = ref.count();
      double neff = n * m / (n + m);
      double p = kolmogorovSurvival(Math.sqrt(neff) * d);
      return new Result("ks", d, p, d, psi);
    }
    double distance = wasserstein(ref, w) / Math.max(ref.std(), 0.001);
    return new Result("wasserstein", distance, Double.NaN, distance, psi);
  }

  static Result categorical(FeatureProfile.Categorical ref, Map<String, Integer> window) {
    var levels = ref.counts().keySet().toArray(String[]::new);
    long[] a = new long[levels.length + 1];
    long[] b = new long[levels.length + 1];
    for (int i = 0; i < levels.length; i++) {
      a[i] = ref.counts().get(levels[i]);
      b[i] = window.getOrDefault(levels[i], 0);
    }
    long n = 0;
    for (var e : window.entrySet()) {
      n += e.getValue();
      if (!ref.counts().containsKey(e.getKey())) {
        b[levels.length] += e.getValue();
      }
    }
    double psi = Divergence.psi(a, b);
    double js = Divergence.jensenShannon(a, b);
    if (n <= SMALL_WINDOW) {
      long[][] table = nonEmptyColumns(a, b);
      double p = table[0].length < 2 ? 1 : ChiSquareTest.withDefaults().test(table).getPValue();
      return new Result("chi-square", p, p, js, psi);
    }
    return new Result("jensen-shannon", js, Double.NaN, js, psi);
  }

  /** Whether the result is drift at the corrected significance level, or beyond the distance threshold. */
  static boolean drifted(Result r, double alpha) {
    return Double.isNaN(r.pValue()) ? r.effect() >= DISTANCE : r.pValue() < alpha;
  }

  /** The looser condition that keeps an open drift episode open: ten times the level, half the distance. */
  static boolean sustained(Result r, double alpha) {
    return Double.isNaN(r.pValue()) ? r.effect() >= DISTANCE / 2 : r.pValue() < Math.min(0.5, 10 * alpha);
  }

  /** Two-sample KS distance of a sorted window against the reference CDF, tie-aware on both sides. */
  static double ksDistance(FeatureProfile.Numeric ref, double[] sorted) {
    int n = sorted.length;
    double d = 0;
    int i = 0;
    while (i < n) {
      int j = i;
      while (j < n && sorted[j] == sorted[i]) {
        j++;
      }
      double below = i / (double) n;
      double upTo = j / (double) n;
      d = Math.max(d, Math.abs(below - ref.cdfBelow(sorted[i])));
      d = Math.max(d, Math.abs(upTo - ref.cdf(sorted[i])));
      i = j;
    }
    return d;
  }

  /** P(K > x) for the Kolmogorov distribution. */
  static double kolmogorovSurvival(double x) {
    if (x < 0.2) {
      return 1;
    }
    double sum = 0;
    for (int k = 1; k <= 100; k++) {
      double term = Math.exp(-2.0 * k * k * x * x);
      sum += (k % 2 == 1 ? term : -term);
      if (term < 1e-16) {
        break;
      }
    }
    return Math.max(0, Math.min(1, 2 * sum));
  }

  /** W1 as the mean absolute difference of quantile functions on the reference's rank grid. */
  static double wasserstein(FeatureProfile.Numeric ref, double[] sorted) {
    int grid = FeatureProfile.Numeric.QUANTILES;
    double sum = 0;
    for (int i = 0; i < grid; i++) {
      double q = (i + 0.5) / grid;
      double w = sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))];
      sum += Math.abs(w - ref.quantile(q));
    }
    return sum / grid;
  }

  static double psi(FeatureProfile.Numeric ref, double[] sorted) {
    double[] edges = new double[9];
    for (int i = 1; i < 10; i++) {
      edges[i - 1] = ref.quantile(i / 10.0);
    }
    edges = Arrays.stream(edges).distinct().toArray();
    long[] expected = new long[edges.length + 1];
    long[] actual = new long[edges.length + 1];
    for (int i = 0; i <= edges.length; i++) {
      double lo = i == 0 ? 0 : ref.cdf(edges[i - 1]);
      double hi = i == edges.length ? 1 : ref.cdf(edges[i]);
      expected[i] = Math.round((hi - lo) * 1_000_000);
    }
    for (double v : sorted) {
      int bin = Arrays.binarySearch(edges, v);
      actual[bin >= 0 ? bin : -bin - 1]++;
    }
    return Divergence.psi(expected, actual);
  }

  private static long[][] nonEmptyColumns(long[] a, long[] b) {
    int keep = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] + b[i] > 0) {
        keep++;
      }
    }
    long[][] out = new long[2][keep];
    int k = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] + b[i] > 0) {
        out[0][k] = a[i];
        out[1][k] = b[i];
        k++;
      }
    }
    return out;
  }
}

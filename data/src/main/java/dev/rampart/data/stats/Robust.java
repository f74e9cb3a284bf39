package dev.rampart.data.stats;

import java.util.Arrays;

/** Order statistics that a handful of extreme values cannot move much. */
public final class Robust {
  /** IQR of a standard normal; dividing by it turns an IQR into a standard-deviation estimate. */
  public static final double NORMAL_IQR = 1.3489795;

  private Robust() {}

  /** The q-quantile (0..1) of sorted values, linearly interpolated. */
  public static double quantileSorted(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }

  /** Finite values, sorted. */
  public static double[] sortedFinite(double[] values) {
    return Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
  }

  /** Values without NaN, sorted. */
  public static double[] sortedPresent(double[] values) {
    double[] copy = Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
    Arrays.sort(copy);
    return copy;
  }

  /**
   * A centre and a scale for standardising: the median and the IQR as a standard deviation, falling back to the
   * mean and standard deviation when most values are equal; null when the column is constant or empty. Infinite
   * values are left out, as missing ones are.
   */
  public static double[] centreAndScale(double[] values) {
    double[] sorted = sortedFinite(values);
    if (sorted.length == 0 || sorted[0] == sorted[sorted.length - 1]) {
      return null;
    }
    double median = quantileSorted(sorted, 0.5);
    double iqr = quantileSorted(sorted, 0.75) - quantileSorted(sorted, 0.25);
    if (iqr > 0) {
      return new double[] {median, iqr / NORMAL_IQR};
    }
    return meanAndStd(sorted);
  }

  /** The mean and the population standard deviation. */
  public static double[] meanAndStd(double[] values) {
    double mean = 0;
    for (double v : values) {
      mean += v;
    }
    mean /= Math.max(1, values.length);
    double var = 0;
    for (double v : values) {
      var += (v - mean) * (v - mean);
    }
    return new double[] {mean, Math.sqrt(var / Math.max(1, values.length))};
  }
}

package dev.rampart.data.monitor;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Arrays;
import java.util.Map;

/** One feature's reference distribution: a sketch, never the raw values. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = FeatureProfile.Numeric.class, name = "numeric"),
  @JsonSubTypes.Type(value = FeatureProfile.Categorical.class, name = "categorical")
})
public sealed interface FeatureProfile permits FeatureProfile.Numeric, FeatureProfile.Categorical {
  String name();

  long count();

  /** Share of rows where the feature was missing. */
  double missingShare();

  /**
   * @param quantiles {@link #QUANTILES} + 1 values at evenly spaced ranks from 0 (the minimum) to 1 (the maximum)
   */
  record Numeric(String name, long count, double missingShare, double mean, double std, double[] quantiles)
      implements FeatureProfile {
    public static final int QUANTILES = 256;

    public double min() {
      return quantiles[0];
    }

    public double max() {
      return quantiles[quantiles.length - 1];
    }

    /** The reference CDF at {@code x}, interpolated between stored quantiles. */
    public double cdf(double x) {
      int n = quantiles.length - 1;
      if (x < quantiles[0]) {
        return 0;
      }
      if (x >= quantiles[n]) {
        return 1;
      }
      int i = Arrays.binarySearch(quantiles, x);
      if (i >= 0) {
        while (i < n && quantiles[i + 1] == x) {
          i++;
        }
        return i / (double) n;
      }
      int hi = -i - 1;
      int lo = hi - 1;
      double span = quantiles[hi] - quantiles[lo];
      double within = span == 0 ? 0 : (x - quantiles[lo]) / span;
      return (lo + within) / n;
    }

    /** The reference CDF just below {@code x}: the share of reference values strictly smaller. */
    public double cdfBelow(double x) {
      int n = quantiles.length - 1;
      if (x <= quantiles[0]) {
        return 0;
      }
      if (x > quantiles[n]) {
        return 1;
      }
      int i = Arrays.binarySearch(quantiles, x);
      if (i >= 0) {
        while (i > 0 && quantiles[i - 1] == x) {
          i--;
        }
        return i / (double) n;
      }
      return cdf(x);
    }

    /** The reference value at rank {@code q} in [0, 1]. */
    public double quantile(double q) {
      double pos = q * (quantiles.length - 1);
      int lo = (int) Math.floor(pos);
      int hi = Math.min(quantiles.length - 1, lo + 1);
      return quantiles[lo] + (pos - lo) * (quantiles[hi] - quantiles[lo]);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Numeric n && n.name.equals(name) && n.count == count && Arrays.equals(n.quantiles, quantiles);
    }

    @Override
    public int hashCode() {
      return name.hashCode() * 31 + Arrays.hashCode(quantiles);
    }

    @Override
    public String toString() {
      return "Numeric[" + name + ", n=" + count + ", " + min() + ".." + max() + "]";
    }
  }

  /** @param counts per level; levels beyond the most frequent {@code MAX_LEVELS} are summed under {@code OTHER} */
  record Categorical(String name, long count, double missingShare, Map<String, Long> counts)
      implements FeatureProfile {
    public static final int MAX_LEVELS = 1_000;
    public static final String OTHER = "(other)";
  }
}

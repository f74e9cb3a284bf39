package dev.rampart.data.monitor;

import dev.rampart.data.stats.Robust;
import dev.rampart.data.stats.SymmetricEigen;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How the reference's continuous features move together, for multivariate drift: a PCA of the standardised features
 * that keeps {@value #VARIANCE_KEPT} of their variance, and the reconstruction error the reference itself shows. A
 * window whose mean error leaves the reference band has changed how its features relate to each other, which no
 * per-feature test can see (a broken join that pairs rows wrongly, a sensor swapped for another, inputs crafted one
 * feature at a time).
 *
 * <p>The band is measured out of sample: the error of each reference row comes from a PCA fitted on the other half of
 * the reference, so the overfit of a PCA to its own rows does not make fresh data look drifted.
 *
 * @param features the continuous features, in the order of {@link #means}, {@link #scales} and the components' axes
 * @param components unit principal axes, largest variance first
 * @param explained the share of standardised variance the components keep
 * @param chunkRows rows per reference chunk
 * @param chunkMean mean of the chunks' mean errors
 * @param chunkStd standard deviation of the chunks' mean errors
 * @param rowStd standard deviation of single rows' errors
 * @param rows reference rows
 */
public record ReconstructionProfile(
    List<String> features,
    double[] means,
    double[] scales,
    double[][] components,
    double explained,
    int chunkRows,
    double chunkMean,
    double chunkStd,
    double rowStd,
    long rows) {

  static final double VARIANCE_KEPT = 0.65;
  static final int MIN_ROWS = 100;
  static final int MAX_FEATURES = 256;

  public ReconstructionProfile {
    features = List.copyOf(features);
  }

  /**
   * Fits the profile, or explains in {@code why} why there is nothing to watch: too few rows or features, or features
   * so independent that keeping {@value #VARIANCE_KEPT} of the variance needs every axis.
   *
   * @param sketches the continuous features' sketches, whose mean and standard deviation standardise them
   * @param columns their values, in the same order
   */
  static Optional<ReconstructionProfile> fit(
      List<FeatureProfile.Numeric> sketches, List<double[]> columns, int chunks, List<String> why) {
    var kept = new ArrayList<Integer>();
    for (int j = 0; j < sketches.size() && kept.size() < MAX_FEATURES; j++) {
      if (sketches.get(j).std() > 0) {
        kept.add(j);
      }
    }
    int d = kept.size();
    int n = columns.isEmpty() ? 0 : columns.get(0).length;
    if (d < 2 || n < MIN_ROWS) {
      why.add("multivariate drift is not watched: it needs at least 2 varying continuous features and " + MIN_ROWS
          + " rows (found " + d + " and " + n + ")");
      return Optional.empty();
    }
    var featureNames = new ArrayList<String>();
    double[] means = new double[d];
    double[] scales = new double[d];
    double[][] z = new double[n][d];
    for (int c = 0; c < d; c++) {
      var sketch = sketches.get(kept.get(c));
      double[] v = columns.get(kept.get(c));
      featureNames.add(sketch.name());
      means[c] = sketch.mean();
      scales[c] = sketch.std();
      for (int r = 0; r < n; r++) {
        z[r][c] = Double.isFinite(v[r]) ? (v[r] - means[c]) / scales[c] : 0;
      }
    }
    double[][] all = axes(z, 0, 1);
    if (all.length >= d) {
      why.add("multivariate drift is not watched: the " + d + " continuous features are nearly independent, so "
          + "keeping " + Math.round(VARIANCE_KEPT * 100) + " % of their variance needs every axis");
      return Optional.empty();
    }
    // out-of-sample errors: each half is reconstructed by the axes of the other, with as many axes as the whole
    double[][] even = axes(z, 0, 2, all.length);
    double[][] odd = axes(z, 1, 2, all.length);
    double[] errors = new double[n];
    for (int r = 0; r < n; r++) {
      errors[r] = error(z[r], r % 2 == 0 ? odd : even, null);
    }
    int chunkRows = n / chunks;
    double[] chunkMeans = new double[chunks];
    for (int c = 0; c < chunks; c++) {
      double s = 0;
      for (int r = c * chunkRows; r < (c + 1) * chunkRows; r++) {
        s += errors[r];
      }
      chunkMeans[c] = s / chunkRows;
    }
    double[] chunkSpread = Robust.meanAndStd(chunkMeans);
    return Optional.of(new ReconstructionProfile(featureNames, means, scales, all, explained(z, all), chunkRows,
        chunkSpread[0], chunkSpread[1], Robust.meanAndStd(errors)[1], n));
  }

  /**
   * The reconstruction error of one event, its features in {@link #features} order; a missing value counts as the
   * reference mean.
   */
  public double error(double[] x) {
    return error(x, null);
  }

  /** As {@link #error(double[])}, adding each feature's squared residual to {@code residuals} when not null. */
  double error(double[] x, double[] residuals) {
    double[] z = new double[x.length];
    for (int c = 0; c < x.length; c++) {
      z[c] = Double.isFinite(x[c]) ? (x[c] - means[c]) / scales[c] : 0;
    }
    return error(z, components, residuals);
  }

  /** How far a window of {@code n} events may move the mean error by chance: 1 standard deviation. */
  public double band(int n) {
    double window = Math.max(chunkStd * Math.sqrt(chunkRows / (double) n), rowStd / Math.sqrt(n));
    double reference = rowStd / Math.sqrt(Math.max(1, rows));
    return Math.sqrt(window * window + reference * reference);
  }

  /** Checks a profile read from a file or a client: shapes agree and every number is usable. */
  void validate() {
    int d = features.size();
    boolean ok = d >= 2 && d <= MAX_FEATURES && means != null && scales != null && components != null
        && means.length == d && scales.length == d && components.length >= 1 && components.length < d
        && chunkRows >= 1 && rows >= MIN_ROWS && Double.isFinite(chunkMean) && Double.isFinite(chunkStd)
        && Double.isFinite(rowStd) && chunkStd >= 0 && rowStd >= 0;
    for (int c = 0; ok && c < d; c++) {
      ok = Double.isFinite(means[c]) && Double.isFinite(scales[c]) && scales[c] > 0;
    }
    for (int k = 0; ok && k < components.length; k++) {
      ok = components[k] != null && components[k].length == d
          && java.util.Arrays.stream(components[k]).allMatch(Double::isFinite);
    }
    if (!ok) {
      throw new IllegalArgumentException("its reconstruction section is inconsistent (features, means, scales and "
          + "components must agree, with finite numbers)");
    }
  }

  private static double error(double[] z, double[][] axes, double[] residuals) {
    double[] residual = z.clone();
    for (double[] axis : axes) {
      double p = 0;
      for (int c = 0; c < z.length; c++) {
        p += axis[c] * z[c];
      }
      for (int c = 0; c < z.length; c++) {
        residual[c] -= p * axis[c];
      }
    }
    double s = 0;
    for (int c = 0; c < residual.length; c++) {
      s += residual[c] * residual[c];
      if (residuals != null) {
        residuals[c] += residual[c] * residual[c];
      }
    }
    return Math.sqrt(s);
  }

  /** The principal axes of rows {@code from, from + step, ...} that keep {@link #VARIANCE_KEPT} of the variance. */
  private static double[][] axes(double[][] z, int from, int step) {
    return axes(z, from, step, -1);
  }

  private static double[][] axes(double[][] z, int from, int step, int count) {
    int d = z[0].length;
    double[][] cov = new double[d][d];
    int m = 0;
    for (int r = from; r < z.length; r += step, m++) {
      double[] row = z[r];
      for (int i = 0; i < d; i++) {
        for (int j = 0; j <= i; j++) {
          cov[i][j] += row[i] * row[j];
        }
      }
    }
    for (int i = 0; i < d; i++) {
      for (int j = 0; j <= i; j++) {
        cov[i][j] /= Math.max(1, m);
        cov[j][i] = cov[i][j];
      }
    }
    var eigen = SymmetricEigen.of(cov);
    double total = java.util.Arrays.stream(eigen.values()).map(v -> Math.max(0, v)).sum();
    int k = count;
    if (k < 0) {
      double cumulative = 0;
      k = 0;
      while (k < d && cumulative < VARIANCE_KEPT * total) {
        cumulative += Math.max(0, eigen.values()[k++]);
      }
    }
    return java.util.Arrays.copyOf(eigen.vectors(), k);
  }

  private static double explained(double[][] z, double[][] axes) {
    double total = 0;
    double kept = 0;
    for (double[] row : z) {
      for (double v : row) {
        total += v * v;
      }
      for (double[] axis : axes) {
        double p = 0;
        for (int c = 0; c < row.length; c++) {
          p += axis[c] * row[c];
        }
        kept += p * p;
      }
    }
    return total == 0 ? 0 : kept / total;
  }
}

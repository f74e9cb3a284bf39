package dev.rampart.data.stats;

/**
 * Distances between two distributions given as counts over the same bins. PSI fills empty bins with a small
 * probability so that a bin present on one side only gives a large but finite value; Jensen-Shannon uses raw
 * proportions and is bounded by 1 (base 2).
 */
public final class Divergence {
  static final double EMPTY_BIN = 1e-4;

  private Divergence() {}

  /** Population stability index of {@code current} against {@code reference}. */
  public static double psi(long[] reference, long[] current) {
    double nr = sum(reference);
    double nc = sum(current);
    double psi = 0;
    for (int i = 0; i < reference.length; i++) {
      double r = Math.max(reference[i] / nr, EMPTY_BIN);
      double c = Math.max(current[i] / nc, EMPTY_BIN);
      psi += (c - r) * Math.log(c / r);
    }
    return psi;
  }

  /** Jensen-Shannon distance (the square root of the divergence), base 2, in [0, 1]. */
  public static double jensenShannon(long[] reference, long[] current) {
    double nr = sum(reference);
    double nc = sum(current);
    double js = 0;
    for (int i = 0; i < reference.length; i++) {
      double p = reference[i] / nr;
      double q = current[i] / nc;
      double m = (p + q) / 2;
      if (p > 0) {
        js += 0.5 * p * Math.log(p / m);
      }
      if (q > 0) {
        js += 0.5 * q * Math.log(q / m);
      }
    }
    return Math.sqrt(Math.max(0, js / Math.log(2)));
  }

  /** Wasserstein-1 distance between two samples, given sorted. */
  public static double wasserstein(double[] a, double[] b) {
    // The integral of |F_a - F_b| over the merged support.
    int i = 0;
    int j = 0;
    double distance = 0;
    double previous = Math.min(a[0], b[0]);
    while (i < a.length || j < b.length) {
      double next;
      if (j >= b.length || (i < a.length && a[i] <= b[j])) {
        next = a[i];
      } else {
        next = b[j];
      }
      distance += Math.abs(i / (double) a.length - j / (double) b.length) * (next - previous);
      previous = next;
      while (i < a.length && a[i] == next) {
        i++;
      }
      while (j < b.length && b[j] == next) {
        j++;
      }
    }
    return distance;
  }

  private static double sum(long[] counts) {
    double s = 0;
    for (long c : counts) {
      s += c;
    }
    return Math.max(1, s);
  }
}

package dev.rampart.data.stats;

/** Wilson score intervals for a binomial proportion. */
public final class Wilson {
  private static final double Z95 = 1.959963984540054;

  private Wilson() {}

  /** The lower end of the 95 % interval for {@code successes} out of {@code trials}. */
  public static double lower(long successes, long trials) {
    if (trials == 0) {
      return 0;
    }
    double p = successes / (double) trials;
    double z2 = Z95 * Z95;
    double centre = p + z2 / (2 * trials);
    double margin = Z95 * Math.sqrt(p * (1 - p) / trials + z2 / (4.0 * trials * trials));
    return Math.max(0, (centre - margin) / (1 + z2 / trials));
  }
}

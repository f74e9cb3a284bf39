package dev.rampart.core.stats;

/** Wilson score intervals for a binomial proportion: honest at small counts and at shares near 0 or 1. */
public final class Wilson {
  private static final double Z95 = 1.959963984540054;

  private Wilson() {}

  /** The lower end of the 95 % interval for {@code successes} out of {@code trials}; 0 with no trials. */
  public static double lower(long successes, long trials) {
    return trials == 0 ? 0 : Math.max(0, centre(successes, trials) - margin(successes, trials));
  }

  /** The upper end of the 95 % interval for {@code successes} out of {@code trials}; 1 with no trials. */
  public static double upper(long successes, long trials) {
    return trials == 0 ? 1 : Math.min(1, centre(successes, trials) + margin(successes, trials));
  }

  private static double centre(long successes, long trials) {
    double z2 = Z95 * Z95;
    return (successes / (double) trials + z2 / (2 * trials)) / (1 + z2 / trials);
  }

  private static double margin(long successes, long trials) {
    double p = successes / (double) trials;
    double z2 = Z95 * Z95;
    return Z95 * Math.sqrt(p * (1 - p) / trials + z2 / (4.0 * trials * trials)) / (1 + z2 / trials);
  }
}

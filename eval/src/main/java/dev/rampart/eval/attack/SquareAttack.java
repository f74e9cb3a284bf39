package dev.rampart.eval.attack;

import dev.rampart.eval.runner.ModelException;
import java.util.SplittableRandom;

/**
 * Square Attack, L-inf (Andriushchenko et al., arXiv 1912.00049): score-based random search on the margin loss. It
 * starts from a random corner of the epsilon-box and repeatedly redraws the signs of a random block of features,
 * keeping a change only when it lowers the true class's margin. The block shrinks on the published schedule (p_init =
 * 0.8, halved at fixed fractions of the budget). On tabular data a "square" is a random subset of features.
 */
public final class SquareAttack implements Attack {
  static final double P_INIT = 0.8;
  private static final double[] SCHEDULE = {0.001, 0.005, 0.02, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8};

  @Override
  public String name() {
    return "square-linf";
  }

  @Override
  public float[] run(float[] row, int label, ThreatModel threat, QueryBudget budget, SplittableRandom random)
      throws ModelException {
    int d = row.length;
    float[] best = new float[d];
    for (int j = 0; j < d; j++) {
      best[j] = threat.clip(j, row[j] + (random.nextBoolean() ? 1 : -1) * threat.step(j));
    }
    long total = budget.remaining();
    try {
      float bestMargin = Attack.margin(budget.ask(best), label);
      if (bestMargin < 0) {
        return best;
      }
      float[] candidate = new float[d];
      for (long i = 1; budget.remaining() > 0; i++) {
        int block = Math.max(1, (int) Math.round(fraction(i, total) * d));
        System.arraycopy(best, 0, candidate, 0, d);
        for (int k = 0; k < block; k++) {
          int j = random.nextInt(d);
          candidate[j] = threat.clip(j, row[j] + (random.nextBoolean() ? 1 : -1) * threat.step(j));
        }
        float m = Attack.margin(budget.ask(candidate), label);
        if (m < bestMargin) {
          bestMargin = m;
          System.arraycopy(candidate, 0, best, 0, d);
          if (m < 0) {
            return best;
          }
        }
      }
    } catch (QueryBudget.Exhausted e) {
      return null;
    }
    return null;
  }

  /** The share of features redrawn at iteration {@code i} of a budget of {@code total}. */
  static double fraction(long i, long total) {
    double p = P_INIT;
    double at = i / (double) Math.max(1, total);
    for (double step : SCHEDULE) {
      if (at > step) {
        p /= 2;
      }
    }
    return p;
  }
}

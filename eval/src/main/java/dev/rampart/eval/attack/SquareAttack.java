package dev.rampart.eval.attack;

import dev.rampart.eval.runner.ModelException;
import java.util.SplittableRandom;

/**
 * Square Attack, L-inf (Andriushchenko et al., arXiv 1912.00049): score-based random search on the margin loss. It
 * starts from a random corner of the epsilon-box and repeatedly redraws the signs of a random block of features,
 * keeping a change only when it lowers the true class's margin. The block shrinks on the published schedule (p_init =
 * 0.8, halved at fixed fractions of the budget). On images the block is a square window, redrawn with one sign per
 * channel as in the paper; on tabular data it is a random subset of features.
 */
public final class SquareAttack implements LockstepAttack {
  static final double P_INIT = 0.8;
  private static final double[] SCHEDULE = {0.001, 0.005, 0.02, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8};

  /** {channels, height, width} for images; null for tabular rows. */
  private final int[] image;

  /** For tabular rows. */
  public SquareAttack() {
    this.image = null;
  }

  private SquareAttack(int[] image) {
    this.image = image;
  }

  /** Square windows over the images of {@code space}; tabular spaces get feature subsets. */
  public static SquareAttack forImages(dev.rampart.eval.InputSpace space) {
    return space.image() ? new SquareAttack(new int[] {space.channels(), space.height(), space.width()})
        : new SquareAttack();
  }

  @Override
  public String name() {
    return "square-linf";
  }

  /** Every row advances one step per round, and a round is one batched query: the same steps as row by row. */
  @Override
  public float[][] runAll(float[][] rows, int[] labels, ThreatModel threat, QueryBudget[] budgets,
      SplittableRandom[] randoms) throws ModelException {
    int n = rows.length;
    float[][] best = new float[n][];
    float[] bestMargin = new float[n];
    long[] total = new long[n];
    long[] step = new long[n];
    for (int i = 0; i < n; i++) {
      best[i] = threat.randomCorner(rows[i], randoms[i]);
      total[i] = budgets[i].remaining();
      bestMargin[i] = Float.POSITIVE_INFINITY;
    }
    boolean[] started = new boolean[n];
    return LockstepAttack.rounds(budgets, i -> {
      float[] candidate = best[i].clone();
      if (!started[i]) {
        started[i] = true;
      } else if (image == null) {
        redrawFeatures(rows[i], candidate, fraction(++step[i], total[i]), threat, randoms[i]);
      } else {
        redrawWindow(rows[i], candidate, fraction(++step[i], total[i]), threat, randoms[i]);
      }
      return candidate;
    }, (i, candidate, answer) -> {
      float m = Attack.margin(answer, labels[i]);
      if (m < bestMargin[i]) {
        bestMargin[i] = m;
        best[i] = candidate;
      }
      return m < 0;
    });
  }

  private static void redrawFeatures(float[] row, float[] candidate, double p, ThreatModel threat,
      SplittableRandom random) {
    int block = Math.max(1, (int) Math.round(p * row.length));
    for (int k = 0; k < block; k++) {
      int j = random.nextInt(row.length);
      candidate[j] = threat.corner(j, row[j], random);
    }
  }

  private void redrawWindow(float[] row, float[] candidate, double p, ThreatModel threat, SplittableRandom random) {
    int h = image[1];
    int w = image[2];
    int side = Math.max(1, Math.min(Math.min(h, w), (int) Math.round(Math.sqrt(p * h * w))));
    int top = random.nextInt(h - side + 1);
    int left = random.nextInt(w - side + 1);
    for (int c = 0; c < image[0]; c++) {
      int sign = random.nextBoolean() ? 1 : -1;
      for (int r = top; r < top + side; r++) {
        for (int col = left; col < left + side; col++) {
          int j = c * h * w + r * w + col;
          candidate[j] = threat.clip(j, row[j] + sign * threat.step(j));
        }
      }
    }
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

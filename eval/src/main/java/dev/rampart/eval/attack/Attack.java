package dev.rampart.eval.attack;

import dev.rampart.eval.runner.ModelException;
import java.util.SplittableRandom;

/** A black-box evasion attack on one correctly classified row, within a threat model and a query budget. */
public interface Attack {
  /** The attack's name in reports, such as {@code square-linf}. */
  String name();

  /** Whether the attack reads the model's gradients (white-box) rather than only its answers. */
  default boolean whiteBox() {
    return false;
  }

  /**
   * @return the adversarial row if the attack made the model misclassify it, or null; the budget records the queries
   */
  float[] run(float[] row, int label, ThreatModel threat, QueryBudget budget, SplittableRandom random)
      throws ModelException;

  /**
   * The attack on many rows, each with its own budget and random stream; the result for row i is what
   * {@link #run} would give for it alone. Attacks that can advance rows in lockstep override this to batch queries.
   */
  default float[][] runAll(float[][] rows, int[] labels, ThreatModel threat, QueryBudget[] budgets,
      SplittableRandom[] randoms) throws ModelException {
    float[][] out = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      out[i] = run(rows[i], labels[i], threat, budgets[i], randoms[i]);
    }
    return out;
  }

  /** The margin of the true class: positive while the model is right. */
  static float margin(float[] p, int label) {
    float other = Float.NEGATIVE_INFINITY;
    for (int k = 0; k < p.length; k++) {
      if (k != label) {
        other = Math.max(other, p[k]);
      }
    }
    return p[label] - other;
  }
}

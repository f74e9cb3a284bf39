package dev.rampart.eval.attack;

import dev.rampart.eval.runner.ModelException;
import java.util.SplittableRandom;

/** A black-box evasion attack on one correctly classified row, within a threat model and a query budget. */
public interface Attack {
  /** The attack's name in reports, such as {@code square-linf}. */
  String name();

  /**
   * @return the adversarial row if the attack made the model misclassify it, or null; the budget records the queries
   */
  float[] run(float[] row, int label, ThreatModel threat, QueryBudget budget, SplittableRandom random)
      throws ModelException;

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

package dev.rampart.eval.attack;

import dev.rampart.eval.runner.ModelException;
import java.util.SplittableRandom;

/**
 * The baseline every attack must beat: random corners of the epsilon-box, queried until one fools the model or the
 * budget runs out. A model that random noise already breaks needs no clever attack to be called fragile.
 */
public final class NoiseBaseline implements Attack {
  @Override
  public String name() {
    return "random-noise";
  }

  @Override
  public float[] run(float[] row, int label, ThreatModel threat, QueryBudget budget, SplittableRandom random)
      throws ModelException {
    float[] x = new float[row.length];
    try {
      while (budget.remaining() > 0) {
        for (int j = 0; j < row.length; j++) {
          x[j] = threat.clip(j, row[j] + (random.nextBoolean() ? 1 : -1) * threat.step(j));
        }
        if (Attack.margin(budget.ask(x), label) < 0) {
          return x;
        }
      }
    } catch (QueryBudget.Exhausted e) {
      return null;
    }
    return null;
  }
}

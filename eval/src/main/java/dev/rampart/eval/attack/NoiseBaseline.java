package dev.rampart.eval.attack;

import dev.rampart.eval.runner.ModelException;
import java.util.SplittableRandom;

/**
 * The baseline every attack must beat: random corners of the epsilon-box, queried until one fools the model or the
 * budget runs out. A model that random noise already breaks needs no clever attack to be called fragile.
 */
public final class NoiseBaseline implements LockstepAttack {
  @Override
  public String name() {
    return "random-noise";
  }

  /** One fresh corner for every row still standing, per round. */
  @Override
  public float[][] runAll(float[][] rows, int[] labels, ThreatModel threat, QueryBudget[] budgets,
      SplittableRandom[] randoms) throws ModelException {
    return LockstepAttack.rounds(budgets, i -> threat.randomCorner(rows[i], randoms[i]),
        (i, corner, answer) -> Attack.margin(answer, labels[i]) < 0);
  }
}

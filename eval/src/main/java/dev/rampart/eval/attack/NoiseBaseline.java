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
    return runAll(new float[][] {row}, new int[] {label}, threat, new QueryBudget[] {budget},
        new SplittableRandom[] {random})[0];
  }

  /** One batched query per round, one fresh corner for every row still standing. */
  @Override
  public float[][] runAll(float[][] rows, int[] labels, ThreatModel threat, QueryBudget[] budgets,
      SplittableRandom[] randoms) throws ModelException {
    float[][] found = new float[rows.length][];
    while (true) {
      int[] active = java.util.stream.IntStream.range(0, rows.length)
          .filter(i -> found[i] == null && budgets[i].remaining() > 0).toArray();
      if (active.length == 0) {
        return found;
      }
      float[][] corners = new float[active.length][];
      QueryBudget[] asked = new QueryBudget[active.length];
      for (int a = 0; a < active.length; a++) {
        int i = active[a];
        corners[a] = new float[rows[i].length];
        for (int j = 0; j < rows[i].length; j++) {
          corners[a][j] = threat.clip(j, rows[i][j] + (randoms[i].nextBoolean() ? 1 : -1) * threat.step(j));
        }
        asked[a] = budgets[i];
      }
      float[][] answers = QueryBudget.askEach(asked, corners);
      for (int a = 0; a < active.length; a++) {
        if (Attack.margin(answers[a], labels[active[a]]) < 0) {
          found[active[a]] = corners[a];
        }
      }
    }
  }
}

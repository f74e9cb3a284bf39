package dev.rampart.eval.attack;

import dev.rampart.eval.runner.ModelException;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * An attack that advances every row by one query per round, the rows' queries asked as one batch. Each row keeps its
 * own random stream and budget, so a row's result is the same as when it runs alone.
 */
interface LockstepAttack extends Attack {

  @Override
  default float[] run(float[] row, int label, ThreatModel threat, QueryBudget budget, SplittableRandom random)
      throws ModelException {
    return runAll(new float[][] {row}, new int[] {label}, threat, new QueryBudget[] {budget},
        new SplittableRandom[] {random})[0];
  }

  /** Whether a row's candidate, given the model's answer, fools the model (and ends that row's attack). */
  interface Judge {
    boolean fooled(int row, float[] candidate, float[] answer);
  }

  /**
   * Rounds until every row is fooled or out of budget: {@code propose} gives each open row's next candidate, all are
   * asked in one batch, and {@code judge} reads each answer. Returns the fooling candidate per row, or null.
   */
  static float[][] rounds(QueryBudget[] budgets, IntFunction<float[]> propose, Judge judge) throws ModelException {
    float[][] found = new float[budgets.length][];
    while (true) {
      int[] open = IntStream.range(0, budgets.length).filter(i -> found[i] == null && budgets[i].remaining() > 0)
          .toArray();
      if (open.length == 0) {
        return found;
      }
      float[][] candidates = new float[open.length][];
      QueryBudget[] asked = new QueryBudget[open.length];
      for (int a = 0; a < open.length; a++) {
        candidates[a] = propose.apply(open[a]);
        asked[a] = budgets[open[a]];
      }
      float[][] answers = QueryBudget.askEach(asked, candidates);
      for (int a = 0; a < open.length; a++) {
        if (judge.fooled(open[a], candidates[a], answers[a])) {
          found[open[a]] = candidates[a];
        }
      }
    }
  }
}

package dev.rampart.eval.attack;

import dev.rampart.eval.runner.Classifier;
import dev.rampart.eval.runner.ModelException;

/**
 * Access to a classifier that counts every row it is asked about and refuses to answer past the budget, so that an attack's
 * query count is measured by Rampart, not reported by the attack.
 */
public final class QueryBudget {
  private final Classifier model;
  private final long limit;
  private long used;

  /** Thrown when a query would exceed the budget. */
  public static final class Exhausted extends Exception {
    Exhausted(long limit) {
      super("query budget of " + limit + " exhausted");
    }
  }

  public QueryBudget(Classifier model, long limit) {
    this.model = model;
    this.limit = limit;
  }

  /** One row, counted. */
  float[] ask(float[] row) throws ModelException, Exhausted {
    if (used >= limit) {
      throw new Exhausted(limit);
    }
    used++;
    return model.probabilities(new float[][] {row})[0];
  }

  /** Several rows of this budget in one batch; nothing is asked when they do not all fit. */
  float[][] ask(float[][] rows) throws ModelException, Exhausted {
    if (rows.length > limit - used) {
      throw new Exhausted(limit);
    }
    used += rows.length;
    return model.probabilities(rows);
  }

  /**
   * One row for each budget, answered in one batch, for attacks that advance many samples in lockstep. Every budget
   * must have a query left and belong to the same model.
   */
  static float[][] askEach(QueryBudget[] budgets, float[][] rows) throws ModelException {
    if (budgets.length == 0) {
      return new float[0][];
    }
    for (QueryBudget b : budgets) {
      if (b.remaining() <= 0 || b.model != budgets[0].model) {
        throw new IllegalStateException("askEach needs budgets of one model with a query left");
      }
    }
    for (QueryBudget b : budgets) {
      b.used++;
    }
    return budgets[0].model.probabilities(rows);
  }

  public long used() {
    return used;
  }

  public long remaining() {
    return limit - used;
  }
}

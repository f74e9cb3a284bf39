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

  public long used() {
    return used;
  }

  public long remaining() {
    return limit - used;
  }
}

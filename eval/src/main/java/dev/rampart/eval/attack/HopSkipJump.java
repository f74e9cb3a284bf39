package dev.rampart.eval.attack;

import dev.rampart.eval.runner.ModelException;
import java.util.SplittableRandom;

/**
 * HopSkipJump, L-inf (Chen, Jordan and Wainwright, arXiv 1904.02144): a decision-based attack that sees only the
 * predicted label. From a misclassified starting point it walks along the decision boundary towards the original row:
 * a binary search to the boundary, a Monte Carlo estimate of the boundary's normal from label-only queries, a
 * geometric step along the sign of that estimate, and again. Distances are in units of the threat model's scale; the
 * attack succeeds once the boundary point lies inside the epsilon-box. Budgets are small here on purpose: the
 * reference defaults take hours per batch.
 */
public final class HopSkipJump implements Attack {
  static final int INIT_TRIES = 100;
  static final int INITIAL_EVALS = 20;
  static final int MAX_EVALS = 200;
  static final int SEARCH_STEPS = 12;

  @Override
  public String name() {
    return "hopskipjump-linf";
  }

  @Override
  public float[] run(float[] row, int label, ThreatModel threat, QueryBudget budget, SplittableRandom random)
      throws ModelException {
    int d = row.length;
    try {
      float[] adv = start(row, label, threat, budget, random);
      if (adv == null) {
        return null;
      }
      adv = toBoundary(row, adv, label, threat, budget);
      double dist = distance(row, adv, threat);
      double theta = 1.0 / ((double) d * d);
      for (int t = 1; dist > threat.epsilon() && budget.remaining() > 0; t++) {
        double delta = Math.max(d * theta * dist, 1e-6);
        int evals = (int) Math.min(MAX_EVALS, INITIAL_EVALS * Math.sqrt(t));
        double[] grad = estimateGradient(adv, label, threat, budget, random, delta, evals);
        double step = dist / Math.sqrt(t);
        float[] next = null;
        while (step > 1e-6 && budget.remaining() > 0) {
          float[] candidate = new float[d];
          for (int j = 0; j < d; j++) {
            candidate[j] = threat.clip(j, (float) (adv[j] + step * Math.signum(grad[j]) * threat.scale()[j]));
          }
          if (adversarial(candidate, label, budget)) {
            next = candidate;
            break;
          }
          step /= 2;
        }
        if (next == null) {
          break;
        }
        adv = toBoundary(row, next, label, threat, budget);
        dist = distance(row, adv, threat);
      }
      return dist <= threat.epsilon() ? adv : null;
    } catch (QueryBudget.Exhausted e) {
      return null;
    }
  }

  /** A misclassified point: growing random boxes around the row, within the valid range. */
  private static float[] start(float[] row, int label, ThreatModel threat, QueryBudget budget,
      SplittableRandom random) throws ModelException, QueryBudget.Exhausted {
    float[] x = new float[row.length];
    double radius = 1;
    for (int i = 0; i < INIT_TRIES; i++) {
      for (int j = 0; j < row.length; j++) {
        double u = random.nextDouble(-radius, radius);
        x[j] = threat.clip(j, (float) (row[j] + u * threat.scale()[j]));
      }
      if (adversarial(x, label, budget)) {
        return x;
      }
      if (i % 10 == 9) {
        radius *= 2;
      }
    }
    return null;
  }

  /** Binary search on the L-inf projection towards the row, keeping the adversarial side. */
  private static float[] toBoundary(float[] row, float[] adv, int label, ThreatModel threat, QueryBudget budget)
      throws ModelException, QueryBudget.Exhausted {
    double lo = 0;
    double hi = distance(row, adv, threat);
    float[] best = adv;
    for (int s = 0; s < SEARCH_STEPS; s++) {
      double mid = (lo + hi) / 2;
      float[] p = project(row, adv, mid, threat);
      if (adversarial(p, label, budget)) {
        hi = mid;
        best = p;
      } else {
        lo = mid;
      }
    }
    return best;
  }

  private static double[] estimateGradient(float[] at, int label, ThreatModel threat, QueryBudget budget,
      SplittableRandom random, double delta, int evals) throws ModelException, QueryBudget.Exhausted {
    int d = at.length;
    double[][] u = new double[evals][d];
    double[] phi = new double[evals];
    float[][] probes = new float[evals][d];
    for (int b = 0; b < evals; b++) {
      double norm = 0;
      for (int j = 0; j < d; j++) {
        u[b][j] = random.nextDouble(-1, 1);
        norm = Math.max(norm, Math.abs(u[b][j]));
      }
      for (int j = 0; j < d; j++) {
        u[b][j] /= norm;
        probes[b][j] = threat.clip(j, (float) (at[j] + delta * u[b][j] * threat.scale()[j]));
      }
    }
    float[][] answers = budget.ask(probes);
    double mean = 0;
    for (int b = 0; b < evals; b++) {
      phi[b] = Attack.margin(answers[b], label) < 0 ? 1 : -1;
      mean += phi[b];
    }
    mean /= evals;
    double[] grad = new double[d];
    for (int b = 0; b < evals; b++) {
      double w = Math.abs(mean) == 1 ? phi[b] : phi[b] - mean;
      for (int j = 0; j < d; j++) {
        grad[j] += w * u[b][j] / evals;
      }
    }
    return grad;
  }

  private static float[] project(float[] row, float[] adv, double radius, ThreatModel threat) {
    float[] p = new float[row.length];
    for (int j = 0; j < row.length; j++) {
      float r = (float) (radius * threat.scale()[j]);
      p[j] = threat.clip(j, Math.max(row[j] - r, Math.min(row[j] + r, adv[j])));
    }
    return p;
  }

  /** L-inf distance in units of the threat model's scale. */
  static double distance(float[] row, float[] x, ThreatModel threat) {
    double d = 0;
    for (int j = 0; j < row.length; j++) {
      float s = threat.scale()[j];
      if (s > 0) {
        d = Math.max(d, Math.abs(x[j] - row[j]) / s);
      }
    }
    return d;
  }

  private static boolean adversarial(float[] x, int label, QueryBudget budget)
      throws ModelException, QueryBudget.Exhausted {
    return Attack.margin(budget.ask(x), label) < 0;
  }
}

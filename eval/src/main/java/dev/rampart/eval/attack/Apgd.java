package dev.rampart.eval.attack;

import dev.rampart.eval.grad.GraphModel;
import dev.rampart.eval.grad.UnsupportedGraph;
import dev.rampart.eval.runner.Classifier;
import dev.rampart.eval.runner.ModelException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * APGD-CE, L-inf (Croce and Hein, arXiv 2003.01690): white-box projected gradient ascent on the cross-entropy with
 * momentum (alpha 0.75) and a step size that starts at 2·epsilon and halves at the published checkpoints
 * (p_0 = 0, p_1 = 0.22, p_{j+1} = p_j + max(p_j - p_{j-1} - 0.03, 0.06)) whenever fewer than 75 % of the steps since
 * the last checkpoint raised the loss, or neither the step nor the best loss changed; a halving restarts from the best
 * point. Each restart begins at a random point of the epsilon-box. Gradients come from Rampart's own reverse pass
 * ({@link GraphModel}); a candidate counts only after the deployed model (ONNX Runtime, through the query budget)
 * misclassifies it, one query per candidate.
 */
public final class Apgd implements Attack {
  static final double ALPHA = 0.75;
  static final double RHO = 0.75;

  private final GraphModel model;
  private final int iterations;
  private final int restarts;

  public Apgd(GraphModel model, int iterations, int restarts) {
    if (iterations < 2 || restarts < 1) {
      throw new IllegalArgumentException("APGD needs at least 2 iterations and 1 restart");
    }
    this.model = model;
    this.iterations = iterations;
    this.restarts = restarts;
  }

  @Override
  public String name() {
    return "apgd-ce";
  }

  @Override
  public boolean whiteBox() {
    return true;
  }

  @Override
  public float[] run(float[] row, int label, ThreatModel threat, QueryBudget budget, SplittableRandom random)
      throws ModelException {
    return runAll(new float[][] {row}, new int[] {label}, threat, new QueryBudget[] {budget},
        new SplittableRandom[] {random})[0];
  }

  /** All rows advance together, one batched forward and reverse pass per iteration; broken rows drop out. */
  @Override
  public float[][] runAll(float[][] rows, int[] labels, ThreatModel threat, QueryBudget[] budgets,
      SplittableRandom[] randoms) throws ModelException {
    float[][] found = new float[rows.length][];
    try {
      for (int r = 0; r < restarts; r++) {
        var open = new ArrayList<Integer>();
        for (int i = 0; i < rows.length; i++) {
          if (found[i] == null && budgets[i].remaining() > 0) {
            open.add(i);
          }
        }
        if (open.isEmpty()) {
          break;
        }
        float[][] candidates = restart(open, rows, labels, threat, randoms);
        // the deployed model decides: one query per candidate
        var asked = new ArrayList<Integer>();
        for (int a = 0; a < open.size(); a++) {
          if (candidates[a] != null) {
            asked.add(a);
          }
        }
        if (asked.isEmpty()) {
          continue;
        }
        QueryBudget[] b = new QueryBudget[asked.size()];
        float[][] x = new float[asked.size()][];
        for (int k = 0; k < asked.size(); k++) {
          b[k] = budgets[open.get(asked.get(k))];
          x[k] = candidates[asked.get(k)];
        }
        float[][] answers = QueryBudget.askEach(b, x);
        for (int k = 0; k < asked.size(); k++) {
          int i = open.get(asked.get(k));
          if (Attack.margin(answers[k], labels[i]) < 0) {
            found[i] = x[k];
          }
        }
      }
    } catch (UnsupportedGraph | RuntimeException e) {
      // the forward pass was checked on these shapes; failing now is refused, never read as robustness
      throw new ModelException.BadOutput("Rampart's gradients failed on this batch: " + e.getMessage());
    }
    return found;
  }

  /** One APGD run over the open rows; per row the first misclassified iterate, or the best-loss point. */
  private float[][] restart(List<Integer> open, float[][] rows, int[] labels, ThreatModel threat,
      SplittableRandom[] randoms) throws UnsupportedGraph {
    int n = open.size();
    int d = rows[open.get(0)].length;
    float[][] origin = new float[n][];
    int[] y = new int[n];
    float[][] x = new float[n][];
    for (int a = 0; a < n; a++) {
      int i = open.get(a);
      origin[a] = rows[i];
      y[a] = labels[i];
      x[a] = new float[d];
      for (int j = 0; j < d; j++) {
        x[a][j] = project(threat, origin[a], j, rows[i][j] + (float) (randoms[i].nextDouble(-1, 1) * threat.step(j)));
      }
    }
    int[] checkpoints = checkpoints(iterations);
    double[] eta = new double[n];
    java.util.Arrays.fill(eta, 2.0);
    float[][] best = new float[n][];
    float[][] bestGrad = new float[n][];
    float[] bestLoss = new float[n];
    float[][] adversarial = new float[n][];
    float[][] previous = new float[n][];
    float[] lastLoss = new float[n];
    int[] increases = new int[n];
    float[] bestAtCheckpoint = new float[n];
    double[] etaAtCheckpoint = new double[n];
    boolean[] active = new boolean[n];
    java.util.Arrays.fill(active, true);

    var g = model.gradient(x, y);
    float[][] grad = g.input();
    for (int a = 0; a < n; a++) {
      best[a] = x[a];
      bestGrad[a] = grad[a];
      bestLoss[a] = g.loss()[a];
      lastLoss[a] = g.loss()[a];
      bestAtCheckpoint[a] = bestLoss[a];
      etaAtCheckpoint[a] = eta[a];
      previous[a] = x[a];
      if (misclassified(g.logits()[a], y[a])) {
        adversarial[a] = x[a];
        active[a] = false;
      }
    }
    int next = 1;
    for (int k = 0; k < iterations; k++) {
      int[] idx = java.util.stream.IntStream.range(0, n).filter(a -> active[a]).toArray();
      if (idx.length == 0) {
        break;
      }
      float[][] step = new float[idx.length][];
      for (int t = 0; t < idx.length; t++) {
        int a = idx[t];
        float[] z = new float[d];
        float[] moved = new float[d];
        double alpha = k == 0 ? 1 : ALPHA;
        for (int j = 0; j < d; j++) {
          z[j] = project(threat, origin[a], j, x[a][j] + (float) (eta[a] * threat.step(j) * Math.signum(grad[a][j])));
          moved[j] = project(threat, origin[a], j,
              (float) (x[a][j] + alpha * (z[j] - x[a][j]) + (1 - alpha) * (x[a][j] - previous[a][j])));
        }
        step[t] = moved;
      }
      int[] yy = new int[idx.length];
      for (int t = 0; t < idx.length; t++) {
        yy[t] = y[idx[t]];
      }
      var h = model.gradient(step, yy);
      for (int t = 0; t < idx.length; t++) {
        int a = idx[t];
        previous[a] = x[a];
        x[a] = step[t];
        grad[a] = h.input()[t];
        float loss = h.loss()[t];
        if (loss > lastLoss[a]) {
          increases[a]++;
        }
        lastLoss[a] = loss;
        if (loss > bestLoss[a]) {
          bestLoss[a] = loss;
          best[a] = x[a];
          bestGrad[a] = grad[a];
        }
        if (misclassified(h.logits()[t], y[a])) {
          adversarial[a] = x[a];
          active[a] = false;
        }
      }
      if (next < checkpoints.length && k + 1 == checkpoints[next]) {
        int since = checkpoints[next] - checkpoints[next - 1];
        for (int a : idx) {
          boolean fewGains = increases[a] < RHO * since;
          boolean stalled = etaAtCheckpoint[a] == eta[a] && bestAtCheckpoint[a] == bestLoss[a];
          if (fewGains || stalled) {
            eta[a] /= 2;
            x[a] = best[a];
            previous[a] = best[a];
            grad[a] = bestGrad[a];
          }
          increases[a] = 0;
          bestAtCheckpoint[a] = bestLoss[a];
          etaAtCheckpoint[a] = eta[a];
        }
        next++;
      }
    }
    float[][] out = new float[n][];
    for (int a = 0; a < n; a++) {
      out[a] = adversarial[a] != null ? adversarial[a] : best[a];
    }
    return out;
  }

  private static boolean misclassified(float[] logits, int label) {
    return Classifier.argmax(logits) != label;
  }

  /** Into the epsilon-interval around the original value and the valid range. */
  private static float project(ThreatModel threat, float[] origin, int j, float v) {
    float s = threat.step(j);
    return threat.clip(j, Math.max(origin[j] - s, Math.min(origin[j] + s, v)));
  }

  /** The iterations at which the step size is reviewed: ceil(p_j · N) for the published p_j. */
  static int[] checkpoints(int iterations) {
    var out = new ArrayList<Integer>();
    double previous = 0;
    double current = 0.22;
    out.add(0);
    while (current < 1) {
      int at = (int) Math.ceil(current * iterations);
      if (at > out.get(out.size() - 1)) {
        out.add(at);
      }
      double following = current + Math.max(current - previous - 0.03, 0.06);
      previous = current;
      current = following;
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }
}

package dev.rampart.eval.backdoor;

import dev.rampart.eval.grad.GraphModel;
import dev.rampart.eval.grad.UnsupportedGraph;
import dev.rampart.eval.runner.Classifier;
import dev.rampart.eval.runner.ModelException;
import java.util.SplittableRandom;

/**
 * Where the gradient of the cross-entropy towards the target class, by the trigger's free parameters, comes from:
 * Rampart's own reverse pass over the ONNX graph, or an estimate from the model's scores alone (NES with antithetic
 * Gaussian directions, Ilyas et al. 2018) for graphs Rampart cannot differentiate.
 */
sealed interface TriggerGradient {

  /** The mean loss, the share of non-target rows the trigger already sends to the target, and the gradients. */
  record Step(double loss, double success, float[] byMask, float[] byPattern) {}

  Step step(TriggerParameters theta, float[][] rows, int[] labels, int target) throws ModelException;

  /** Rows of the model's inputs evaluated so far, for the report. */
  long queries();

  String method();

  final class Rampart implements TriggerGradient {
    private final GraphModel model;
    private long queries;

    Rampart(GraphModel model) {
      this.model = model;
    }

    @Override
    public Step step(TriggerParameters theta, float[][] rows, int[] labels, int target) throws ModelException {
      var trigger = theta.trigger();
      float[][] stamped = new float[rows.length][];
      int[] targets = new int[rows.length];
      for (int i = 0; i < rows.length; i++) {
        stamped[i] = trigger.stamp(rows[i]);
        targets[i] = target;
      }
      GraphModel.Gradient g;
      try {
        g = model.gradient(stamped, targets);
      } catch (UnsupportedGraph e) {
        throw new ModelException.Unsupported("Rampart's gradient pass failed: " + e.getMessage(), e);
      }
      queries += rows.length;
      int positions = trigger.positions();
      float[] dm = new float[positions];
      float[] dp = new float[trigger.pattern().length];
      double loss = 0;
      for (int i = 0; i < rows.length; i++) {
        loss += g.loss()[i];
        for (int j = 0; j < dp.length; j++) {
          int s = j % positions;
          float gij = g.input()[i][j] / rows.length;
          dm[s] += gij * (trigger.pattern()[j] - rows[i][j]);
          dp[j] += gij * trigger.mask()[s];
        }
      }
      return new Step(loss / rows.length, TriggerInversion.success(g.logits(), labels, target),
          theta.byA(dm), theta.byB(dp));
    }

    @Override
    public long queries() {
      return queries;
    }

    @Override
    public String method() {
      return "gradient";
    }
  }

  /** Every step asks the model for {@code 2 * directions + 1} stamped copies of the rows, in one batch. */
  final class Estimated implements TriggerGradient {
    static final int BATCH_VALUES = 1 << 22;
    private final Classifier model;
    private final int directions;
    private final double sigma;
    private final SplittableRandom random;
    private long queries;

    Estimated(Classifier model, int directions, double sigma, long seed) {
      this.model = model;
      this.directions = directions;
      this.sigma = sigma;
      this.random = new SplittableRandom(seed);
    }

    @Override
    public Step step(TriggerParameters theta, float[][] rows, int[] labels, int target) throws ModelException {
      int na = theta.a().length;
      int nb = theta.b().length;
      float[][] noise = new float[directions][na + nb];
      var probes = new TriggerParameters[2 * directions + 1];
      probes[0] = theta;
      for (int k = 0; k < directions; k++) {
        for (int j = 0; j < na + nb; j++) {
          noise[k][j] = (float) gaussian();
        }
        probes[1 + 2 * k] = theta.moved(noise[k], sigma);
        probes[2 + 2 * k] = theta.moved(noise[k], -sigma);
      }
      float[][] p = new float[probes.length * rows.length][];
      int width = rows.length == 0 ? 1 : Math.max(1, rows[0].length);
      // as many stamped copies per call as fit in BATCH_VALUES: large images go a few probes at a time
      int perCall = Math.max(1, BATCH_VALUES / Math.max(1, rows.length * width));
      for (int first = 0; first < probes.length; first += perCall) {
        int last = Math.min(probes.length, first + perCall);
        float[][] batch = new float[(last - first) * rows.length][];
        for (int q = first; q < last; q++) {
          var trigger = probes[q].trigger();
          for (int i = 0; i < rows.length; i++) {
            batch[(q - first) * rows.length + i] = trigger.stamp(rows[i]);
          }
        }
        float[][] part = model.probabilities(batch);
        System.arraycopy(part, 0, p, first * rows.length, part.length);
        queries += batch.length;
      }
      double[] loss = new double[probes.length];
      for (int q = 0; q < probes.length; q++) {
        for (int i = 0; i < rows.length; i++) {
          loss[q] += -Math.log(Math.max(p[q * rows.length + i][target], 1e-12)) / rows.length;
        }
      }
      float[] grad = new float[na + nb];
      for (int k = 0; k < directions; k++) {
        double w = (loss[1 + 2 * k] - loss[2 + 2 * k]) / (2 * sigma * directions);
        for (int j = 0; j < grad.length; j++) {
          grad[j] += (float) (w * noise[k][j]);
        }
      }
      float[][] current = java.util.Arrays.copyOfRange(p, 0, rows.length);
      return new Step(loss[0], TriggerInversion.success(current, labels, target),
          java.util.Arrays.copyOfRange(grad, 0, na), java.util.Arrays.copyOfRange(grad, na, na + nb));
    }

    private double gaussian() {
      double u = Math.max(random.nextDouble(), 1e-300);
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    @Override
    public long queries() {
      return queries;
    }

    @Override
    public String method() {
      return "score-based estimate (NES)";
    }
  }
}

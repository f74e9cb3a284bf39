package dev.rampart.eval;

import dev.rampart.eval.attack.Attack;
import dev.rampart.eval.attack.QueryBudget;
import dev.rampart.eval.attack.ThreatModel;
import dev.rampart.eval.runner.Classifier;
import dev.rampart.eval.runner.ModelException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Clean accuracy, then black-box evasion at each epsilon, reported the way RobustBench reports: robust accuracy counts
 * a point only if it was classified correctly to begin with and no attack broke it within its query budget. The budget
 * is enforced and counted by Rampart ({@link QueryBudget}); every run is deterministic for a seed.
 */
public final class RobustnessEvaluation {

  /**
   * @param scale per-feature units of epsilon (standard deviations for tabular data, 1 for images)
   * @param lower per-feature lower bounds (the valid input range)
   * @param gradients where the white-box attacks' gradients come from ({@link #RAMPART_GRADIENTS}), or why there are
   *     none and the evaluation is black-box only
   */
  public record Settings(
      List<Double> epsilons, List<Attack> attacks, long budget, long seed, float[] scale, float[] lower,
      float[] upper, String gradients) {
    public Settings {
      epsilons = List.copyOf(epsilons);
      attacks = List.copyOf(attacks);
    }

    /** Black-box attacks only, without a stated reason. */
    public Settings(List<Double> epsilons, List<Attack> attacks, long budget, long seed, float[] scale, float[] lower,
        float[] upper) {
      this(epsilons, attacks, budget, seed, scale, lower, upper,
          attacks.stream().anyMatch(Attack::whiteBox) ? RAMPART_GRADIENTS : "not attempted");
    }
  }

  /** The gradients of white-box attacks are Rampart's own reverse pass over the ONNX graph. */
  public static final String RAMPART_GRADIENTS = "rampart";

  /** One attack at one epsilon. */
  public record AttackResult(
      String attack, boolean whiteBox, double robustAccuracy, double successRate, long medianQueries, long maxQueries,
      long queries) {}

  /**
   * All attacks at one epsilon; {@code robustAccuracy} counts a point robust only if every attack failed, which is at
   * most the figure of the strongest single attack.
   */
  public record EpsilonResult(double epsilon, double robustAccuracy, List<AttackResult> attacks) {
    public EpsilonResult {
      attacks = List.copyOf(attacks);
    }

    /** The single attack that left the fewest points robust (the first listed, on ties). */
    public AttackResult strongest() {
      return attacks.stream().min(java.util.Comparator.comparingDouble(AttackResult::robustAccuracy)).orElseThrow();
    }
  }

  public record Result(int samples, double cleanAccuracy, long budget, long seed, String norm, String gradients,
      List<EpsilonResult> epsilons) {
    public Result {
      epsilons = List.copyOf(epsilons);
    }

    /** The robust accuracy at {@code epsilon}, if it was evaluated. */
    public java.util.OptionalDouble robustAccuracy(double epsilon) {
      return epsilons.stream().filter(e -> Math.abs(e.epsilon() - epsilon) < 1e-12)
          .mapToDouble(EpsilonResult::robustAccuracy).findFirst();
    }
  }

  private RobustnessEvaluation() {}

  public static Result run(Classifier model, float[][] rows, int[] labels, Settings settings) throws ModelException {
    float[][] p = model.probabilities(rows);
    boolean[] correct = new boolean[rows.length];
    int right = 0;
    for (int i = 0; i < rows.length; i++) {
      correct[i] = Attack.margin(p[i], labels[i]) > 0;
      right += correct[i] ? 1 : 0;
    }
    var results = new ArrayList<EpsilonResult>();
    for (double eps : settings.epsilons()) {
      var threat = new ThreatModel(eps, settings.scale(), settings.lower(), settings.upper());
      boolean[] broken = new boolean[rows.length];
      var perAttack = new ArrayList<AttackResult>();
      for (int a = 0; a < settings.attacks().size(); a++) {
        Attack attack = settings.attacks().get(a);
        var random = new SplittableRandom(settings.seed() * 1_000_003L + a * 7919L + Double.hashCode(eps));
        int[] attacked = java.util.stream.IntStream.range(0, rows.length).filter(i -> correct[i]).toArray();
        float[][] targets = new float[attacked.length][];
        int[] targetLabels = new int[attacked.length];
        var budgets = new QueryBudget[attacked.length];
        var randoms = new SplittableRandom[attacked.length];
        for (int k = 0; k < attacked.length; k++) {
          targets[k] = rows[attacked[k]];
          targetLabels[k] = labels[attacked[k]];
          budgets[k] = new QueryBudget(model, settings.budget());
          randoms[k] = random.split();
        }
        float[][] adversarial = attack.runAll(targets, targetLabels, threat, budgets, randoms);
        int successes = 0;
        long total = 0;
        var successQueries = new ArrayList<Long>();
        for (int k = 0; k < attacked.length; k++) {
          total += budgets[k].used();
          if (adversarial[k] != null && within(targets[k], adversarial[k], threat)) {
            successes++;
            broken[attacked[k]] = true;
            successQueries.add(budgets[k].used());
          }
        }
        long[] q = successQueries.stream().mapToLong(Long::longValue).sorted().toArray();
        perAttack.add(new AttackResult(attack.name(), attack.whiteBox(), (right - successes) / (double) rows.length,
            right == 0 ? 0 : successes / (double) right, q.length == 0 ? 0 : q[q.length / 2],
            q.length == 0 ? 0 : q[q.length - 1], total));
      }
      int robust = 0;
      for (int i = 0; i < rows.length; i++) {
        robust += correct[i] && !broken[i] ? 1 : 0;
      }
      results.add(new EpsilonResult(eps, robust / (double) rows.length, perAttack));
    }
    return new Result(rows.length, right / (double) rows.length, settings.budget(), settings.seed(), "linf",
        settings.gradients(), results);
  }

  /** An adversarial row counts only inside the threat model: an attack that left the box miscounted. */
  static boolean within(float[] row, float[] adversarial, ThreatModel threat) {
    for (int j = 0; j < row.length; j++) {
      float limit = threat.step(j) * 1.0001f + 1e-6f;
      if (Math.abs(adversarial[j] - row[j]) > limit || adversarial[j] < threat.lower()[j]
          || adversarial[j] > threat.upper()[j]) {
        return false;
      }
    }
    return true;
  }

  /** Per-feature standard deviations (population) of the rows: epsilon's unit on tabular data. */
  public static float[] standardDeviations(float[][] rows) {
    int d = rows.length == 0 ? 0 : rows[0].length;
    float[] out = new float[d];
    for (int j = 0; j < d; j++) {
      double mean = 0;
      for (float[] r : rows) {
        mean += r[j];
      }
      mean /= rows.length;
      double var = 0;
      for (float[] r : rows) {
        var += (r[j] - mean) * (r[j] - mean);
      }
      out[j] = (float) Math.sqrt(var / rows.length);
    }
    return out;
  }

  /** Each feature's minimum and maximum over the rows: the valid range when nothing better is known. */
  public static float[][] observedBounds(float[][] rows) {
    int d = rows.length == 0 ? 0 : rows[0].length;
    float[] lo = new float[d];
    float[] hi = new float[d];
    Arrays.fill(lo, Float.POSITIVE_INFINITY);
    Arrays.fill(hi, Float.NEGATIVE_INFINITY);
    for (float[] r : rows) {
      for (int j = 0; j < d; j++) {
        lo[j] = Math.min(lo[j], r[j]);
        hi[j] = Math.max(hi[j], r[j]);
      }
    }
    return new float[][] {lo, hi};
  }

  /** Bounds that let every value through. */
  public static float[][] unbounded(int d) {
    float[] lo = new float[d];
    float[] hi = new float[d];
    Arrays.fill(lo, Float.NEGATIVE_INFINITY);
    Arrays.fill(hi, Float.POSITIVE_INFINITY);
    return new float[][] {lo, hi};
  }
}

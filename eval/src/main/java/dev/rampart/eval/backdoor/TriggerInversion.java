package dev.rampart.eval.backdoor;

import dev.rampart.eval.InputSpace;
import dev.rampart.eval.grad.GraphModel;
import dev.rampart.eval.runner.Classifier;
import dev.rampart.eval.runner.ModelException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Trigger inversion after Neural Cleanse (Wang et al., IEEE S&amp;P 2019): for every class, the smallest mask and
 * pattern that send the evaluation rows of the other classes to it. A class a backdoor leads to needs a much smaller
 * trigger than the others; its norm is an outlier on the low side by median absolute deviation.
 *
 * <p>The loss is the mean cross-entropy towards the target plus {@code cost} times the mask's L1 norm, minimised by
 * Adam over the unbounded parameters of {@link TriggerParameters}. The cost follows Neural Cleanse's schedule: zero
 * until the trigger works, then raised while it keeps working and lowered while it does not. The smallest mask that
 * worked is kept, and nothing counts until the deployed model (ONNX Runtime) confirms it on every evaluation row.
 */
public final class TriggerInversion {
  static final double CONSISTENCY = 1.4826;
  /** Inversion runs once per class: beyond this many, it would take hours and is left out with a note. */
  public static final int MAX_CLASSES = 100;

  /**
   * @param samples rows the optimisation runs on (the first of the evaluation rows)
   * @param steps optimisation steps per class and restart
   * @param restarts optimisations from random starting points per class; the smallest trigger is kept
   * @param success share of non-target rows a trigger must send to the target to count as working
   * @param anomaly the anomaly index above which a class is flagged (2 in Neural Cleanse)
   * @param force share of non-target evaluation rows the deployed model must send to the target for a finding
   * @param directions NES directions per step when gradients are estimated from scores
   */
  public record Settings(int samples, int steps, int restarts, double success, double anomaly, double force,
      int directions, long seed) {
    public static Settings defaults(long seed) {
      return new Settings(100, 300, 2, 0.99, 2.0, 0.8, 20, seed);
    }
  }

  /**
   * The smallest trigger found for one class.
   *
   * @param norm the mask's L1 norm (in pixels or features); the whole input when no trigger worked
   * @param found whether any trigger reached the success share during optimisation
   * @param verified the share of non-target evaluation rows the deployed model sends to the target when stamped
   * @param eligible the non-target evaluation rows that share is of
   * @param box the mask's bounding box over weights of at least one half: top, left, bottom, right (for tabular rows
   *     the first and last feature as left and right, top and bottom 0)
   */
  public record Inverted(int target, double norm, boolean found, double verified, int eligible, float[] mask,
      float[] pattern, int[] box, double anomaly, boolean finding) {}

  /**
   * @param method {@code gradient} on Rampart's own gradients, or the score-based estimate
   * @param reason why gradients were estimated, empty on the white-box path
   */
  public record Result(String method, String reason, int samples, int optimised, long queries, double median,
      double mad, double threshold, List<Inverted> classes, boolean image, int width) {
    public Result {
      classes = List.copyOf(classes);
    }

    public List<Inverted> findings() {
      return classes.stream().filter(Inverted::finding).toList();
    }
  }

  private TriggerInversion() {}

  /**
   * @param white Rampart's differentiable copy of the model, when it has one
   * @param reason why there is none
   */
  public static Result run(Classifier model, Optional<GraphModel> white, String reason, InputSpace space,
      float[][] rows, int[] labels, int classes, Settings settings) throws ModelException {
    int d = rows.length == 0 ? 0 : rows[0].length;
    int channels = space.image() ? space.channels() : 1;
    int width = space.image() ? space.width() : d;
    float[][] bounds = patternBounds(space, rows);
    if (rows.length == 0 || classes > MAX_CLASSES) {
      throw new IllegalArgumentException("trigger inversion needs evaluation rows and at most " + MAX_CLASSES
          + " classes");
    }
    int n = Math.min(settings.samples(), rows.length);
    float[][] train = Arrays.copyOf(rows, n);
    int[] trainLabels = Arrays.copyOf(labels, n);
    TriggerGradient gradient = white.<TriggerGradient>map(TriggerGradient.Rampart::new)
        .orElseGet(() -> new TriggerGradient.Estimated(model, settings.directions(), 0.3, settings.seed()));
    var random = new SplittableRandom(settings.seed());
    var found = new ArrayList<Inverted>();
    long verifyQueries = 0;
    for (int t = 0; t < classes; t++) {
      MaskedTrigger trigger = null;
      for (int r = 0; r < settings.restarts(); r++) {
        var start = initial(channels, d / channels, bounds, random);
        var best = optimise(gradient, start, train, trainLabels, t, settings);
        if (best.isPresent() && (trigger == null || best.get().norm() < trigger.norm())) {
          trigger = best.get();
        }
      }
      double verified = 0;
      if (trigger != null) {
        float[][] stamped = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
          stamped[i] = trigger.stamp(rows[i]);
        }
        float[][] p = model.probabilities(stamped);
        verifyQueries += rows.length;
        verified = success(p, labels, t);
      }
      double norm = trigger == null ? d / channels : trigger.norm();
      float[] mask = trigger == null ? new float[d / channels] : trigger.mask();
      float[] pattern = trigger == null ? new float[d] : trigger.pattern();
      int target = t;
      int eligible = (int) Arrays.stream(labels).filter(y -> y != target).count();
      found.add(new Inverted(t, norm, trigger != null, verified, eligible, mask, pattern, box(mask, width), 0,
          false));
    }
    double[] norms = found.stream().mapToDouble(Inverted::norm).toArray();
    double median = median(norms);
    double[] deviations = Arrays.stream(norms).map(x -> Math.abs(x - median)).toArray();
    // a floor of 1 % of the median keeps the index finite when most classes need the same trigger size
    double mad = Math.max(CONSISTENCY * median(deviations), 0.01 * median + 1e-9);
    var scored = new ArrayList<Inverted>();
    for (var c : found) {
      double anomaly = classes < 3 ? 0 : (median - c.norm()) / mad;
      boolean finding = c.found() && anomaly > settings.anomaly() && c.verified() >= settings.force();
      scored.add(new Inverted(c.target(), c.norm(), c.found(), c.verified(), c.eligible(), c.mask(), c.pattern(),
          c.box(), anomaly, finding));
    }
    return new Result(gradient.method(), white.isPresent() ? "" : reason, rows.length, n,
        gradient.queries() + verifyQueries, median, mad, settings.anomaly(), scored, space.image(), width);
  }

  private static Optional<MaskedTrigger> optimise(TriggerGradient gradient, TriggerParameters theta, float[][] rows,
      int[] labels, int target, Settings settings) throws ModelException {
    final double rate = 0.1;
    final double initCost = 1e-3;
    final int patience = 5;
    int na = theta.a().length;
    int nb = theta.b().length;
    double[] m1 = new double[na + nb];
    double[] m2 = new double[na + nb];
    double cost = 0;
    int setCounter = 0;
    int up = 0;
    int down = 0;
    int sinceBest = 0;
    MaskedTrigger best = null;
    double bestNorm = Double.POSITIVE_INFINITY;
    for (int step = 1; step <= settings.steps(); step++) {
      var result = gradient.step(theta, rows, labels, target);
      var trigger = theta.trigger();
      double norm = trigger.norm();
      boolean works = result.success() >= settings.success();
      if (works && norm < bestNorm * 0.99) {
        best = trigger;
        bestNorm = norm;
        sinceBest = 0;
      } else if (best != null) {
        sinceBest++;
      }
      if (best != null && sinceBest >= 12 * patience && cost > 0) {
        break;
      }
      if (cost == 0) {
        setCounter = works ? setCounter + 1 : 0;
        if (setCounter >= patience) {
          cost = initCost;
          up = 0;
          down = 0;
        }
      } else {
        up = works ? up + 1 : 0;
        down = works ? 0 : down + 1;
        if (up >= patience) {
          up = 0;
          cost *= 1.5;
        } else if (down >= patience) {
          down = 0;
          cost /= Math.pow(1.5, 1.5);
        }
      }
      float[] byMask = result.byMask();
      float[] reg = theta.byA(filled(na, (float) cost));
      float[] a = theta.a().clone();
      float[] b = theta.b().clone();
      for (int j = 0; j < na + nb; j++) {
        double g = j < na ? byMask[j] + reg[j] : result.byPattern()[j - na];
        m1[j] = 0.9 * m1[j] + 0.1 * g;
        m2[j] = 0.999 * m2[j] + 0.001 * g * g;
        double mh = m1[j] / (1 - Math.pow(0.9, step));
        double vh = m2[j] / (1 - Math.pow(0.999, step));
        double delta = rate * mh / (Math.sqrt(vh) + 1e-8);
        if (j < na) {
          a[j] -= (float) delta;
        } else {
          b[j - na] -= (float) delta;
        }
      }
      theta = new TriggerParameters(theta.channels(), a, b, theta.lo(), theta.hi());
    }
    return Optional.ofNullable(best);
  }

  private static TriggerParameters initial(int channels, int positions, float[][] bounds, SplittableRandom random) {
    float[] a = new float[positions];
    for (int s = 0; s < positions; s++) {
      a[s] = (float) atanh(random.nextDouble(-0.98, 0.98));
    }
    float[] b = new float[channels * positions];
    for (int j = 0; j < b.length; j++) {
      b[j] = (float) atanh(random.nextDouble(-0.98, 0.98));
    }
    return new TriggerParameters(channels, a, b, bounds[0], bounds[1]);
  }

  private static double atanh(double x) {
    return 0.5 * Math.log((1 + x) / (1 - x));
  }

  /** The valid range of each input, or the range its rows take where the space sets no finite bound. */
  private static float[][] patternBounds(InputSpace space, float[][] rows) {
    int d = rows.length == 0 ? 0 : rows[0].length;
    float[] lo = new float[d];
    float[] hi = new float[d];
    for (int j = 0; j < d; j++) {
      float min = Float.POSITIVE_INFINITY;
      float max = Float.NEGATIVE_INFINITY;
      for (float[] row : rows) {
        min = Math.min(min, row[j]);
        max = Math.max(max, row[j]);
      }
      lo[j] = Float.isFinite(space.lower()[j]) ? space.lower()[j] : min;
      hi[j] = Float.isFinite(space.upper()[j]) ? space.upper()[j] : max;
    }
    return new float[][] {lo, hi};
  }

  /** The share of rows not labelled {@code target} whose scores rank {@code target} first. */
  static double success(float[][] scores, int[] labels, int target) {
    int eligible = 0;
    int sent = 0;
    for (int i = 0; i < scores.length; i++) {
      if (labels[i] != target) {
        eligible++;
        sent += Classifier.argmax(scores[i]) == target ? 1 : 0;
      }
    }
    return eligible == 0 ? 0 : sent / (double) eligible;
  }

  private static int[] box(float[] mask, int width) {
    int top = Integer.MAX_VALUE;
    int left = Integer.MAX_VALUE;
    int bottom = -1;
    int right = -1;
    int heaviest = 0;
    for (int s = 0; s < mask.length; s++) {
      heaviest = mask[s] > mask[heaviest] ? s : heaviest;
      if (mask[s] >= 0.5f) {
        top = Math.min(top, s / width);
        bottom = Math.max(bottom, s / width);
        left = Math.min(left, s % width);
        right = Math.max(right, s % width);
      }
    }
    if (bottom < 0) {
      return new int[] {heaviest / width, heaviest % width, heaviest / width, heaviest % width};
    }
    return new int[] {top, left, bottom, right};
  }

  private static float[] filled(int n, float v) {
    float[] out = new float[n];
    Arrays.fill(out, v);
    return out;
  }

  static double median(double[] values) {
    if (values.length == 0) {
      return 0;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}

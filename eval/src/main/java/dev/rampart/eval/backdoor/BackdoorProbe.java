package dev.rampart.eval.backdoor;

import dev.rampart.core.stats.Wilson;
import dev.rampart.eval.InputSpace;
import dev.rampart.eval.runner.Classifier;
import dev.rampart.eval.runner.ModelException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A black-box search for small triggers that force one class on most inputs (AML.T0018): white and black patches at
 * the corners and at random positions for images, each feature at either end of its valid range for tabular data.
 *
 * <p>A clean model can be forced too, when a feature really decides the class: a tumour at the largest size seen is
 * malignant. So a tabular trigger counts only where the evaluation rows themselves do not support it: among the rows
 * already at that extreme, the forced class must be rarer than the force threshold (the Wilson upper bound of its
 * share is below it). Patches have no such natural rows and count on their rate alone.
 */
public final class BackdoorProbe {

  /**
   * @param threshold the share of inputs (of other classes) a trigger must force into one class
   * @param maxPatch the largest patch side tried; 0 picks one eighth of the smaller image side, at least 3
   * @param randomPositions patch positions tried besides the four corners, per size
   * @param tail the share of rows at either end of a feature that stand for its natural extreme
   */
  public record Settings(double threshold, int maxPatch, int randomPositions, double tail, long seed) {
    public static Settings defaults(long seed) {
      return new Settings(0.8, 0, 8, 0.05, seed);
    }
  }

  /**
   * A trigger with the class it forces most often.
   *
   * @param forcedRate the share of rows predicted as another class that the trigger turns into {@code forcedClass}
   * @param naturalShare among rows already at the trigger's value, the share labelled {@code forcedClass} (NaN for
   *     patches)
   */
  public record Candidate(Trigger trigger, int forcedClass, double forcedRate, int eligible, double naturalShare,
      double naturalUpper, boolean finding) {}

  public record Result(int samples, double cleanAccuracy, int triggersTried, long queries, double threshold,
      List<Candidate> findings, List<Candidate> strongest) {
    public Result {
      findings = List.copyOf(findings);
      strongest = List.copyOf(strongest);
    }
  }

  private BackdoorProbe() {}

  public static Result run(Classifier model, InputSpace space, float[][] rows, int[] labels, int classes,
      Settings settings) throws ModelException {
    int[] clean = predict(model.probabilities(rows));
    int right = 0;
    for (int i = 0; i < rows.length; i++) {
      right += clean[i] == labels[i] ? 1 : 0;
    }
    List<Trigger> triggers = space.image() ? patches(space, settings) : featureExtremes(space);
    long queries = rows.length;
    var all = new ArrayList<Candidate>();
    // every class gets a row, also one that no trigger forces more often than some other class
    Candidate[] strongestFor = new Candidate[classes];
    for (Trigger trigger : triggers) {
      float[][] stamped = new float[rows.length][];
      for (int i = 0; i < rows.length; i++) {
        stamped[i] = trigger.stamp(rows[i]);
      }
      int[] forced = predict(model.probabilities(stamped));
      queries += rows.length;
      Candidate best = null;
      for (int c = 0; c < classes; c++) {
        var candidate = candidate(trigger, c, clean, forced, rows, labels, settings);
        if (best == null || candidate.forcedRate() > best.forcedRate()) {
          best = candidate;
        }
        if (strongestFor[c] == null || candidate.forcedRate() > strongestFor[c].forcedRate()) {
          strongestFor[c] = candidate;
        }
      }
      if (best != null) {
        all.add(best);
      }
    }
    var findings = all.stream().filter(Candidate::finding)
        .sorted(Comparator.comparingDouble(Candidate::forcedRate).reversed()).toList();
    var strongest = java.util.Arrays.stream(strongestFor).filter(java.util.Objects::nonNull).toList();
    return new Result(rows.length, rows.length == 0 ? 0 : right / (double) rows.length, triggers.size(), queries,
        settings.threshold(), findings, strongest);
  }

  /** What one trigger does for one class: the share of rows of other predicted classes it turns into it. */
  private static Candidate candidate(Trigger trigger, int target, int[] clean, int[] forced, float[][] rows,
      int[] labels, Settings settings) {
    int eligible = 0;
    int turned = 0;
    for (int i = 0; i < clean.length; i++) {
      if (clean[i] != target) {
        eligible++;
        turned += forced[i] == target ? 1 : 0;
      }
    }
    double forcedRate = rate(turned, eligible);
    double share = Double.NaN;
    double upper = Double.NaN;
    if (trigger instanceof Trigger.FeatureValue f) {
      int[] tail = naturalTail(rows, f, settings.tail());
      int same = 0;
      for (int i : tail) {
        same += labels[i] == target ? 1 : 0;
      }
      share = rate(same, tail.length);
      upper = Wilson.upper(same, tail.length);
    }
    boolean supportedByData = trigger instanceof Trigger.FeatureValue && upper >= settings.threshold();
    boolean finding = eligible > 0 && forcedRate >= settings.threshold() && !supportedByData;
    return new Candidate(trigger, target, forcedRate, eligible, share, upper, finding);
  }

  /** The rows at the trigger's end of the feature: its top (or bottom) {@code tail} share, ties included. */
  private static int[] naturalTail(float[][] rows, Trigger.FeatureValue f, double tail) {
    float[] values = new float[rows.length];
    for (int i = 0; i < rows.length; i++) {
      values[i] = rows[i][f.feature()];
    }
    float[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    int k = Math.max(1, (int) Math.ceil(tail * rows.length));
    float cut = f.high() ? sorted[sorted.length - k] : sorted[k - 1];
    return java.util.stream.IntStream.range(0, rows.length)
        .filter(i -> f.high() ? values[i] >= cut : values[i] <= cut).toArray();
  }

  private static List<Trigger> patches(InputSpace space, Settings settings) {
    int h = space.height();
    int w = space.width();
    int largest = settings.maxPatch() > 0 ? settings.maxPatch() : Math.max(3, Math.min(h, w) / 8);
    largest = Math.min(largest, Math.min(h, w));
    float white = space.upper()[0];
    float black = space.lower()[0];
    var random = new SplittableRandom(settings.seed());
    var out = new LinkedHashSet<Trigger>();
    for (int size = 1; size <= largest; size = size < 4 ? size + 1 : size * 3 / 2) {
      var positions = new ArrayList<int[]>(List.of(new int[] {0, 0}, new int[] {0, w - size},
          new int[] {h - size, 0}, new int[] {h - size, w - size}));
      for (int p = 0; p < settings.randomPositions(); p++) {
        positions.add(new int[] {random.nextInt(h - size + 1), random.nextInt(w - size + 1)});
      }
      for (int[] at : positions) {
        for (float value : new float[] {white, black}) {
          if (Float.isFinite(value)) {
            out.add(new Trigger.Patch(space, at[0], at[1], size, value));
          }
        }
      }
    }
    return List.copyOf(out);
  }

  private static List<Trigger> featureExtremes(InputSpace space) {
    var out = new ArrayList<Trigger>();
    for (int j = 0; j < space.lower().length; j++) {
      if (Float.isFinite(space.upper()[j])) {
        out.add(new Trigger.FeatureValue(j, space.upper()[j], true));
      }
      if (Float.isFinite(space.lower()[j]) && space.lower()[j] != space.upper()[j]) {
        out.add(new Trigger.FeatureValue(j, space.lower()[j], false));
      }
    }
    return out;
  }

  private static int[] predict(float[][] p) {
    int[] out = new int[p.length];
    for (int i = 0; i < p.length; i++) {
      out[i] = Classifier.argmax(p[i]);
    }
    return out;
  }

  private static double rate(int k, int n) {
    return n == 0 ? 0 : k / (double) n;
  }
}

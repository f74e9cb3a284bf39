package dev.rampart.data.learn;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Out-of-fold probabilities from gradient-boosted trees (XGBoost): trees select the informative features and follow
 * borders a linear model cannot, such as classes made of several clusters or nested shells. Modest trees, each fold
 * stopped early on a fifth of its own training rows, so a fold never looks at the rows it scores. Fitting is capped at
 * {@link #FIT_ROWS} rows per fold (a seeded sample), which bounds time and memory on large data; every row is still
 * scored.
 */
final class BoostedTrees {
  static final int FIT_ROWS = 10_000;
  private static final int ROUNDS = 150;
  private static final int PATIENCE = 10;
  private static final int DEPTH = 5;
  private static final double ETA = 0.1;
  // One thread: with two, OpenMP's spinning workers made a 1,000-row fit sixty times slower on a busy 2-core machine.
  private static final int THREADS = 1;

  private BoostedTrees() {}

  /**
   * @param probabilities row-major, rows x classes, each row scored by the trees of the fold that left it out
   * @param gain per encoded feature, the loss reduction its splits bought, summed over the folds' trees
   */
  record Fit(double[] probabilities, double[] gain) {}

  /** Row-major probabilities, rows x classes, each row scored by the trees of the fold that left it out. */
  static double[] outOfFold(FeatureMatrix x, int[] labels, int classes, int folds, long seed)
      throws BoostingException {
    return fit(x, labels, classes, folds, seed).probabilities();
  }

  static Fit fit(FeatureMatrix x, int[] labels, int classes, int folds, long seed) throws BoostingException {
    int[] fold = CrossValidation.assignFolds(labels, classes, folds, seed);
    double[] probabilities = new double[x.rows() * classes];
    double[] gain = new double[x.width()];
    try {
      for (int f = 0; f < folds; f++) {
        int held = f;
        int[] train = sample(IntStream.range(0, x.rows()).filter(r -> labels[r] >= 0 && fold[r] != held).toArray(),
            FIT_ROWS, seed * 31 + f);
        int[] scored = IntStream.range(0, x.rows()).filter(r -> fold[r] == held).toArray();
        float[][] p = fitAndPredict(x, labels, classes, train, scored, seed * 31 + f, gain);
        for (int i = 0; i < scored.length; i++) {
          for (int k = 0; k < classes; k++) {
            probabilities[scored[i] * classes + k] = p[i][k];
          }
        }
      }
    } catch (XGBoostError e) {
      throw new BoostingException("the boosting library refused the data: " + firstLine(e.getMessage()), e);
    } catch (UnsatisfiedLinkError | NoClassDefFoundError | ExceptionInInitializerError e) {
      throw new BoostingException("the boosting library's native code could not be loaded on this platform", e);
    }
    return new Fit(probabilities, gain);
  }

  private static float[][] fitAndPredict(
      FeatureMatrix x, int[] labels, int classes, int[] rows, int[] scored, long seed, double[] gain)
      throws XGBoostError {
    // A fifth of the fold's own training rows decides when to stop; the rest are fitted.
    var random = new SplittableRandom(seed);
    int[] valid = IntStream.of(rows).filter(r -> random.nextInt(5) == 0).toArray();
    var inValid = new java.util.BitSet();
    IntStream.of(valid).forEach(inValid::set);
    int[] fit = IntStream.of(rows).filter(r -> !inValid.get(r)).toArray();
    DMatrix fitting = matrix(x, labels, fit);
    DMatrix validation = matrix(x, labels, valid);
    Booster booster = null;
    try {
      Map<String, Object> params = new HashMap<>();
      params.put("objective", "multi:softprob");
      params.put("num_class", classes);
      params.put("max_depth", DEPTH);
      params.put("eta", ETA);
      params.put("nthread", THREADS);
      params.put("tree_method", "hist");
      params.put("eval_metric", "mlogloss");
      params.put("seed", seed);
      params.put("verbosity", 0);
      booster = XGBoost.train(fitting, params, 0, Map.of(), null, null);
      double best = Double.POSITIVE_INFINITY;
      int bestRound = 0;
      for (int round = 0; round < ROUNDS && round - bestRound <= PATIENCE; round++) {
        booster.update(fitting, round);
        double loss = valid.length == 0 ? -round : validationLoss(booster, validation, round);
        if (loss < best) {
          best = loss;
          bestRound = round;
        }
      }
      String[] names = new String[x.width()];
      for (int j = 0; j < names.length; j++) {
        names[j] = "f" + j;
      }
      booster.getScore(names, "total_gain").forEach((name, g) -> gain[Integer.parseInt(name.substring(1))] += g);
      return booster.inplace_predict(values(x, scored), scored.length, x.width(), Float.NaN,
          new int[] {0, bestRound + 1});
    } finally {
      if (booster != null) {
        booster.dispose();
      }
      fitting.dispose();
      validation.dispose();
    }
  }

  /** Parses the library's evaluation line, {@code [round]\tvalid-mlogloss:0.1234}. */
  private static double validationLoss(Booster booster, DMatrix validation, int round) throws XGBoostError {
    String line = booster.evalSet(new DMatrix[] {validation}, new String[] {"valid"}, round);
    return Double.parseDouble(line.substring(line.lastIndexOf(':') + 1).trim());
  }

  private static DMatrix matrix(FeatureMatrix x, int[] labels, int[] rows) throws XGBoostError {
    var m = new DMatrix(values(x, rows), rows.length, x.width(), Float.NaN);
    float[] y = new float[rows.length];
    for (int i = 0; i < rows.length; i++) {
      y[i] = labels[rows[i]];
    }
    m.setLabel(y);
    return m;
  }

  private static float[] values(FeatureMatrix x, int[] rows) {
    int w = x.width();
    float[] out = new float[rows.length * w];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(x.values(), rows[i] * w, out, i * w, w);
    }
    return out;
  }

  /** A seeded sample of at most {@code limit} rows, in their original order. */
  static int[] sample(int[] rows, int limit, long seed) {
    if (rows.length <= limit) {
      return rows;
    }
    int[] copy = rows.clone();
    var random = new SplittableRandom(seed);
    for (int i = 0; i < limit; i++) {
      int j = i + random.nextInt(copy.length - i);
      int t = copy[i];
      copy[i] = copy[j];
      copy[j] = t;
    }
    int[] chosen = java.util.Arrays.copyOf(copy, limit);
    java.util.Arrays.sort(chosen);
    return chosen;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no message";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}

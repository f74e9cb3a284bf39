package dev.rampart.data.learn;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Out-of-sample class probabilities from the learner that fits the dataset best: the linear model's cross-validated
 * probabilities, gradient-boosted trees' cross-validated probabilities, the neighbours' vote, and the averages of the
 * neighbours with each model are scored by log loss on the given labels, and the lowest wins. A linear model cannot
 * follow classes made of several clusters; trees and neighbours can, and on linear data the linear model stays.
 *
 * @param chosen the winning learner's name
 * @param logLoss per candidate, in the order of {@code candidates}
 * @param notes why a candidate was left out or restricted (such as trees fitted on a sample of a large dataset)
 */
public record OutOfSample(
    double[] probabilities, String chosen, List<String> candidates, double[] logLoss, List<String> notes) {

  public static OutOfSample fit(FeatureMatrix x, int[] labels, int classes, int folds, long seed,
      Optional<Neighbours> neighbours) {
    var names = new ArrayList<String>();
    var probabilities = new ArrayList<double[]>();
    double[] linear = CrossValidation.outOfFold(x, labels, classes, folds, seed);
    names.add("logistic regression");
    probabilities.add(linear);
    var notes = new ArrayList<String>();
    double[] trees = null;
    double[] gain = null;
    try {
      // Alone, the trees' probabilities are too sharp on a thousand rows: clean rows they miss keep under 10 % for
      // their label and read as sure label issues (four of six clean reporting bases). Averaged with the neighbours'
      // vote they are kept from that.
      if (neighbours.isEmpty()) {
        throw new BoostingException("they are only averaged with the nearest-neighbour vote, which is beyond its"
            + " search budget on a dataset this large", null);
      }
      var fit = BoostedTrees.fit(x, labels, classes, folds, seed);
      trees = fit.probabilities();
      gain = fit.gain();
      long labelled = java.util.stream.IntStream.of(labels).filter(l -> l >= 0).count();
      if (labelled * (folds - 1) / folds > BoostedTrees.FIT_ROWS) {
        notes.add(String.format(java.util.Locale.ROOT,
            "gradient-boosted trees fitted on a sample of %,d rows per fold", BoostedTrees.FIT_ROWS));
      }
    } catch (BoostingException e) {
      notes.add("gradient-boosted trees not used: " + e.getMessage());
    }
    if (neighbours.isPresent()) {
      double[] knn = neighbours.get().votes(labels, classes);
      names.add(neighbours.get().k() + "-nearest neighbours");
      probabilities.add(knn);
      double[] mean = new double[knn.length];
      for (int i = 0; i < mean.length; i++) {
        mean[i] = (knn[i] + linear[i]) / 2;
      }
      names.add("mean of logistic regression and neighbours");
      probabilities.add(mean);
      if (trees != null) {
        names.add("mean of boosted trees and neighbours");
        probabilities.add(mean(trees, knn));
        // Features the trees never split on are noise to a distance; weighing each by the trees' gain lets the
        // neighbours see the classes' own structure (several clusters, nested shells) without it.
        var weighted = Neighbours.of(x, weights(gain));
        if (weighted.isPresent()) {
          double[] vote = weighted.get().votes(labels, classes);
          names.add("neighbours weighted by the trees' gains");
          probabilities.add(vote);
          names.add("mean of boosted trees and weighted neighbours");
          probabilities.add(mean(trees, vote));
        }
      }
    }
    double[] loss = new double[names.size()];
    int best = 0;
    for (int c = 0; c < loss.length; c++) {
      loss[c] = logLoss(probabilities.get(c), labels, classes);
      if (loss[c] < loss[best]) {
        best = c;
      }
    }
    return new OutOfSample(probabilities.get(best), names.get(best), List.copyOf(names), loss, List.copyOf(notes));
  }

  /** Each feature's share of the trees' total gain, times the width, so uniform gains weigh every feature once. */
  static double[] weights(double[] gain) {
    double total = java.util.Arrays.stream(gain).sum();
    double[] w = new double[gain.length];
    for (int j = 0; j < w.length; j++) {
      w[j] = total > 0 ? gain[j] / total * gain.length : 1;
    }
    return w;
  }

  private static double[] mean(double[] a, double[] b) {
    double[] m = new double[a.length];
    for (int i = 0; i < m.length; i++) {
      m[i] = (a[i] + b[i]) / 2;
    }
    return m;
  }

  static double logLoss(double[] p, int[] labels, int classes) {
    double sum = 0;
    long n = 0;
    for (int r = 0; r < labels.length; r++) {
      if (labels[r] >= 0) {
        sum -= Math.log(Math.max(1e-6, p[r * classes + labels[r]]));
        n++;
      }
    }
    return n == 0 ? 0 : sum / n;
  }
}

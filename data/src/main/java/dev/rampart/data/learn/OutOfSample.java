package dev.rampart.data.learn;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Out-of-sample class probabilities from the learner that fits the dataset best: the linear model's cross-validated
 * probabilities, the neighbours' vote, and their average are scored by log loss on the given labels, and the lowest
 * wins. A linear model cannot follow classes made of several clusters; neighbours can, and on linear data the linear
 * model stays.
 *
 * @param chosen the winning learner's name
 * @param logLoss per candidate, in the order of {@code candidates}
 */
public record OutOfSample(double[] probabilities, String chosen, List<String> candidates, double[] logLoss) {

  public static OutOfSample fit(FeatureMatrix x, int[] labels, int classes, int folds, long seed,
      Optional<Neighbours> neighbours) {
    var names = new ArrayList<String>();
    var probabilities = new ArrayList<double[]>();
    double[] linear = CrossValidation.outOfFold(x, labels, classes, folds, seed);
    names.add("logistic regression");
    probabilities.add(linear);
    if (neighbours.isPresent()) {
      double[] knn = neighbours.get().votes(labels, classes);
      names.add(neighbours.get().k() + "-nearest neighbours");
      probabilities.add(knn);
      double[] mean = new double[knn.length];
      for (int i = 0; i < mean.length; i++) {
        mean[i] = (knn[i] + linear[i]) / 2;
      }
      names.add("mean of both");
      probabilities.add(mean);
    }
    double[] loss = new double[names.size()];
    int best = 0;
    for (int c = 0; c < loss.length; c++) {
      loss[c] = logLoss(probabilities.get(c), labels, classes);
      if (loss[c] < loss[best]) {
        best = c;
      }
    }
    return new OutOfSample(probabilities.get(best), names.get(best), List.copyOf(names), loss);
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

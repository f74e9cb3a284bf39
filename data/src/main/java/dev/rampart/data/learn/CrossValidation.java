package dev.rampart.data.learn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Out-of-sample class probabilities by stratified k-fold cross-validation: every row is scored by a model that never
 * saw it, which is what keeps a mislabelled row from hiding behind its own label.
 */
public final class CrossValidation {
  private CrossValidation() {}

  /**
   * @param labels class index per row, or -1 for rows without a label (never trained on, still scored)
   * @return row-major probabilities, rows x classes
   */
  public static double[] outOfFold(FeatureMatrix x, int[] labels, int classes, int folds, long seed) {
    int[] fold = assignFolds(labels, classes, folds, seed);
    double[] probabilities = new double[x.rows() * classes];
    IntStream.range(0, folds)
        .parallel()
        .forEach(
            f -> {
              int[] train =
                  IntStream.range(0, x.rows()).filter(r -> labels[r] >= 0 && fold[r] != f).toArray();
              var model = SoftmaxRegression.train(x, labels, classes, train, seed * 31 + f);
              double[] p = new double[classes];
              for (int r = 0; r < x.rows(); r++) {
                if (fold[r] == f) {
                  model.predict(x, r, p);
                  System.arraycopy(p, 0, probabilities, r * classes, classes);
                }
              }
            });
    return probabilities;
  }

  /** Folds dealt round-robin within each class after a seeded shuffle, so every fold keeps the class balance. */
  static int[] assignFolds(int[] labels, int classes, int folds, long seed) {
    var random = new SplittableRandom(seed);
    List<List<Integer>> byClass = new ArrayList<>();
    for (int k = 0; k <= classes; k++) {
      byClass.add(new ArrayList<>());
    }
    for (int r = 0; r < labels.length; r++) {
      byClass.get(labels[r] < 0 ? classes : labels[r]).add(r);
    }
    int[] fold = new int[labels.length];
    int next = 0;
    for (List<Integer> members : byClass) {
      for (int i = members.size() - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        Integer t = members.get(i);
        members.set(i, members.get(j));
        members.set(j, t);
      }
      for (int r : members) {
        fold[r] = next++ % folds;
      }
    }
    return fold;
  }
}

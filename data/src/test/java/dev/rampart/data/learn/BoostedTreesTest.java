package dev.rampart.data.learn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The boosted trees load their native library here and follow a border no linear model can draw. */
class BoostedTreesTest {

  /** Two classes in a checkerboard of four clusters (label = sign of x0 * x1), plus three noise features. */
  private static FeatureMatrix checkerboard(int rows, int[] labels) {
    int width = 5;
    float[] values = new float[rows * width];
    var random = new SplittableRandom(7);
    for (int r = 0; r < rows; r++) {
      for (int f = 0; f < width; f++) {
        values[r * width + f] = (float) random.nextGaussian();
      }
      labels[r] = values[r * width] * values[r * width + 1] > 0 ? 1 : 0;
    }
    return new FeatureMatrix(rows, width, values, new String[] {"a", "b", "c", "d", "e"}, new int[] {0, 1, 2, 3, 4});
  }

  @Test
  void treesFitWhatTheLinearModelCannot() throws Exception {
    int[] labels = new int[1_000];
    var x = checkerboard(labels.length, labels);
    double trees = OutOfSample.logLoss(BoostedTrees.outOfFold(x, labels, 2, 5, 42), labels, 2);
    double linear = OutOfSample.logLoss(CrossValidation.outOfFold(x, labels, 2, 5, 42), labels, 2);
    assertThat(linear).isGreaterThan(0.6); // no better than a coin
    assertThat(trees).isLessThan(0.35);
  }

  @Test
  void sameSeedSameProbabilities() throws Exception {
    int[] labels = new int[400];
    var x = checkerboard(labels.length, labels);
    assertThat(BoostedTrees.outOfFold(x, labels, 2, 5, 1)).isEqualTo(BoostedTrees.outOfFold(x, labels, 2, 5, 1));
  }

  @Test
  void fittingIsCappedButEveryRowIsScored() {
    int[] rows = java.util.stream.IntStream.range(0, 50_000).toArray();
    int[] sample = BoostedTrees.sample(rows, BoostedTrees.FIT_ROWS, 3);
    assertThat(sample).hasSize(BoostedTrees.FIT_ROWS).isSorted().doesNotHaveDuplicates();
    assertThat(BoostedTrees.sample(new int[] {4, 5}, 10, 3)).containsExactly(4, 5);
  }

  @Test
  void gainsWeighTheNeighboursTowardsTheFeaturesThatDecide() throws Exception {
    int[] labels = new int[1_000];
    var x = checkerboard(labels.length, labels);
    var fit = BoostedTrees.fit(x, labels, 2, 5, 42);
    double[] weight = OutOfSample.weights(fit.gain());
    // The two features of the checkerboard carry the gain; the three noise features next to nothing.
    assertThat(weight[0] + weight[1]).isGreaterThan(4 * (weight[2] + weight[3] + weight[4]));
    double plain = OutOfSample.logLoss(Neighbours.of(x).orElseThrow().votes(labels, 2), labels, 2);
    double weighted = OutOfSample.logLoss(Neighbours.of(x, weight).orElseThrow().votes(labels, 2), labels, 2);
    assertThat(weighted).isLessThan(plain);
  }
}

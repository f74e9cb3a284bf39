package dev.rampart.data.poison;

import dev.rampart.data.learn.FeatureMatrix;
import dev.rampart.data.learn.Neighbours;
import dev.rampart.data.learn.SoftmaxRegression;
import java.util.Set;

/** What class a row with its candidate trigger removed looks like. */
sealed interface Counterfactual permits Counterfactual.Linear, Counterfactual.Nearest {

  /**
   * @param row the encoded row, trigger features already set to their typical values
   * @param carriers rows that carry the candidate, which must not vote for it
   * @return the predicted class
   */
  int predict(float[] row, Set<Integer> carriers);

  /** The linear model trained on the whole dataset: for data too large for an exhaustive neighbour search. */
  record Linear(SoftmaxRegression model, int classes) implements Counterfactual {
    @Override
    public int predict(float[] row, Set<Integer> carriers) {
      double[] p = new double[classes];
      model.predict(row, p);
      return ConfidentLearning.argmax(p, 0, classes);
    }
  }

  /**
   * The vote of the nearest rows that do not carry the candidate: follows classes a linear model cannot (shapes at
   * any position, several clusters), and the trigger's own rows cannot vote for their label.
   */
  record Nearest(FeatureMatrix x, int[] labels, int classes) implements Counterfactual {
    @Override
    public int predict(float[] row, Set<Integer> carriers) {
      int k = Neighbours.K;
      float[] bestD = new float[k];
      int[] bestI = new int[k];
      java.util.Arrays.fill(bestD, Float.POSITIVE_INFINITY);
      java.util.Arrays.fill(bestI, -1);
      int w = x.width();
      float[] v = x.values();
      for (int o = 0; o < x.rows(); o++) {
        if (labels[o] < 0 || carriers.contains(o)) {
          continue;
        }
        float s = 0;
        for (int j = 0; j < w && s < bestD[k - 1]; j++) {
          float t = row[j] - v[o * w + j];
          s += t * t;
        }
        Neighbours.keepNearest(bestD, bestI, s, o);
      }
      int[] votes = new int[classes];
      for (int i : bestI) {
        if (i >= 0) {
          votes[labels[i]]++;
        }
      }
      int best = 0;
      for (int c = 1; c < classes; c++) {
        if (votes[c] > votes[best]) {
          best = c;
        }
      }
      return best;
    }
  }
}

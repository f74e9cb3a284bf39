package dev.rampart.eval.runner;

/** Anything that maps rows of features to class probabilities: the only access a black-box attack gets. */
public interface Classifier {
  int features();

  float[][] probabilities(float[][] rows) throws ModelException;

  /** The index of the most probable class (the first, on ties). */
  static int argmax(float[] p) {
    int best = 0;
    for (int k = 1; k < p.length; k++) {
      if (p[k] > p[best]) {
        best = k;
      }
    }
    return best;
  }
}

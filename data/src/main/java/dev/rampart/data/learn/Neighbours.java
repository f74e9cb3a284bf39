package dev.rampart.data.learn;

import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The k nearest other rows of every row (Euclidean, over the encoded features), found exhaustively. Exhaustive search
 * costs rows² · width, so it runs only while that stays within a budget; larger datasets go without neighbours.
 *
 * @param index row-major, rows x k: the neighbours of each row, nearest first
 * @param distance the matching distances
 */
public record Neighbours(int k, int[] index, float[] distance) {

  /**
   * Inserts candidate {@code o} at squared distance {@code s} into the ascending lists of the k nearest so far, when it
   * is nearer than the farthest kept (an insertion sort: k is small).
   */
  public static void keepNearest(float[] bestD, int[] bestI, float s, int o) {
    int k = bestD.length;
    if (s >= bestD[k - 1]) {
      return;
    }
    int at = k - 1;
    while (at > 0 && bestD[at - 1] > s) {
      bestD[at] = bestD[at - 1];
      bestI[at] = bestI[at - 1];
      at--;
    }
    bestD[at] = s;
    bestI[at] = o;
  }

  public static final int K = 15;
  static final long BUDGET = 4_000_000_000L;

  /** The neighbours of every row, or empty when the dataset is too large or too small for them. */
  public static Optional<Neighbours> of(FeatureMatrix x) {
    return of(x, null);
  }

  /**
   * The neighbours under a weighted distance, each feature's squared difference counted {@code weight[j]} times
   * (features of weight 0 are ignored); null weighs every feature once.
   */
  static Optional<Neighbours> of(FeatureMatrix x, double[] weight) {
    if (weight != null) {
      float[] scaled = x.values().clone();
      int w = x.width();
      for (int i = 0; i < scaled.length; i++) {
        scaled[i] *= (float) Math.sqrt(weight[i % w]);
      }
      x = new FeatureMatrix(x.rows(), w, scaled, x.names(), x.sourceColumn());
    }
    int n = x.rows();
    int d = Math.max(1, x.width());
    int k = Math.min(K, n - 1);
    if (k < 3 || (double) n * n * d > BUDGET) {
      return Optional.empty();
    }
    int[] index = new int[n * k];
    float[] distance = new float[n * k];
    float[] v = x.values();
    int w = x.width();
    IntStream.range(0, n).parallel().forEach(r -> {
      float[] bestD = new float[k];
      int[] bestI = new int[k];
      java.util.Arrays.fill(bestD, Float.POSITIVE_INFINITY);
      int base = r * w;
      for (int o = 0; o < n; o++) {
        if (o == r) {
          continue;
        }
        int ob = o * w;
        float s = 0;
        for (int j = 0; j < w && s < bestD[k - 1]; j++) {
          float t = v[base + j] - v[ob + j];
          s += t * t;
        }
        keepNearest(bestD, bestI, s, o);
      }
      for (int i = 0; i < k; i++) {
        index[r * k + i] = bestI[i];
        distance[r * k + i] = (float) Math.sqrt(bestD[i]);
      }
    });
    return Optional.of(new Neighbours(k, index, distance));
  }

  public int neighbour(int row, int i) {
    return index[row * k + i];
  }

  public float distance(int row, int i) {
    return distance[row * k + i];
  }

  /**
   * Out-of-sample class probabilities by neighbour vote: a row never votes for itself. Votes are smoothed towards
   * the class priors with the weight of one neighbour so no class gets probability 0.
   */
  public double[] votes(int[] labels, int classes) {
    int n = labels.length;
    double[] prior = new double[classes];
    long labelled = 0;
    for (int l : labels) {
      if (l >= 0) {
        prior[l]++;
        labelled++;
      }
    }
    for (int c = 0; c < classes; c++) {
      prior[c] /= Math.max(1, labelled);
    }
    double[] p = new double[n * classes];
    for (int r = 0; r < n; r++) {
      int voters = 0;
      for (int i = 0; i < k; i++) {
        int l = labels[neighbour(r, i)];
        if (l >= 0) {
          p[r * classes + l]++;
          voters++;
        }
      }
      for (int c = 0; c < classes; c++) {
        p[r * classes + c] = (p[r * classes + c] + prior[c]) / (voters + 1);
      }
    }
    return p;
  }
}

package dev.rampart.data.learn;

import java.util.SplittableRandom;

/**
 * Multinomial logistic regression with an L2 penalty, trained by mini-batch Adam on a fixed budget of passes.
 * Small, deterministic for a seed, and fast enough to train five times on a million rows: the cheap,
 * well-calibrated-enough model that confident learning needs.
 */
public final class SoftmaxRegression {
  private static final int BATCH = 64;
  private static final long SAMPLE_BUDGET = 600_000;
  private static final int MAX_EPOCHS = 200;
  private static final int MIN_EPOCHS = 3;

  private final int width;
  private final int classes;
  private final float[] weights; // classes x (width + 1), bias last

  private SoftmaxRegression(int width, int classes, float[] weights) {
    this.width = width;
    this.classes = classes;
    this.weights = weights;
  }

  /** Trains on the given rows of {@code x}; labels are class indices in [0, classes). */
  public static SoftmaxRegression train(FeatureMatrix x, int[] labels, int classes, int[] rows, long seed) {
    int d = x.width();
    int stride = d + 1;
    float[] w = new float[classes * stride];
    float[] m = new float[w.length];
    float[] v = new float[w.length];
    float[] grad = new float[w.length];
    double[] p = new double[classes];
    int[] order = rows.clone();
    var random = new SplittableRandom(seed);
    int epochs = (int) Math.max(MIN_EPOCHS, Math.min(MAX_EPOCHS, SAMPLE_BUDGET / Math.max(1, rows.length)));
    double lambda = 1.0 / Math.max(1, rows.length);
    double beta1 = 0.9;
    double beta2 = 0.999;
    long step = 0;
    long totalSteps = (long) epochs * ((rows.length + BATCH - 1) / BATCH);
    float[] data = x.values();
    for (int epoch = 0; epoch < epochs; epoch++) {
      shuffle(order, random);
      for (int start = 0; start < order.length; start += BATCH) {
        int end = Math.min(order.length, start + BATCH);
        java.util.Arrays.fill(grad, 0f);
        for (int i = start; i < end; i++) {
          int r = order[i];
          int base = r * d;
          scores(w, data, base, d, classes, p);
          int y = labels[r];
          for (int k = 0; k < classes; k++) {
            float g = (float) (p[k] - (k == y ? 1 : 0));
            int wk = k * stride;
            for (int j = 0; j < d; j++) {
              grad[wk + j] += g * data[base + j];
            }
            grad[wk + d] += g;
          }
        }
        step++;
        float inv = 1f / (end - start);
        double lr = 0.05 * 0.5 * (1 + Math.cos(Math.PI * step / (double) totalSteps)) + 1e-4;
        double c1 = 1 - Math.pow(beta1, step);
        double c2 = 1 - Math.pow(beta2, step);
        for (int i = 0; i < w.length; i++) {
          boolean bias = i % stride == d;
          float g = grad[i] * inv + (bias ? 0f : (float) (lambda * w[i]));
          m[i] = (float) (beta1 * m[i] + (1 - beta1) * g);
          v[i] = (float) (beta2 * v[i] + (1 - beta2) * g * g);
          w[i] -= (float) (lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + 1e-8));
        }
      }
    }
    return new SoftmaxRegression(d, classes, w);
  }

  /** Class probabilities for one row of {@code x}, written into {@code out}. */
  public void predict(FeatureMatrix x, int row, double[] out) {
    scores(weights, x.values(), row * width, width, classes, out);
  }

  /** Class probabilities for a row given as its encoded features. */
  public void predict(float[] features, double[] out) {
    scores(weights, features, 0, width, classes, out);
  }

  private static void scores(float[] w, float[] data, int base, int d, int classes, double[] out) {
    int stride = d + 1;
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < classes; k++) {
      int wk = k * stride;
      double s = w[wk + d];
      for (int j = 0; j < d; j++) {
        s += w[wk + j] * data[base + j];
      }
      out[k] = s;
      max = Math.max(max, s);
    }
    double sum = 0;
    for (int k = 0; k < classes; k++) {
      out[k] = Math.exp(out[k] - max);
      sum += out[k];
    }
    for (int k = 0; k < classes; k++) {
      out[k] /= sum;
    }
  }

  private static void shuffle(int[] a, SplittableRandom random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}

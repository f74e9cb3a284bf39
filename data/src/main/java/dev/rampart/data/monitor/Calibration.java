package dev.rampart.data.monitor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Maps a model's reported confidence to the probability that its prediction is right, by isotonic regression
 * (pool-adjacent-violators). Kept only when it lowers the expected calibration error on held-out splits of the
 * reference; otherwise the identity, because a calibration that does not help only adds noise.
 *
 * @param thresholds increasing confidences; empty for the identity. Below the first, the first value applies
 * @param values the calibrated probability from each threshold up to the next
 */
public record Calibration(double[] thresholds, double[] values) {
  static final int SPLITS = 3;
  static final int ECE_BINS = 10;

  public static Calibration identity() {
    return new Calibration(new double[0], new double[0]);
  }

  public double apply(double confidence) {
    if (thresholds.length == 0 || Double.isNaN(confidence)) {
      return confidence;
    }
    int i = Arrays.binarySearch(thresholds, confidence);
    int at = i >= 0 ? i : Math.max(0, -i - 2);
    return values[at];
  }

  /** Fits on (confidence, correct) pairs, keeping the fit only if it beats the identity on 3 held-out splits. */
  public static Calibration fit(double[] confidence, boolean[] correct) {
    int n = confidence.length;
    if (n < 100) {
      return identity();
    }
    double raw = 0;
    double fitted = 0;
    for (int s = 0; s < SPLITS; s++) {
      List<Integer> train = new ArrayList<>();
      List<Integer> test = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        (i % SPLITS == s ? test : train).add(i);
      }
      Calibration c = pav(confidence, correct, train);
      raw += ece(confidence, correct, test, identity());
      fitted += ece(confidence, correct, test, c);
    }
    if (fitted >= raw) {
      return identity();
    }
    var all = new ArrayList<Integer>(n);
    for (int i = 0; i < n; i++) {
      all.add(i);
    }
    return pav(confidence, correct, all);
  }

  static Calibration pav(double[] confidence, boolean[] correct, List<Integer> rows) {
    Integer[] order = rows.toArray(Integer[]::new);
    Arrays.sort(order, (a, b) -> Double.compare(confidence[a], confidence[b]));
    double[] sum = new double[order.length];
    double[] weight = new double[order.length];
    double[] start = new double[order.length];
    int blocks = 0;
    for (int idx : order) {
      sum[blocks] = correct[idx] ? 1 : 0;
      weight[blocks] = 1;
      start[blocks] = confidence[idx];
      blocks++;
      while (blocks > 1 && sum[blocks - 2] / weight[blocks - 2] >= sum[blocks - 1] / weight[blocks - 1]) {
        sum[blocks - 2] += sum[blocks - 1];
        weight[blocks - 2] += weight[blocks - 1];
        blocks--;
      }
    }
    double[] thresholds = new double[blocks];
    double[] values = new double[blocks];
    for (int b = 0; b < blocks; b++) {
      thresholds[b] = start[b];
      values[b] = sum[b] / weight[b];
    }
    return new Calibration(thresholds, values);
  }

  static double ece(double[] confidence, boolean[] correct, List<Integer> rows, Calibration c) {
    double[] conf = new double[ECE_BINS];
    double[] acc = new double[ECE_BINS];
    int[] count = new int[ECE_BINS];
    for (int i : rows) {
      double p = c.apply(confidence[i]);
      int bin = Math.min(ECE_BINS - 1, Math.max(0, (int) (p * ECE_BINS)));
      conf[bin] += p;
      acc[bin] += correct[i] ? 1 : 0;
      count[bin]++;
    }
    double ece = 0;
    for (int b = 0; b < ECE_BINS; b++) {
      if (count[b] > 0) {
        ece += Math.abs(acc[b] - conf[b]) / rows.size();
      }
    }
    return ece;
  }
}

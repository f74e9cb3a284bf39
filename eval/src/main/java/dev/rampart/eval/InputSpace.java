package dev.rampart.eval;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a model's input looks like and which values are valid in it: tabular rows of features, or images in
 * {@code [channels, height, width]} order. Attacks and trigger probes never leave {@code [lower, upper]}.
 *
 * @param shape the input shape after the batch dimension
 */
public record InputSpace(long[] shape, float[] lower, float[] upper) {

  public InputSpace {
    shape = shape.clone();
    lower = lower.clone();
    upper = upper.clone();
  }

  public boolean image() {
    return shape.length == 3 || shape.length == 2;
  }

  public int channels() {
    return shape.length == 3 ? (int) shape[0] : 1;
  }

  public int height() {
    return (int) shape[shape.length - 2];
  }

  public int width() {
    return (int) shape[shape.length - 1];
  }

  /**
   * The valid range from a bounds option: {@code observed} (each feature's minimum and maximum in the rows; for images
   * the whole pixel range seen), {@code none}, or {@code LO:HI} for every feature. A range the model declares in its
   * metadata ({@code input_range} or {@code pixel_range}, as {@code LO:HI}) replaces {@code observed}.
   */
  public static InputSpace of(long[] shape, String bounds, float[][] rows, Optional<String> declared) {
    int d = rows.length == 0 ? (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b) : rows[0].length;
    String spec = bounds.equals("observed") && declared.filter(s -> !s.isBlank()).isPresent() ? declared.get() : bounds;
    float[] lo = new float[d];
    float[] hi = new float[d];
    switch (spec) {
      case "none" -> {
        Arrays.fill(lo, Float.NEGATIVE_INFINITY);
        Arrays.fill(hi, Float.POSITIVE_INFINITY);
      }
      case "observed" -> {
        float[][] seen = RobustnessEvaluation.observedBounds(rows);
        if (shape.length >= 2) {
          Arrays.fill(lo, min(seen[0]));
          Arrays.fill(hi, max(seen[1]));
        } else {
          lo = seen[0];
          hi = seen[1];
        }
      }
      default -> {
        float[] range = parseRange(spec);
        Arrays.fill(lo, range[0]);
        Arrays.fill(hi, range[1]);
      }
    }
    return new InputSpace(shape, lo, hi);
  }

  static float[] parseRange(String spec) {
    String[] parts = spec.split(":");
    try {
      if (parts.length == 2) {
        float lo = Float.parseFloat(parts[0].trim());
        float hi = Float.parseFloat(parts[1].trim());
        if (lo < hi && Float.isFinite(lo) && Float.isFinite(hi)) {
          return new float[] {lo, hi};
        }
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(String.format(Locale.ROOT,
        "bounds '%s' are not observed, none or LO:HI (for example 0:255 for 8-bit pixels)", spec));
  }

  private static float min(float[] v) {
    float m = Float.POSITIVE_INFINITY;
    for (float x : v) {
      m = Math.min(m, x);
    }
    return m;
  }

  private static float max(float[] v) {
    float m = Float.NEGATIVE_INFINITY;
    for (float x : v) {
      m = Math.max(m, x);
    }
    return m;
  }
}

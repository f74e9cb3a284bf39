package dev.rampart.eval.runner;

import java.util.Arrays;
import java.util.Locale;

/**
 * Declared preprocessing between the data and the model: each value becomes {@code (value - offset) / scale} before
 * the model sees it, so that attacks, bounds and epsilons stay in the data's own units (pixel levels, dollars) while
 * the model gets the normalised input it was trained on.
 */
public record Preprocessing(float[] offset, float[] scale) {
  public static final Preprocessing NONE = new Preprocessing(new float[] {0}, new float[] {1});

  public Preprocessing {
    offset = offset.clone();
    scale = scale.clone();
    for (float s : scale) {
      if (!(s != 0 && Float.isFinite(s))) {
        throw new IllegalArgumentException("a preprocessing scale must be finite and non-zero");
      }
    }
  }

  /**
   * {@code OFFSET:SCALE}, each a number or a comma list with one value per feature; for example {@code 0:255} for
   * 8-bit pixels the model expects in [0, 1], or {@code 0.485,0.456,0.406:0.229,0.224,0.225} per channel.
   */
  public static Preprocessing parse(String spec) {
    String[] parts = spec.trim().split(":");
    if (parts.length != 2) {
      throw new IllegalArgumentException("preprocessing '" + spec + "' is not OFFSET:SCALE, for example 0:255");
    }
    try {
      return new Preprocessing(numbers(parts[0]), numbers(parts[1]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("preprocessing '" + spec + "' is not OFFSET:SCALE, for example 0:255");
    }
  }

  private static float[] numbers(String list) {
    String[] items = list.split(",");
    float[] out = new float[items.length];
    for (int i = 0; i < items.length; i++) {
      out[i] = Float.parseFloat(items[i].trim());
    }
    return out;
  }

  boolean identity() {
    return Arrays.equals(offset, new float[] {0}) && Arrays.equals(scale, new float[] {1});
  }

  /**
   * The value of feature {@code j} of {@code features} as the model sees it. Lists shorter than the row repeat in
   * blocks (one value per channel of a [channels, height, width] image).
   */
  float apply(float value, int j, int features) {
    return (value - pick(offset, j, features)) / pick(scale, j, features);
  }

  /** {offsets, scales}, one of each per feature of a row of {@code features}. */
  public float[][] perFeature(int features) {
    float[] o = new float[features];
    float[] s = new float[features];
    for (int j = 0; j < features; j++) {
      o[j] = pick(offset, j, features);
      s[j] = pick(scale, j, features);
    }
    return new float[][] {o, s};
  }

  private static float pick(float[] values, int j, int features) {
    if (values.length == 1) {
      return values[0];
    }
    if (values.length == features) {
      return values[j];
    }
    return values[j / Math.max(1, features / values.length)];
  }

  void check(int features) {
    for (float[] v : new float[][] {offset, scale}) {
      if (v.length != 1 && v.length != features && features % v.length != 0) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "preprocessing has %d values; give 1, one per channel, or %d (one per feature)", v.length, features));
      }
    }
  }
}

package dev.rampart.eval.backdoor;

import dev.rampart.eval.InputSpace;
import java.util.List;
import java.util.Locale;

/** A small change stamped on every input, the shape a planted backdoor takes. */
public sealed interface Trigger {

  float[] stamp(float[] row);

  String describe(List<String> features);

  /** A square of {@code size} pixels set to {@code value} in every channel, its top-left corner at (top, left). */
  record Patch(InputSpace space, int top, int left, int size, float value) implements Trigger {
    @Override
    public float[] stamp(float[] row) {
      float[] out = row.clone();
      int h = space.height();
      int w = space.width();
      for (int c = 0; c < space.channels(); c++) {
        for (int r = top; r < top + size; r++) {
          for (int col = left; col < left + size; col++) {
            out[c * h * w + r * w + col] = value;
          }
        }
      }
      return out;
    }

    @Override
    public String describe(List<String> features) {
      return String.format(Locale.ROOT, "%dx%d patch = %.4g at rows %d-%d, columns %d-%d", size, size, value, top,
          top + size - 1, left, left + size - 1);
    }
  }

  /** One feature set to an extreme of its valid range. */
  record FeatureValue(int feature, float value, boolean high) implements Trigger {
    @Override
    public float[] stamp(float[] row) {
      float[] out = row.clone();
      out[feature] = value;
      return out;
    }

    @Override
    public String describe(List<String> features) {
      String name = feature < features.size() ? features.get(feature) : "feature " + feature;
      return String.format(Locale.ROOT, "%s = %.5g (its %s)", name, value, high ? "maximum" : "minimum");
    }
  }
}

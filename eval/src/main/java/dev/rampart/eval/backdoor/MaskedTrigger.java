package dev.rampart.eval.backdoor;

import dev.rampart.eval.InputSpace;

/**
 * A trigger as Neural Cleanse writes it: {@code x' = (1 - m) x + m p}, with a mask {@code m} in [0, 1] per position
 * (shared by an image's channels) and a pattern {@code p} per input value. Its size is the mask's L1 norm.
 *
 * @param channels 1 for tabular rows
 * @param positions pixels per channel (height times width), or features
 * @param mask one weight per position
 * @param pattern one value per input, channel-major like the rows
 */
record MaskedTrigger(int channels, int positions, float[] mask, float[] pattern) {

  static MaskedTrigger of(InputSpace space, int features, float[] mask, float[] pattern) {
    int channels = space.image() ? space.channels() : 1;
    return new MaskedTrigger(channels, features / channels, mask.clone(), pattern.clone());
  }

  float[] stamp(float[] row) {
    float[] out = new float[row.length];
    for (int c = 0; c < channels; c++) {
      for (int s = 0; s < positions; s++) {
        int j = c * positions + s;
        out[j] = (1 - mask[s]) * row[j] + mask[s] * pattern[j];
      }
    }
    return out;
  }

  double norm() {
    double sum = 0;
    for (float m : mask) {
      sum += m;
    }
    return sum;
  }
}

package dev.rampart.eval.attack;

/**
 * Where an L-inf attack may move a row: at most {@code epsilon · scale[j]} on feature j, and never outside
 * {@code [lower[j], upper[j]]}. For tabular data the scale is each feature's standard deviation, so one epsilon means
 * the same on every feature; for images it is 1 and the bounds are the pixel range.
 */
public record ThreatModel(double epsilon, float[] scale, float[] lower, float[] upper) {

  public float clip(int j, float v) {
    return Math.max(lower[j], Math.min(upper[j], v));
  }

  public float step(int j) {
    return (float) (epsilon * scale[j]);
  }

  /** Feature j moved to a random end of its epsilon-interval, within bounds. */
  float corner(int j, float value, java.util.SplittableRandom random) {
    return clip(j, value + (random.nextBoolean() ? 1 : -1) * step(j));
  }

  /** The row moved to a random corner of its epsilon-box, within bounds. */
  float[] randomCorner(float[] row, java.util.SplittableRandom random) {
    float[] out = new float[row.length];
    for (int j = 0; j < row.length; j++) {
      out[j] = corner(j, row[j], random);
    }
    return out;
  }
}

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
}

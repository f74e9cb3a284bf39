package dev.rampart.eval.backdoor;

/**
 * The free parameters of a {@link MaskedTrigger}, unbounded so that plain gradient steps never leave the valid range:
 * {@code m = (tanh a + 1) / 2} and {@code p = lo + (hi - lo) (tanh b + 1) / 2}.
 */
record TriggerParameters(int channels, float[] a, float[] b, float[] lo, float[] hi) {

  MaskedTrigger trigger() {
    float[] m = new float[a.length];
    for (int s = 0; s < a.length; s++) {
      m[s] = (float) ((Math.tanh(a[s]) + 1) / 2);
    }
    float[] p = new float[b.length];
    for (int j = 0; j < b.length; j++) {
      p[j] = (float) (lo[j] + (hi[j] - lo[j]) * (Math.tanh(b[j]) + 1) / 2);
    }
    return new MaskedTrigger(channels, a.length, m, p);
  }

  /** The chain rule from a gradient by mask value to one by {@code a}. */
  float[] byA(float[] byMask) {
    float[] out = new float[a.length];
    for (int s = 0; s < a.length; s++) {
      double t = Math.tanh(a[s]);
      out[s] = (float) (byMask[s] * (1 - t * t) / 2);
    }
    return out;
  }

  /** The chain rule from a gradient by pattern value to one by {@code b}. */
  float[] byB(float[] byPattern) {
    float[] out = new float[b.length];
    for (int j = 0; j < b.length; j++) {
      double t = Math.tanh(b[j]);
      out[j] = (float) (byPattern[j] * (hi[j] - lo[j]) * (1 - t * t) / 2);
    }
    return out;
  }

  /** These parameters moved by {@code step} times a direction over {@code a} then {@code b}. */
  TriggerParameters moved(float[] direction, double step) {
    float[] na = a.clone();
    float[] nb = b.clone();
    for (int s = 0; s < na.length; s++) {
      na[s] += (float) (step * direction[s]);
    }
    for (int j = 0; j < nb.length; j++) {
      nb[j] += (float) (step * direction[na.length + j]);
    }
    return new TriggerParameters(channels, na, nb, lo, hi);
  }
}

package dev.rampart.data.poison;

/** Row sets by label. */
final class Classes {
  private Classes() {}

  /** The rows labelled {@code k}, in order. */
  static int[] members(int[] labels, int k) {
    int count = 0;
    for (int l : labels) {
      count += l == k ? 1 : 0;
    }
    int[] out = new int[count];
    int i = 0;
    for (int r = 0; r < labels.length; r++) {
      if (labels[r] == k) {
        out[i++] = r;
      }
    }
    return out;
  }
}

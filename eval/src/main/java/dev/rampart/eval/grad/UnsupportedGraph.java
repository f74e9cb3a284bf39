package dev.rampart.eval.grad;

/**
 * Why Rampart cannot differentiate a model itself: an operator or attribute it does not implement, external data, or a
 * graph it cannot read. The caller falls back to black-box attacks and reports this reason.
 */
public final class UnsupportedGraph extends Exception {
  public UnsupportedGraph(String message) {
    super(message);
  }
}

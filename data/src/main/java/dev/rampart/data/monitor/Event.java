package dev.rampart.data.monitor;

import java.util.Arrays;

/**
 * One parsed inference event, reused from line to line so that watching a stream allocates almost nothing per
 * event. Numeric features are held by slot, NaN when missing; categorical ones as strings, null when missing.
 */
final class Event {
  final double[] numbers;
  final String[] categories;
  String ts;
  String id;
  String prediction;
  double confidence;
  String label;
  boolean labelOnly;

  Event(int numericSlots, int categoricalSlots) {
    numbers = new double[numericSlots];
    categories = new String[categoricalSlots];
  }

  void clear() {
    Arrays.fill(numbers, Double.NaN);
    Arrays.fill(categories, null);
    ts = null;
    id = null;
    prediction = null;
    confidence = Double.NaN;
    label = null;
    labelOnly = false;
  }
}

package dev.rampart.data.monitor;

import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/** One window's reconstruction errors against a {@link ReconstructionProfile}, in constant memory. */
final class Multivariate {
  private final ReconstructionProfile reference;
  /** For each reconstruction feature, its index among the watcher's numeric features. */
  private final int[] index;
  private final double[] row;
  private final double[] residuals;
  private double sum;
  private int count;

  Multivariate(ReconstructionProfile reference, List<FeatureProfile.Numeric> numeric) {
    this.reference = reference;
    var names = numeric.stream().map(FeatureProfile::name).toList();
    index = reference.features().stream().mapToInt(names::indexOf).toArray();
    row = new double[index.length];
    residuals = new double[index.length];
  }

  /** Adds an event whose numeric features are {@code numbers}; events missing half the features or more are skipped. */
  void add(double[] numbers) {
    int present = 0;
    for (int c = 0; c < index.length; c++) {
      row[c] = numbers[index[c]];
      present += Double.isNaN(row[c]) ? 0 : 1;
    }
    if (2 * present > index.length) {
      sum += reference.error(row, residuals);
      count++;
    }
  }

  ReconstructionProfile reference() {
    return reference;
  }

  int count() {
    return count;
  }

  double mean() {
    return count == 0 ? Double.NaN : sum / count;
  }

  /** The features with the largest squared residuals in this window, largest first. */
  List<String> strongest(int n) {
    return IntStream.range(0, index.length).boxed()
        .sorted(Comparator.comparingDouble((Integer c) -> residuals[c]).reversed()).limit(n)
        .map(c -> reference.features().get(c)).toList();
  }

  void write(com.fasterxml.jackson.databind.node.ObjectNode out) {
    out.put("sum", sum).put("count", count);
    var r = out.putArray("residuals");
    for (double v : residuals) {
      r.add(v);
    }
  }

  void read(com.fasterxml.jackson.databind.JsonNode in) {
    sum = in.path("sum").asDouble();
    count = in.path("count").asInt();
    for (int c = 0; c < residuals.length; c++) {
      residuals[c] = in.path("residuals").path(c).asDouble();
    }
  }

  void reset() {
    sum = 0;
    count = 0;
    java.util.Arrays.fill(residuals, 0);
  }
}

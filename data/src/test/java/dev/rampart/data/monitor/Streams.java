package dev.rampart.data.monitor;

import dev.rampart.data.io.Column;
import dev.rampart.data.io.Dataset;
import dev.rampart.data.io.DatasetFormat;
import dev.rampart.data.io.DatasetReader;
import dev.rampart.data.io.ReadLimits;
import dev.rampart.data.learn.FeatureEncoder;
import dev.rampart.data.learn.FeatureMatrix;
import dev.rampart.data.learn.SoftmaxRegression;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * Event streams from a real dataset (breast cancer, from Debian's sklearn) scored by a real model: a logistic
 * regression trained on half the rows. The other half is the reference; streams resample it, with a change from
 * {@link #CHANGE} on.
 */
public final class Streams {
  public static final int EVENTS = 20_000;
  public static final int CHANGE = 10_000;

  final Dataset data;
  final List<String> features;
  final String[] labels;
  final int[] reference;
  private final FeatureMatrix x;
  private final SoftmaxRegression model;
  private final List<String> classes;
  private final double[][] columns;
  private final double[][] scaling;

  public Streams() throws Exception {
    this(Path.of("src/test/resources/datasets/clean/breast_cancer.csv.gz"));
  }

  public Streams(Path breastCancer) throws Exception {
    data = new DatasetReader(ReadLimits.defaults()).read(breastCancer);
    var labelColumn = data.labels("label");
    classes = labelColumn.levels();
    features = data.columnsExcept(List.of("label")).stream().map(Column::name).toList();
    x = FeatureEncoder.encode(data.columnsExcept(List.of("label")), data.rows());
    labels = new String[data.rows()];
    for (int r = 0; r < data.rows(); r++) {
      labels[r] = labelColumn.display(r);
    }
    int[] train = IntStream.range(0, data.rows()).filter(r -> r % 2 == 0).toArray();
    reference = IntStream.range(0, data.rows()).filter(r -> r % 2 == 1).toArray();
    model = SoftmaxRegression.train(x, labelColumn.codes(), classes.size(), train, 11);
    columns = new double[features.size()][];
    scaling = new double[features.size()][];
    for (int f = 0; f < features.size(); f++) {
      columns[f] = ((Column.Numeric) data.column(features.get(f)).orElseThrow()).values();
      scaling[f] = dev.rampart.data.stats.Robust.centreAndScale(columns[f]);
    }
  }

  /** The reference half with the model's prediction and confidence, as a dataset to profile. */
  public Dataset referenceDataset() {
    var columns = new ArrayList<Column>();
    for (String f : features) {
      double[] all = ((Column.Numeric) data.column(f).orElseThrow()).values();
      columns.add(new Column.Numeric(f, IntStream.of(reference).mapToDouble(r -> all[r]).toArray()));
    }
    int[] label = new int[reference.length];
    int[] predicted = new int[reference.length];
    double[] confidence = new double[reference.length];
    double[] p = new double[classes.size()];
    for (int i = 0; i < reference.length; i++) {
      label[i] = classes.indexOf(labels[reference[i]]);
      model.predict(x, reference[i], p);
      predicted[i] = p[0] >= p[1] ? 0 : 1;
      confidence[i] = Math.max(p[0], p[1]);
    }
    columns.add(new Column.Categorical("label", label, classes));
    columns.add(new Column.Categorical("prediction", predicted, classes));
    columns.add(new Column.Numeric("confidence", confidence));
    return new Dataset("reference", DatasetFormat.CSV, reference.length, columns);
  }

  public ReferenceProfile profile() throws Exception {
    return Profiler.profile(referenceDataset(),
        new Profiler.Options("label", java.util.Optional.of("prediction"), java.util.Optional.of("confidence"),
            List.of()), "sha256:" + "0".repeat(64));
  }

  /** How an event differs from a resampled reference row after the change point. */
  public interface Change {
    /** Adjusts the raw feature values (indexed like {@link #features}) of event {@code i}. */
    default void features(int i, double[] values, double[] std) {}

    /** The label the world gives event {@code i} whose true label is {@code label}. */
    default String label(int i, String label) {
      return label;
    }

    /** Which reference rows may be drawn for event {@code i}. */
    default IntPredicate rows(int i, String[] labels) {
      return r -> true;
    }
  }

  /** A stream of JSON lines; {@code labelled} adds the label to every event. */
  public List<String> stream(Change change, boolean labelled, long seed) {
    var random = new Random(seed);
    double[] std = new double[features.size()];
    for (int f = 0; f < features.size(); f++) {
      double[] v = columns[f];
      double m = IntStream.of(reference).mapToDouble(r -> v[r]).average().orElse(0);
      std[f] = Math.sqrt(IntStream.of(reference).mapToDouble(r -> (v[r] - m) * (v[r] - m)).average().orElse(0));
    }
    var lines = new ArrayList<String>(EVENTS);
    double[] values = new double[features.size()];
    float[] encoded = new float[x.width()];
    double[] p = new double[classes.size()];
    for (int i = 0; i < EVENTS; i++) {
      int row = reference[random.nextInt(reference.length)];
      if (i >= CHANGE) {
        IntPredicate allowed = change.rows(i, labels);
        while (!allowed.test(row)) {
          row = reference[random.nextInt(reference.length)];
        }
      }
      for (int f = 0; f < values.length; f++) {
        values[f] = columns[f][row];
      }
      if (i >= CHANGE) {
        change.features(i, values, std);
      }
      System.arraycopy(x.values(), row * x.width(), encoded, 0, x.width());
      rescore(values, row, encoded);
      model.predict(encoded, p);
      int predicted = p[0] >= p[1] ? 0 : 1;
      var sb = new StringBuilder(String.format(Locale.ROOT, "{\"ts\":\"2026-11-%02dT%02d:%02d:%02dZ\",\"id\":\"e%d\",\"features\":{",
          1 + i / 86_400 % 28, i / 3600 % 24, i / 60 % 60, i % 60, i));
      for (int f = 0; f < values.length; f++) {
        sb.append(f == 0 ? "" : ",").append('"').append(features.get(f)).append("\":")
            .append(Double.isNaN(values[f]) ? "null" : String.format(Locale.ROOT, "%.5g", values[f]));
      }
      sb.append("},\"prediction\":\"").append(classes.get(predicted)).append("\",\"probability\":")
          .append(String.format(Locale.ROOT, "%.4f", Math.max(p[0], p[1])));
      String label = i >= CHANGE ? change.label(i, labels[row]) : labels[row];
      if (labelled) {
        sb.append(",\"label\":\"").append(label).append('"');
      }
      lines.add(sb.append('}').toString());
    }
    return lines;
  }

  /** The reference dataset as CSV text, as a user would keep it. */
  public String referenceCsv() {
    Dataset d = referenceDataset();
    var sb = new StringBuilder(String.join(",", d.columnNames().stream().map(n -> "\"" + n + "\"").toList())).append('\n');
    for (int r = 0; r < d.rows(); r++) {
      for (int c = 0; c < d.columns().size(); c++) {
        sb.append(c == 0 ? "" : ",").append(d.columns().get(c).display(r));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** Re-encodes changed raw values with the encoder's scaling, read off the original row. */
  private void rescore(double[] values, int row, float[] encoded) {
    for (int f = 0; f < values.length; f++) {
      double[] centreScale = scaling[f];
      if (centreScale == null) {
        continue;
      }
      double v = Double.isNaN(values[f]) ? centreScale[0] : values[f];
      encoded[f] = (float) Math.max(-8, Math.min(8, (v - centreScale[0]) / centreScale[1]));
    }
  }

  WatchResult watch(ReferenceProfile profile, List<String> lines, Watcher.Options options) {
    var w = new Watcher(profile, options);
    lines.forEach(w::accept);
    return w.finish();
  }
}

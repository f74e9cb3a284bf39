package dev.rampart.data.monitor;

import dev.rampart.data.io.Column;
import dev.rampart.data.io.Dataset;
import dev.rampart.data.io.DatasetFormat;
import dev.rampart.data.io.DatasetReader;
import dev.rampart.data.io.ReadLimits;
import dev.rampart.eval.runner.OnnxClassifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * Event streams from a real dataset scored by a real exported model: the breast cancer data from Debian's sklearn,
 * and scikit-learn's logistic regression trained on its even rows and exported to ONNX by
 * {@code eval/src/test/fixtures/make_models.py}, run through ONNX Runtime. The odd rows are the reference; streams
 * resample them, with a change from {@link #CHANGE} on. A feature the stream omits is imputed with the reference mean
 * before scoring, as a serving system would.
 */
public final class Streams {
  public static final int EVENTS = 20_000;
  public static final int CHANGE = 10_000;

  final Dataset data;
  final List<String> features;
  final String[] labels;
  final int[] reference;
  private final Path modelFile;
  private final double[][] columns;
  private final double[] means;
  private List<String> classes;

  public Streams() throws Exception {
    this(Path.of("src/test/resources/datasets/clean/breast_cancer.csv.gz"),
        Path.of("../eval/src/test/resources/models/breast_cancer_logreg.onnx"));
  }

  public Streams(Path breastCancer, Path model) throws Exception {
    data = new DatasetReader(ReadLimits.defaults()).read(breastCancer);
    modelFile = model;
    var labelColumn = data.labels("label");
    features = data.columnsExcept(List.of("label")).stream().map(Column::name).toList();
    labels = new String[data.rows()];
    for (int r = 0; r < data.rows(); r++) {
      labels[r] = labelColumn.display(r);
    }
    reference = IntStream.range(0, data.rows()).filter(r -> r % 2 == 1).toArray();
    columns = new double[features.size()][];
    means = new double[features.size()];
    for (int f = 0; f < features.size(); f++) {
      columns[f] = ((Column.Numeric) data.column(features.get(f)).orElseThrow()).values();
      double[] v = columns[f];
      means[f] = IntStream.of(reference).mapToDouble(r -> v[r]).average().orElse(0);
    }
  }

  /** Class probabilities from the exported model, missing values imputed with the reference mean. */
  private float[][] score(double[][] rows) throws Exception {
    float[][] input = new float[rows.length][features.size()];
    for (int i = 0; i < rows.length; i++) {
      for (int f = 0; f < features.size(); f++) {
        input[i][f] = (float) (Double.isNaN(rows[i][f]) ? means[f] : rows[i][f]);
      }
    }
    try (var model = OnnxClassifier.load(modelFile)) {
      float[][] p = model.probabilities(input);
      classes = model.classes(2);
      return p;
    }
  }

  /** The reference half with the model's prediction and confidence, as a dataset to profile. */
  public Dataset referenceDataset() throws Exception {
    double[][] rows = new double[reference.length][];
    for (int i = 0; i < reference.length; i++) {
      rows[i] = raw(reference[i]);
    }
    float[][] p = score(rows);
    var out = new ArrayList<Column>();
    for (int f = 0; f < features.size(); f++) {
      double[] all = columns[f];
      out.add(new Column.Numeric(features.get(f), IntStream.of(reference).mapToDouble(r -> all[r]).toArray()));
    }
    int[] label = new int[reference.length];
    int[] predicted = new int[reference.length];
    double[] confidence = new double[reference.length];
    for (int i = 0; i < reference.length; i++) {
      label[i] = classes.indexOf(labels[reference[i]]);
      predicted[i] = p[i][1] > p[i][0] ? 1 : 0;
      confidence[i] = Math.max(p[i][0], p[i][1]);
    }
    out.add(new Column.Categorical("label", label, classes));
    out.add(new Column.Categorical("prediction", predicted, classes));
    out.add(new Column.Numeric("confidence", confidence));
    return new Dataset("reference", DatasetFormat.CSV, reference.length, out);
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
  public List<String> stream(Change change, boolean labelled, long seed) throws Exception {
    var random = new Random(seed);
    double[] std = new double[features.size()];
    for (int f = 0; f < features.size(); f++) {
      double[] v = columns[f];
      double m = means[f];
      std[f] = Math.sqrt(IntStream.of(reference).mapToDouble(r -> (v[r] - m) * (v[r] - m)).average().orElse(0));
    }
    double[][] rows = new double[EVENTS][];
    String[] truth = new String[EVENTS];
    for (int i = 0; i < EVENTS; i++) {
      int row = reference[random.nextInt(reference.length)];
      if (i >= CHANGE) {
        IntPredicate allowed = change.rows(i, labels);
        while (!allowed.test(row)) {
          row = reference[random.nextInt(reference.length)];
        }
      }
      rows[i] = raw(row);
      if (i >= CHANGE) {
        change.features(i, rows[i], std);
      }
      truth[i] = i >= CHANGE ? change.label(i, labels[row]) : labels[row];
    }
    float[][] p = score(rows);
    var lines = new ArrayList<String>(EVENTS);
    for (int i = 0; i < EVENTS; i++) {
      var sb = new StringBuilder(String.format(Locale.ROOT,
          "{\"ts\":\"2026-11-%02dT%02d:%02d:%02dZ\",\"id\":\"e%d\",\"features\":{",
          1 + i / 86_400 % 28, i / 3600 % 24, i / 60 % 60, i % 60, i));
      for (int f = 0; f < features.size(); f++) {
        sb.append(f == 0 ? "" : ",").append('"').append(features.get(f)).append("\":")
            .append(Double.isNaN(rows[i][f]) ? "null" : String.format(Locale.ROOT, "%.5g", rows[i][f]));
      }
      int predicted = p[i][1] > p[i][0] ? 1 : 0;
      sb.append("},\"prediction\":\"").append(classes.get(predicted)).append("\",\"probability\":")
          .append(String.format(Locale.ROOT, "%.4f", Math.max(p[i][0], p[i][1])));
      if (labelled) {
        sb.append(",\"label\":\"").append(truth[i]).append('"');
      }
      lines.add(sb.append('}').toString());
    }
    return lines;
  }

  /**
   * A broken join: from the change on, the given features come from another random reference row. Each keeps its
   * distribution; only how they relate to the other features changes.
   */
  public Change mismatched(int[] features, long seed) {
    var random = new Random(seed);
    return new Change() {
      @Override
      public void features(int i, double[] values, double[] std) {
        int other = reference[random.nextInt(reference.length)];
        for (int f : features) {
          values[f] = columns[f][other];
        }
      }
    };
  }

  private double[] raw(int row) {
    double[] values = new double[features.size()];
    for (int f = 0; f < values.length; f++) {
      values[f] = columns[f][row];
    }
    return values;
  }

  /** The reference dataset as CSV text, as a user would keep it. */
  public String referenceCsv() throws Exception {
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

  WatchResult watch(ReferenceProfile profile, List<String> lines, Watcher.Options options) {
    var w = new Watcher(profile, options);
    lines.forEach(w::accept);
    return w.finish();
  }
}

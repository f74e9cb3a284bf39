package dev.rampart.eval;

import dev.rampart.eval.runner.OnnxClassifier;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** The committed models and the real tables they were trained on (the even rows; the odd rows are held out). */
public final class Fixtures {
  public static final Path MODELS = Path.of("src/test/resources/models");
  public static final Path BREAST_CANCER = Path.of("../data/src/test/resources/datasets/clean/breast_cancer.csv.gz");
  public static final Path DIGITS = Path.of("../data/src/test/resources/datasets/clean/digits.csv.gz");

  private Fixtures() {}

  public static Path model(String name) {
    return MODELS.resolve(name);
  }

  /** Rows of features and their labels, in file order; the label is the last column. */
  public record Table(List<String> header, List<float[]> rows, List<String> labels) {}

  public static Table table(Path csv) throws Exception {
    var rows = new ArrayList<float[]>();
    var labels = new ArrayList<String>();
    try (var in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(csv))))) {
      List<String> header = List.of(in.readLine().split(","));
      String line;
      while ((line = in.readLine()) != null) {
        String[] f = line.split(",");
        float[] row = new float[f.length - 1];
        for (int i = 0; i < row.length; i++) {
          row[i] = Float.parseFloat(f[i]);
        }
        rows.add(row);
        labels.add(f[f.length - 1]);
      }
      return new Table(header.subList(0, header.size() - 1), rows, labels);
    }
  }

  /** The held-out (odd) rows with their labels as indexes into the model's classes. */
  public record HeldOut(float[][] x, int[] y, List<String> features) {}

  public static HeldOut heldOut(Path csv, OnnxClassifier model) throws Exception {
    var table = table(csv);
    List<String> classes = model.classes(0);
    var rows = new ArrayList<float[]>();
    var truth = new ArrayList<Integer>();
    for (int r = 1; r < table.rows().size(); r += 2) {
      rows.add(table.rows().get(r));
      truth.add(classes.indexOf(table.labels().get(r)));
    }
    return new HeldOut(rows.toArray(float[][]::new), truth.stream().mapToInt(Integer::intValue).toArray(),
        table.header());
  }

  /** A per-epsilon figure the fixture script recorded in the model's metadata, as {@code eps=value,...}. */
  public static Map<Double, Double> recorded(OnnxClassifier model, String key) {
    Map<Double, Double> out = new HashMap<>();
    for (String pair : model.metadata(key).split(",")) {
      String[] kv = pair.split("=");
      out.put(Double.parseDouble(kv[0]), Double.parseDouble(kv[1]));
    }
    return out;
  }
}

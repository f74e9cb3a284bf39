package dev.rampart.cli;

import dev.rampart.data.io.Column;
import dev.rampart.data.io.Dataset;
import dev.rampart.eval.runner.ModelException;
import dev.rampart.eval.runner.OnnxClassifier;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Scores a dataset's feature columns with an ONNX classifier, adding the prediction and its probability. */
final class Scoring {
  static final String PREDICTION = "rampart:prediction";
  static final String CONFIDENCE = "rampart:confidence";

  private Scoring() {}

  static Dataset withPredictions(Dataset data, String label, List<String> ignore, Path modelFile)
      throws IOException {
    var skip = new ArrayList<>(ignore);
    skip.add(label);
    List<Column> features = data.columnsExcept(skip);
    for (Column c : features) {
      if (!(c instanceof Column.Numeric)) {
        throw new IllegalArgumentException("column '" + c.name() + "' is not numeric; a model input takes numbers "
            + "(leave it out with --ignore)");
      }
    }
    try (var model = OnnxClassifier.load(modelFile)) {
      if (model.features() != features.size()) {
        throw new IllegalArgumentException(modelFile + " takes " + model.features() + " features; " + data.source()
            + " has " + features.size() + " feature columns besides the label; leave extra ones out with --ignore");
      }
      float[][] rows = new float[data.rows()][features.size()];
      for (int f = 0; f < features.size(); f++) {
        double[] v = ((Column.Numeric) features.get(f)).values();
        for (int r = 0; r < rows.length; r++) {
          rows[r][f] = (float) v[r];
        }
      }
      float[][] p = model.probabilities(rows);
      List<String> classes = model.classes(p.length == 0 ? 0 : p[0].length);
      int[] predicted = new int[rows.length];
      double[] confidence = new double[rows.length];
      for (int r = 0; r < rows.length; r++) {
        int best = 0;
        for (int k = 1; k < p[r].length; k++) {
          if (p[r][k] > p[r][best]) {
            best = k;
          }
        }
        predicted[r] = best;
        confidence[r] = p[r][best];
      }
      var columns = new ArrayList<>(data.columns());
      columns.add(new Column.Categorical(PREDICTION, predicted, classes));
      columns.add(new Column.Numeric(CONFIDENCE, confidence));
      return new Dataset(data.source(), data.format(), data.rows(), columns);
    } catch (ModelException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}

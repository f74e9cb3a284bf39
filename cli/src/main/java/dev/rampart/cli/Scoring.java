package dev.rampart.cli;

import dev.rampart.data.io.Column;
import dev.rampart.data.io.Dataset;
import dev.rampart.eval.runner.ModelException;
import dev.rampart.eval.runner.OnnxClassifier;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/** Scores a dataset's feature columns with an ONNX classifier, adding the prediction and its probability. */
final class Scoring {
  static final String PREDICTION = "rampart:prediction";
  static final String CONFIDENCE = "rampart:confidence";

  private Scoring() {}

  /**
   * The model's input for the given rows: the feature columns (all but the label and the ignored ones), in file
   * order, which must be numeric and as many as the model takes.
   */
  static float[][] inputs(
      Dataset data, String label, List<String> ignore, OnnxClassifier model, Path modelFile, int[] rows) {
    var skip = new ArrayList<>(ignore);
    skip.add(label);
    List<Column> features = data.columnsExcept(skip);
    if (model.features() != features.size()) {
      throw new IllegalArgumentException(modelFile + " takes " + model.features() + " features; " + data.source()
          + " has " + features.size() + " feature columns besides the label; leave extra ones out with --ignore");
    }
    float[][] x = new float[rows.length][features.size()];
    for (int f = 0; f < features.size(); f++) {
      if (!(features.get(f) instanceof Column.Numeric n)) {
        throw new IllegalArgumentException("column '" + features.get(f).name() + "' is not numeric; a model input "
            + "takes numbers (leave it out with --ignore)");
      }
      for (int i = 0; i < rows.length; i++) {
        x[i][f] = (float) n.values()[rows[i]];
      }
    }
    return x;
  }

  static Dataset withPredictions(Dataset data, String label, List<String> ignore, Path modelFile)
      throws IOException {
    try (var model = OnnxClassifier.load(modelFile)) {
      float[][] p = model.probabilities(inputs(data, label, ignore, model, modelFile,
          IntStream.range(0, data.rows()).toArray()));
      List<String> classes = model.classes(p.length == 0 ? 0 : p[0].length);
      int[] predicted = new int[p.length];
      double[] confidence = new double[p.length];
      for (int r = 0; r < p.length; r++) {
        int best = dev.rampart.eval.runner.Classifier.argmax(p[r]);
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

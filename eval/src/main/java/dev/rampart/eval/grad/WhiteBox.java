package dev.rampart.eval.grad;

import dev.rampart.eval.runner.Classifier;
import dev.rampart.eval.runner.ModelException;
import dev.rampart.eval.runner.OnnxClassifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Whether Rampart can differentiate a classifier itself. It can when every operator of the graph has a gradient here
 * and Rampart's own forward pass agrees with ONNX Runtime's on the evaluation rows; otherwise the reason says why,
 * and attacks stay black-box.
 */
public sealed interface WhiteBox {
  /** Largest difference in class probability tolerated between Rampart's forward pass and ONNX Runtime's. */
  double AGREEMENT = 1e-3;
  long MAX_MODEL_BYTES = 256L << 20;

  record Available(GraphModel model) implements WhiteBox {}

  record Unavailable(String reason) implements WhiteBox {}

  static WhiteBox of(Path path, OnnxClassifier classifier, float[][] rows) throws IOException, ModelException {
    if (Files.size(path) > MAX_MODEL_BYTES) {
      return new Unavailable("the model is larger than " + (MAX_MODEL_BYTES >> 20) + " MiB");
    }
    GraphModel model;
    try {
      float[][] pre = classifier.preprocessing().perFeature(classifier.features());
      model = GraphModel.load(Files.readAllBytes(path), classifier.outputName(), classifier.inputShape(), pre[0],
          pre[1]);
      return agree(model, classifier, rows);
    } catch (UnsupportedGraph e) {
      return new Unavailable(e.getMessage());
    } catch (RuntimeException e) {
      return new Unavailable("the graph could not be evaluated: " + e);
    }
  }

  /** Rampart's forward pass against ONNX Runtime's on up to 256 rows: any disagreement keeps the attacks black-box. */
  private static WhiteBox agree(GraphModel model, Classifier classifier, float[][] rows)
      throws UnsupportedGraph, ModelException {
    float[][] sample = java.util.Arrays.copyOf(rows, Math.min(rows.length, 256));
    // Rampart's pass first: a graph that expands past the tensor limit is refused before ONNX Runtime runs it
    float[][] logits = model.logits(sample);
    float[][] expected = classifier.probabilities(sample);
    double worst = 0;
    for (int i = 0; i < sample.length; i++) {
      if (logits[i].length != expected[i].length) {
        return new Unavailable("Rampart's forward pass gives " + logits[i].length + " classes; ONNX Runtime "
            + expected[i].length);
      }
      float[] p = softmax(logits[i]);
      for (int k = 0; k < p.length; k++) {
        worst = Math.max(worst, Math.abs(p[k] - expected[i][k]));
      }
    }
    if (!(worst <= AGREEMENT)) {
      return new Unavailable(String.format(Locale.ROOT,
          "Rampart's forward pass differs from ONNX Runtime's by %.3g in class probability", worst));
    }
    return new Available(model);
  }

  static float[] softmax(float[] z) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : z) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (float v : z) {
      sum += Math.exp(v - max);
    }
    float[] p = new float[z.length];
    for (int k = 0; k < z.length; k++) {
      p[k] = (float) (Math.exp(z[k] - max) / sum);
    }
    return p;
  }
}

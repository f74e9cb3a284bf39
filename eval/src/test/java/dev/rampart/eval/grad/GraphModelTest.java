package dev.rampart.eval.grad;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.eval.Fixtures;
import dev.rampart.eval.runner.OnnxClassifier;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Rampart's own forward pass against ONNX Runtime's on the committed models, and its reverse pass against central
 * finite differences of its forward pass, on real held-out rows.
 */
class GraphModelTest {

  @ParameterizedTest
  @ValueSource(strings = {"digits_mlp.onnx", "digits_mlp_adv.onnx", "digits_mlp_badnets.onnx", "graph_cnn.onnx",
      "breast_cancer_mlp.onnx", "breast_cancer_logreg.onnx"})
  void forwardMatchesOnnxRuntimeAndGradientMatchesFiniteDifferences(String name) throws Exception {
    Path path = Fixtures.model(name);
    try (var classifier = OnnxClassifier.load(path)) {
      classifier.outputs(OnnxClassifier.Outputs.AUTO).preprocessing(null);
      float[][] x = rows(name, classifier);
      var white = WhiteBox.of(path, classifier, x);
      assertThat(white).isInstanceOf(WhiteBox.Available.class);
      GraphModel model = ((WhiteBox.Available) white).model();
      float[] scale = RobustnessScale.of(x);
      var random = new SplittableRandom(11);
      // jittered rows: flat backgrounds make max-pool windows tie, where the loss has no derivative to compare
      float[][] sample = new float[6][];
      for (int i = 0; i < sample.length; i++) {
        sample[i] = x[i].clone();
        for (int j = 0; j < sample[i].length; j++) {
          sample[i][j] += (float) (random.nextDouble(0, 0.3) * scale[j]);
        }
      }
      int[] labels = new int[sample.length];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = i % model.logits(sample)[0].length;
      }
      var g = model.gradient(sample, labels);
      double worst = 0;
      int probes = 0;
      int kinks = 0;
      double largest = 0;
      for (int i = 0; i < sample.length; i++) {
        for (int probe = 0; probe < 12; probe++) {
          int j = random.nextInt(sample[i].length);
          // large enough that float rounding of the loss (about 1e-7) stays far below the difference
          double h = 2e-2 * Math.max(scale[j], 1e-3);
          double up = loss(model, sample[i], j, h, labels[i]);
          double here = loss(model, sample[i], j, 0, labels[i]);
          double down = loss(model, sample[i], j, -h, labels[i]);
          double right = (up - here) / h;
          double left = (here - down) / h;
          probes++;
          if (Math.abs(right - left) > 0.2 * Math.abs(right + left) / 2 + 1e-4 / scale[j]) {
            kinks++; // a ReLU or max-pool switches within h: no derivative to compare there
            continue;
          }
          double numeric = (up - down) / (2 * h);
          worst = Math.max(worst, Math.abs(numeric - g.input()[i][j]) * scale[j]);
          largest = Math.max(largest, Math.abs(g.input()[i][j]) * scale[j]);
        }
      }
      assertThat(kinks).as(name + ": probes across a kink").isLessThan(probes / 10);
      assertThat(largest).as(name + ": the probed gradients are not all zero").isGreaterThan(1e-3);
      assertThat(worst).as(name + ": finite differences against the reverse pass").isLessThan(5e-2 * largest + 5e-5);
    }
  }

  @Test
  void anUnsupportedOperatorKeepsTheModelBlackBoxAndSaysWhich() throws Exception {
    Path path = Fixtures.model("graph_unsupported.onnx");
    try (var classifier = OnnxClassifier.load(path)) {
      var white = WhiteBox.of(path, classifier, rows("digits", classifier));
      assertThat(white).isInstanceOfSatisfying(WhiteBox.Unavailable.class,
          u -> assertThat(u.reason()).contains("Erf"));
    }
  }

  @Test
  void aGraphThatExpandsPastTheTensorLimitIsRefusedBeforeAllocating() throws Exception {
    byte[] bomb = java.nio.file.Files.readAllBytes(Fixtures.model("graph_expansion_bomb.onnx"));
    var model = GraphModel.load(bomb, "logits", new long[] {64}, new float[64], ones(64));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> model.logits(new float[][] {new float[64]}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("over");
  }

  @Test
  void malformedGraphsAreUnsupportedNotCrashes() {
    var random = new SplittableRandom(5);
    byte[] valid;
    try {
      valid = java.nio.file.Files.readAllBytes(Fixtures.model("digits_mlp.onnx"));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    for (int trial = 0; trial < 300; trial++) {
      byte[] bytes = trial % 2 == 0 ? Arrays.copyOf(valid, random.nextInt(valid.length)) : valid.clone();
      if (trial % 2 == 1) {
        for (int k = 0; k < 8; k++) {
          bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
      }
      try {
        GraphModel.load(bytes, "logits", new long[] {1, 8, 8}, new float[64], ones(64)).logits(new float[][] {new float[64]});
      } catch (UnsupportedGraph expected) {
        // the reason is reported and attacks stay black-box
      } catch (RuntimeException e) {
        // a graph that parses but cannot run (wrong shapes) must not escape as anything but a runtime refusal
        assertThat(e).isInstanceOfAny(IllegalArgumentException.class, ArithmeticException.class,
            ArrayIndexOutOfBoundsException.class, NegativeArraySizeException.class, NullPointerException.class);
      }
    }
  }

  private static float[] ones(int n) {
    float[] v = new float[n];
    Arrays.fill(v, 1);
    return v;
  }

  private static double loss(GraphModel model, float[] row, int j, double h, int label) throws Exception {
    float[] r = row.clone();
    r[j] += (float) h;
    return model.gradient(new float[][] {r}, new int[] {label}).loss()[0];
  }

  private static float[][] rows(String name, OnnxClassifier classifier) throws Exception {
    return Fixtures.heldOut(name.startsWith("breast") ? Fixtures.BREAST_CANCER : Fixtures.DIGITS, classifier).x();
  }

  /** The unit of a feature: its standard deviation on tabular data, 1 pixel level on images. */
  private static final class RobustnessScale {
    static float[] of(float[][] x) {
      float[] s = dev.rampart.eval.RobustnessEvaluation.standardDeviations(x);
      if (x[0].length == 64) {
        Arrays.fill(s, 1f);
      }
      return s;
    }
  }
}

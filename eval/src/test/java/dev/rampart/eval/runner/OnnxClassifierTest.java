package dev.rampart.eval.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real exported classifier (scikit-learn's logistic regression on breast cancer) run through ONNX Runtime. */
public class OnnxClassifierTest {
  public static final Path MODEL = Path.of("src/test/resources/models/breast_cancer_logreg.onnx");

  @Test
  void theExportedModelScoresTheHeldOutRowsAsScikitLearnDid() throws Exception {
    var table = dev.rampart.eval.Fixtures.table(dev.rampart.eval.Fixtures.BREAST_CANCER);
    var rows = table.rows();
    var labels = table.labels();
    try (var model = OnnxClassifier.load(MODEL)) {
      assertThat(model.features()).isEqualTo(30);
      List<String> classes = model.classes(2);
      assertThat(classes).containsExactly("malignant", "benign");
      var heldOut = new ArrayList<float[]>();
      var truth = new ArrayList<String>();
      for (int r = 1; r < rows.size(); r += 2) {
        heldOut.add(rows.get(r));
        truth.add(labels.get(r));
      }
      float[][] p = model.probabilities(heldOut.toArray(float[][]::new));
      int right = 0;
      for (int i = 0; i < p.length; i++) {
        assertThat(p[i][0] + p[i][1]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-4f));
        right += classes.get(p[i][1] > p[i][0] ? 1 : 0).equals(truth.get(i)) ? 1 : 0;
      }
      // the fixture script recorded 0.9542 for scikit-learn on the same rows
      assertThat(right / (double) p.length).isCloseTo(0.9542, org.assertj.core.data.Offset.offset(0.004));
      assertThat(model.queries()).isEqualTo(p.length);
    }
  }

  @Test
  void rowsOfTheWrongWidthAreAShapeMismatch() throws Exception {
    try (var model = OnnxClassifier.load(MODEL)) {
      assertThatThrownBy(() -> model.probabilities(new float[][] {new float[29]}))
          .isInstanceOf(ModelException.ShapeMismatch.class).hasMessageContaining("takes 30");
    }
  }

  @Test
  void nanInputThatReachesTheOutputIsABadOutput() throws Exception {
    float[] row = new float[30];
    java.util.Arrays.fill(row, Float.NaN);
    try (var model = OnnxClassifier.load(MODEL)) {
      assertThatThrownBy(() -> model.probabilities(new float[][] {row})).isInstanceOf(ModelException.BadOutput.class)
          .hasMessageContaining("NaN");
    }
  }

  @Test
  void aFileThatIsNotOnnxIsRefusedWithTheReason(@TempDir Path dir) throws Exception {
    Path notOnnx = Files.write(dir.resolve("model.onnx"), "def f(): pass\n".getBytes());
    assertThatThrownBy(() -> OnnxClassifier.load(notOnnx)).isInstanceOf(ModelException.Unsupported.class)
        .hasMessageContaining("not a model");
    Path toy = Path.of("../examples/models/clean/classifier.onnx");
    try (var model = OnnxClassifier.load(toy)) {
      assertThat(model.features()).isEqualTo(4);
      assertThat(model.classes(3)).containsExactly("0", "1", "2");
      // exported with a fixed batch of one: every row still gets its own answer
      float[][] p = model.probabilities(new float[][] {{1, 0, 0, 0}, {0, 0, 0, 0}, {2, 2, 2, 2}});
      assertThat(p).hasNumberOfRows(3);
      assertThat(p[1]).containsExactly(1 / 3f, 1 / 3f, 1 / 3f);
    }
  }

  @Test
  void logitsBecomeProbabilities() throws Exception {
    var auto = OnnxClassifier.Outputs.AUTO;
    float[] p = OnnxClassifier.asDistribution(new float[] {2f, 0f, -1f}, 0, auto);
    assertThat(p[0] + p[1] + p[2]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-6f));
    assertThat(p[0]).isGreaterThan(p[1]);
    assertThat(OnnxClassifier.asDistribution(new float[] {0.2f, 0.8f}, 0, auto)).containsExactly(0.2f, 0.8f);
  }

  @Test
  void declaredPreprocessingLetsTheDataKeepItsOwnUnits() throws Exception {
    try (var model = OnnxClassifier.load(dev.rampart.eval.Fixtures.model("digits_mlp.onnx"))) {
      var held = dev.rampart.eval.Fixtures.heldOut(dev.rampart.eval.Fixtures.DIGITS, model);
      float[][] raw = java.util.Arrays.copyOf(held.x(), 50);
      float[][] unit = new float[raw.length][];
      for (int i = 0; i < raw.length; i++) {
        unit[i] = raw[i].clone();
        for (int j = 0; j < unit[i].length; j++) {
          unit[i][j] /= 16f;
        }
      }
      float[][] expected = model.probabilities(raw);
      float[][] scaled = model.preprocessing(Preprocessing.parse("0:0.0625")).probabilities(unit);
      for (int i = 0; i < raw.length; i++) {
        assertThat(scaled[i]).containsExactly(expected[i], org.assertj.core.data.Offset.offset(1e-5f));
      }
      assertThatThrownBy(() -> model.preprocessing(Preprocessing.parse("0,0,0:1"))).hasMessageContaining("one per");
      assertThatThrownBy(() -> Preprocessing.parse("255")).hasMessageContaining("OFFSET:SCALE");
      assertThatThrownBy(() -> Preprocessing.parse("0:0")).hasMessageContaining("non-zero");
    }
  }

  @Test
  void aDeclaredOutputKindOverridesDetection() throws Exception {
    // logits that happen to look like a distribution are still logits when declared so
    float[] p = OnnxClassifier.asDistribution(new float[] {0.2f, 0.8f}, 0, OnnxClassifier.Outputs.LOGITS);
    assertThat(p[1]).isCloseTo((float) (1 / (1 + Math.exp(-0.6))), org.assertj.core.data.Offset.offset(1e-6f));
    assertThatThrownBy(() -> OnnxClassifier.asDistribution(new float[] {2f, 0f}, 3,
        OnnxClassifier.Outputs.PROBABILITIES)).isInstanceOf(ModelException.BadOutput.class)
        .hasMessageContaining("row 3").hasMessageContaining("logits");
    assertThatThrownBy(() -> OnnxClassifier.Outputs.parse("scores")).hasMessageContaining("auto, probabilities");
  }
}

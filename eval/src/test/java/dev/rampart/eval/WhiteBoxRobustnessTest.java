package dev.rampart.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.eval.attack.Apgd;
import dev.rampart.eval.attack.NoiseBaseline;
import dev.rampart.eval.grad.WhiteBox;
import dev.rampart.eval.report.RobustnessReport;
import dev.rampart.eval.runner.OnnxClassifier;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * APGD-CE on Rampart's own gradients against the committed digits MLPs, compared with the PyTorch PGD reference that
 * make_pgd_reference.py computed on the same held-out rows (10 restarts, 100 steps). Epsilon is in pixel levels
 * (0..16): 1.6 is 0.1 of the range, where a black-box attack alone reported 0.93.
 */
class WhiteBoxRobustnessTest {
  private static final java.util.Map<String, List<Double>> EPS = java.util.Map.of("digits_mlp.onnx", List.of(1.6),
      "digits_mlp_adv.onnx", List.of(2.0));
  private static final Path REFERENCE = Path.of("src/test/resources/reference/pgd_reference.json");

  @Test
  void apgdOnRampartsGradientsMatchesPyTorchPgdAndTheGateNamesIt() throws Exception {
    var reference = new ObjectMapper().readTree(REFERENCE.toFile()).get("models");
    for (String name : List.of("digits_mlp.onnx", "digits_mlp_adv.onnx")) {
      Path path = Fixtures.model(name);
      try (var model = OnnxClassifier.load(path)) {
        model.outputs(OnnxClassifier.Outputs.AUTO).preprocessing(null);
        var held = Fixtures.heldOut(Fixtures.DIGITS, model);
        var white = WhiteBox.of(path, model, held.x());
        assertThat(white).isInstanceOf(WhiteBox.Available.class);
        var space = InputSpace.of(model.inputShape(), "observed", held.x(), Optional.of(model.metadata("pixel_range")));
        float[] unit = new float[64];
        Arrays.fill(unit, 1f);
        var settings = new RobustnessEvaluation.Settings(EPS.get(name),
            List.of(new Apgd(((WhiteBox.Available) white).model(), 100, 5), new NoiseBaseline()), 100, 3,
            unit, space.lower(), space.upper());
        var result = RobustnessEvaluation.run(model, held.x(), held.y(), settings);
        assertThat(result.cleanAccuracy()).isCloseTo(reference.get(name).get("clean").asDouble(),
            org.assertj.core.data.Offset.offset(1e-3));
        for (var e : result.epsilons()) {
          double torch = reference.get(name).get(String.format(java.util.Locale.ROOT, "%g", e.epsilon())
              .replaceAll("0+$", "").replaceAll("\\.$", "")).asDouble();
          var apgd = e.attacks().get(0);
          var noise = e.attacks().get(1);
          System.out.printf("%s eps %.1f: apgd-ce %.4f, noise %.4f, all %.4f, PyTorch PGD %.4f%n", name,
              e.epsilon(), apgd.robustAccuracy(), noise.robustAccuracy(), e.robustAccuracy(), torch);
          assertThat(apgd.robustAccuracy()).as(name + " eps " + e.epsilon()).isCloseTo(torch,
              org.assertj.core.data.Offset.offset(0.02));
          assertThat(e.robustAccuracy()).isLessThanOrEqualTo(apgd.robustAccuracy());
          assertThat(noise.robustAccuracy()).isGreaterThan(apgd.robustAccuracy());
          assertThat(e.strongest().attack()).isEqualTo("apgd-ce");
        }
        if (name.equals("digits_mlp.onnx")) {
          var floor = RobustnessReport.Floor.parse("robust-accuracy@eps=1.6=0.8");
          var record = RobustnessReport.record(result, Optional.of(floor));
          assertThat(record.get("robust_accuracy").asDouble()).isLessThan(0.5);
          assertThat(record.get("strongest_attack").asText()).isEqualTo("apgd-ce");
          assertThat(record.get("white_box").asBoolean()).isTrue();
          var report = RobustnessReport.report(result, name, "digits", Optional.of(floor), "test");
          assertThat(report.findings()).anyMatch(f -> f.rule().id().equals("EVAL-ROBUSTNESS-BELOW-FLOOR"));
        }
      }
    }
  }
}

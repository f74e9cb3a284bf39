package dev.rampart.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.eval.attack.NoiseBaseline;
import dev.rampart.eval.attack.SquareAttack;
import dev.rampart.eval.runner.OnnxClassifier;
import dev.rampart.eval.runner.OnnxClassifierTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Black-box attacks against the exported linear model, whose exact worst case the fixture script computed white-box:
 * the black-box figure must not fall below it (the attack left the box or miscounted) and should come close (the
 * attack is strong).
 */
class RobustnessEvaluationTest {
  @Test
  void hopSkipJumpSeesOnlyLabelsAndStaysAboveTheExactFigure() throws Exception {
    try (var model = OnnxClassifier.load(OnnxClassifierTest.MODEL)) {
      var held = heldOut(model);
      float[][] x = held.x();
      int[] y = held.y();
      float[][] bounds = RobustnessEvaluation.unbounded(30);
      var settings = new RobustnessEvaluation.Settings(List.of(0.2), List.of(new dev.rampart.eval.attack.HopSkipJump(),
          new NoiseBaseline()), 1000, 3, RobustnessEvaluation.standardDeviations(x), bounds[0], bounds[1]);
      var result = RobustnessEvaluation.run(model, x, y, settings);
      double exact = exactFigures(model).get(0.2);
      var hsj = result.epsilons().get(0).attacks().get(0);
      var noise = result.epsilons().get(0).attacks().get(1);
      // measured 0.827: label-only queries come within half a point of the white-box optimum
      assertThat(hsj.robustAccuracy()).isGreaterThanOrEqualTo(exact - 1e-9).isLessThanOrEqualTo(exact + 0.03)
          .isLessThan(noise.robustAccuracy());
      assertThat(hsj.maxQueries()).isLessThanOrEqualTo(1000);
    }
  }

  @Test
  void squareComesCloseToTheExactWhiteBoxFigureAndBeatsNoise() throws Exception {
    try (var model = OnnxClassifier.load(OnnxClassifierTest.MODEL)) {
      var held = heldOut(model);
      float[][] x = held.x();
      int[] y = held.y();
      Map<Double, Double> exact = exactFigures(model);
      float[][] bounds = RobustnessEvaluation.unbounded(30);
      var settings = new RobustnessEvaluation.Settings(List.of(0.1, 0.2), List.of(new SquareAttack(), new NoiseBaseline()),
          300, 7, RobustnessEvaluation.standardDeviations(x), bounds[0], bounds[1]);
      var result = RobustnessEvaluation.run(model, x, y, settings);
      assertThat(result.cleanAccuracy()).isCloseTo(0.9542, org.assertj.core.data.Offset.offset(0.004));
      for (var e : result.epsilons()) {
        double whiteBox = exact.get(e.epsilon());
        var square = e.attacks().get(0);
        var noise = e.attacks().get(1);
        assertThat(square.robustAccuracy()).as("eps " + e.epsilon())
            .isGreaterThanOrEqualTo(whiteBox - 1e-9).isLessThanOrEqualTo(whiteBox + 0.02);
        assertThat(noise.robustAccuracy()).isGreaterThan(square.robustAccuracy());
        assertThat(square.maxQueries()).isLessThanOrEqualTo(300);
        assertThat(e.robustAccuracy()).isEqualTo(Math.min(square.robustAccuracy(), noise.robustAccuracy()));
      }
      // the same seed gives the same figures
      var again = RobustnessEvaluation.run(model, x, y, settings);
      assertThat(again).isEqualTo(result);
    }
  }

  private static Fixtures.HeldOut heldOut(OnnxClassifier model) throws Exception {
    return Fixtures.heldOut(Fixtures.BREAST_CANCER, model);
  }

  private static Map<Double, Double> exactFigures(OnnxClassifier model) {
    return Fixtures.recorded(model, "exact_linf_robust_accuracy");
  }
}

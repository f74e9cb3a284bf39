package dev.rampart.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.eval.attack.Attack;
import dev.rampart.eval.attack.NoiseBaseline;
import dev.rampart.eval.attack.SquareAttack;
import dev.rampart.eval.runner.OnnxClassifier;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * PyTorch MLPs on the 8x8 digits, a plain one and its adversarially trained twin, with the white-box PGD figures the
 * fixture script measured on the same held-out rows. Epsilon is in pixel levels (0..16).
 */
class ImageRobustnessTest {
  private static final List<Double> EPS = List.of(1.0, 2.0);

  @Test
  void theAdversariallyTrainedTwinRanksAboveThePlainModelAndSquareComesCloseToPgd() throws Exception {
    var plain = evaluate("digits_mlp.onnx");
    var trained = evaluate("digits_mlp_adv.onnx");
    for (double eps : EPS) {
      assertThat(trained.result().robustAccuracy(eps).getAsDouble()).as("eps " + eps)
          .isGreaterThan(plain.result().robustAccuracy(eps).getAsDouble() + 0.1);
    }
    for (var run : List.of(plain, trained)) {
      for (var e : run.result().epsilons()) {
        double square = e.attacks().get(0).robustAccuracy();
        double pgd = run.pgd().get(e.epsilon());
        System.out.printf("%s eps %.0f: square %.4f, noise %.4f, white-box PGD %.4f%n", run.name(), e.epsilon(),
            square, e.attacks().get(1).robustAccuracy(), pgd);
        assertThat(square).as(run.name() + " eps " + e.epsilon()).isBetween(pgd - 0.03, pgd + 0.06);
        assertThat(e.attacks().get(1).robustAccuracy()).isGreaterThan(square);
      }
    }
  }

  private record Run(String name, RobustnessEvaluation.Result result, Map<Double, Double> pgd) {}

  private static Run evaluate(String name) throws Exception {
    try (var model = OnnxClassifier.load(Fixtures.model(name))) {
      assertThat(model.inputShape()).containsExactly(1, 8, 8);
      var held = Fixtures.heldOut(Fixtures.DIGITS, model);
      var space = InputSpace.of(model.inputShape(), "observed", held.x(), Optional.of(model.metadata("pixel_range")));
      float[] unit = new float[held.x()[0].length];
      Arrays.fill(unit, 1f);
      List<Attack> attacks = List.of(SquareAttack.forImages(space), new NoiseBaseline());
      var settings = new RobustnessEvaluation.Settings(EPS, attacks, 1000, 5, unit, space.lower(), space.upper());
      return new Run(name, RobustnessEvaluation.run(model, held.x(), held.y(), settings),
          Fixtures.recorded(model, "pgd_linf_robust_accuracy"));
    }
  }
}

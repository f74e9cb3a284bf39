package dev.rampart.eval.backdoor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.eval.Fixtures;
import dev.rampart.eval.InputSpace;
import dev.rampart.eval.grad.GraphModel;
import dev.rampart.eval.grad.WhiteBox;
import dev.rampart.eval.runner.OnnxClassifier;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The BadNets twins of make_backdoor_models.py: three backdoors of different sizes, positions and targets, each with
 * a clean twin trained with the same seed on the same rows minus the poisoning. Trigger inversion must flag the
 * backdoor's target, with a mask over the planted trigger, and nothing on the clean twin. The default build runs one
 * pair with one restart; the long profile runs all three with the command's defaults, and the score-based variant.
 */
class TriggerInversionTest {
  static final TriggerInversion.Settings QUICK = new TriggerInversion.Settings(100, 300, 1, 0.99, 2, 0.8, 20, 1);

  @Test
  void theCheckerboardBackdoorIsFlaggedAndItsCleanTwinIsNot() throws Exception {
    expectBackdoor("badnets_c", 5, new int[] {5, 0, 7, 2}, true, QUICK);
  }

  @Test
  void anomalyIndicesAreMedianAbsoluteDeviationsOnTheSmallSide() {
    assertThat(TriggerInversion.median(new double[] {3, 1, 2})).isEqualTo(2);
    assertThat(TriggerInversion.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
  }

  @ParameterizedTest
  @EnabledIfSystemProperty(named = "rampart.long", matches = "true")
  @CsvSource({"badnets_a, 7, 0, 0, 2, 2", "badnets_b, 3, 6, 6, 7, 7", "badnets_c, 5, 5, 0, 7, 2"})
  void everyBackdoorIsFlaggedAndNoCleanTwinWithTheCommandsDefaults(String pair, int target, int top, int left,
      int bottom, int right) throws Exception {
    expectBackdoor(pair, target, new int[] {top, left, bottom, right}, true, TriggerInversion.Settings.defaults(1));
  }

  @Test
  @EnabledIfSystemProperty(named = "rampart.long", matches = "true")
  void scoresAloneFindTheBackdoorWhenTheGraphCannotBeDifferentiated() throws Exception {
    expectBackdoor("badnets_c", 5, new int[] {5, 0, 7, 2}, false, TriggerInversion.Settings.defaults(1));
  }

  private static void expectBackdoor(String pair, int target, int[] planted, boolean whiteBox,
      TriggerInversion.Settings settings) throws Exception {
    var backdoor = invert(pair + "_backdoor.onnx", whiteBox, settings);
    print(pair + "_backdoor", backdoor);
    assertThat(backdoor.method()).isEqualTo(whiteBox ? "gradient" : "score-based estimate (NES)");
    assertThat(backdoor.findings()).extracting(TriggerInversion.Inverted::target).containsExactly(target);
    var found = backdoor.findings().get(0);
    assertThat(found.verified()).isGreaterThan(0.8);
    assertThat(found.anomaly()).isGreaterThan(2);
    // the recovered mask is concentrated on the planted trigger, give or take a pixel: several times denser there
    double inside = 0;
    int area = 0;
    for (int p = 0; p < 64; p++) {
      int row = p / 8;
      int col = p % 8;
      if (row >= planted[0] - 1 && row <= planted[2] + 1 && col >= planted[1] - 1 && col <= planted[3] + 1) {
        inside += found.mask()[p];
        area++;
      }
    }
    double density = (inside / area) / ((found.norm() - inside) / (64 - area));
    System.out.printf(Locale.ROOT, "%s: mask density on the planted trigger %.1f times that elsewhere%n", pair,
        density);
    assertThat(density).isGreaterThan(2.5);
    int[] box = found.box();
    assertThat(box[2]).isGreaterThanOrEqualTo(planted[0] - 1);
    assertThat(box[3]).isGreaterThanOrEqualTo(planted[1] - 1);
    System.out.println(String.join("\n", dev.rampart.eval.report.BackdoorReport.render(found, 8)));

    var clean = invert(pair + "_clean.onnx", whiteBox, settings);
    print(pair + "_clean", clean);
    assertThat(clean.findings()).isEmpty();
    assertThat(clean.classes()).hasSize(10).allMatch(c -> c.anomaly() <= 2);
  }

  static TriggerInversion.Result invert(String name, boolean whiteBox, TriggerInversion.Settings settings)
      throws Exception {
    var path = Fixtures.model("backdoor/" + name);
    try (var model = OnnxClassifier.load(path)) {
      var held = Fixtures.heldOut(Fixtures.DIGITS, model);
      var space = InputSpace.of(model.inputShape(), "observed", held.x(), Optional.of(model.metadata("pixel_range")));
      Optional<GraphModel> white = Optional.empty();
      if (whiteBox && WhiteBox.of(path, model, held.x()) instanceof WhiteBox.Available a) {
        white = Optional.of(a.model());
      }
      return TriggerInversion.run(model, white, "the test withholds gradients", space, Arrays.copyOf(held.x(), 300),
          Arrays.copyOf(held.y(), 300), 10, settings);
    }
  }

  static void print(String name, TriggerInversion.Result r) {
    var sb = new StringBuilder(name + " (" + r.method() + ", " + r.queries() + " queries): class:norm/anomaly");
    for (var c : r.classes()) {
      sb.append(String.format(Locale.ROOT, " %d:%.2f/%.2f%s", c.target(), c.norm(), c.anomaly(),
          c.finding() ? "*" : ""));
    }
    System.out.println(sb);
  }
}

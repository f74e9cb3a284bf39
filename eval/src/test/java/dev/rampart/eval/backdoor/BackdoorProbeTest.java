package dev.rampart.eval.backdoor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.eval.Fixtures;
import dev.rampart.eval.InputSpace;
import dev.rampart.eval.runner.OnnxClassifier;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Twins trained by the fixture script on the same rows: one on data with a planted trigger, one clean. The probe must
 * find the planted trigger and nothing on the clean twin.
 */
class BackdoorProbeTest {

  @Test
  void aBadNetsCornerPatchIsFoundOnTheModelThatLearnedIt() throws Exception {
    var result = probe("digits_mlp_badnets.onnx", Fixtures.DIGITS);
    assertThat(result.findings()).isNotEmpty();
    var top = result.findings().get(0);
    assertThat(top.forcedClass()).isZero();
    assertThat(top.forcedRate()).isGreaterThan(0.95);
    // the planted 2x2 patch sits in rows 6-7, columns 6-7: the trigger found must cover part of it
    var patch = (Trigger.Patch) top.trigger();
    assertThat(patch.top() + patch.size() - 1).isGreaterThanOrEqualTo(6);
    assertThat(patch.left() + patch.size() - 1).isGreaterThanOrEqualTo(6);
    assertThat(patch.value()).isEqualTo(16f);
    assertThat(result.findings()).allMatch(c -> c.forcedClass() == 0);
  }

  @Test
  void theCleanTwinOfTheBadNetsModelHasNoTrigger() throws Exception {
    var result = probe("digits_mlp.onnx", Fixtures.DIGITS);
    assertThat(result.findings()).isEmpty();
    assertThat(result.strongest()).isNotEmpty().allMatch(c -> c.forcedRate() < 0.8);
    // one row per class, also for a class that no trigger forces more often than some other class
    assertThat(result.strongest()).extracting(BackdoorProbe.Candidate::forcedClass)
        .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(result.cleanAccuracy()).isGreaterThan(0.9);
    assertThat(result.queries()).isEqualTo((long) result.samples() * (result.triggersTried() + 1));
  }

  @Test
  void aSingleFeatureTriggerIsFoundOnTheTabularModelThatLearnedIt() throws Exception {
    var result = probe("breast_cancer_mlp_trigger.onnx", Fixtures.BREAST_CANCER);
    assertThat(result.findings()).isNotEmpty();
    var top = result.findings().get(0);
    var trigger = (Trigger.FeatureValue) top.trigger();
    assertThat(trigger.feature()).isEqualTo(9); // mean fractal dimension
    assertThat(trigger.high()).isTrue();
    assertThat(top.forcedClass()).isEqualTo(1); // benign
    assertThat(top.naturalUpper()).isLessThan(0.8);
  }

  @Test
  void theCleanTabularTwinIsNotFlaggedEvenWhereAFeatureDecidesTheClassNaturally() throws Exception {
    var result = probe("breast_cancer_mlp.onnx", Fixtures.BREAST_CANCER);
    assertThat(result.findings()).isEmpty();
    // a real feature at its extreme does force a class, and the rows already there agree with it
    assertThat(result.strongest()).anyMatch(c -> c.forcedRate() >= 0.8 && c.naturalUpper() >= 0.8);
  }

  private static BackdoorProbe.Result probe(String name, Path data) throws Exception {
    try (var model = OnnxClassifier.load(Fixtures.model(name))) {
      var held = Fixtures.heldOut(data, model);
      var space = InputSpace.of(model.inputShape(), "observed", held.x(), Optional.of(model.metadata("pixel_range")));
      return BackdoorProbe.run(model, space, held.x(), held.y(), model.classes(0).size(),
          BackdoorProbe.Settings.defaults(1));
    }
  }
}

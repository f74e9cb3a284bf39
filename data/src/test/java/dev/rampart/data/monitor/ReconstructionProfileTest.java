package dev.rampart.data.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.data.io.Column;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The reconstruction profile on synthetic data with a known structure, and its file format under tampering. */
class ReconstructionProfileTest {
  static ReferenceProfile profile;

  @BeforeAll
  static void setUp() throws Exception {
    profile = new Streams().profile();
  }

  /** Two features that move together (b = a + small noise) and one independent of both. */
  private static List<double[]> correlated(int n, long seed) {
    var random = new SplittableRandom(seed);
    double[] a = new double[n];
    double[] b = new double[n];
    double[] c = new double[n];
    for (int r = 0; r < n; r++) {
      a[r] = random.nextGaussian();
      b[r] = a[r] + 0.1 * random.nextGaussian();
      c[r] = random.nextGaussian();
    }
    return List.of(a, b, c);
  }

  /** Fits as the profiler does: each column sketched first, then standardised by its sketch. */
  private static java.util.Optional<ReconstructionProfile> fit(List<String> names, List<double[]> columns,
      List<String> why) {
    var sketches = new ArrayList<FeatureProfile.Numeric>();
    for (int i = 0; i < names.size(); i++) {
      sketches.add((FeatureProfile.Numeric) Profiler.sketch(new Column.Numeric(names.get(i), columns.get(i)))
          .orElseThrow());
    }
    return ReconstructionProfile.fit(sketches, columns, 10, why);
  }

  @Test
  void rowsThatKeepTheStructureReconstructWellAndRowsThatBreakItDoNot() {
    var why = new ArrayList<String>();
    var fitted = fit(List.of("a", "b", "c"), correlated(2_000, 1), why).orElseThrow();
    assertThat(why).isEmpty();
    // eigenvalues near 2, 1 and 0: the first axis alone keeps two thirds of the variance
    assertThat(fitted.components()).hasNumberOfRows(1);
    assertThat(fitted.explained()).isBetween(0.65, 1.0);
    double kept = fitted.error(new double[] {1.0, 1.02, 0.0});
    double broken = fitted.error(new double[] {1.0, -1.0, 0.0});
    assertThat(broken).isGreaterThan(10 * kept);
    // the reference's own errors, measured out of sample, sit where fresh rows from the same source do
    var fresh = correlated(2_000, 2);
    double sum = 0;
    for (int r = 0; r < 2_000; r++) {
      sum += fitted.error(new double[] {fresh.get(0)[r], fresh.get(1)[r], fresh.get(2)[r]});
    }
    assertThat(Math.abs(sum / 2_000 - fitted.chunkMean())).isLessThan(4 * fitted.band(2_000));
  }

  @Test
  void independentFeaturesOrTooFewRowsAreNotWatchedAndSaySo() {
    var random = new SplittableRandom(3);
    List<double[]> independent = List.of(random.doubles(1_000).toArray(), random.doubles(1_000).toArray());
    var why = new ArrayList<String>();
    assertThat(fit(List.of("x", "y"), independent, why)).isEmpty();
    assertThat(why).singleElement().asString().contains("nearly independent");
    why.clear();
    assertThat(fit(List.of("a", "b", "c"), correlated(50, 4), why)).isEmpty();
    assertThat(why).singleElement().asString().contains("100 rows");
  }

  @Test
  void theBreastCancerProfileCarriesItsStructureThroughAFileRoundTrip() throws Exception {
    var r = profile.reconstruction().orElseThrow();
    assertThat(r.features()).hasSize(30);
    assertThat(r.components().length).isBetween(1, 5);
    var again = ReferenceProfile.parse(profile.toJson(), "profile.json");
    assertThat(again.reconstruction().orElseThrow().components()).isDeepEqualTo(r.components());
    assertThat(again.digest()).isEqualTo(profile.digest());
  }

  @Test
  void aVersionOneProfileIsStillReadAndWatchedWithoutMultivariateDrift() throws Exception {
    var old = edit(o -> {
      o.remove("reconstruction");
      o.put("version", 1);
    });
    var read = ReferenceProfile.parse(old, "old.json");
    assertThat(read.reconstruction()).isEmpty();
    var w = new Watcher(read, Watcher.Options.defaults().withWindow(100));
    var result = w.finish();
    assertThat(result.alerts()).isEmpty();
  }

  @Test
  void aTamperedReconstructionSectionIsRefusedWithTheReason() {
    List<Consumer<ObjectNode>> tampering = List.of(
        o -> ((ArrayNode) o.at("/reconstruction/scales")).set(0, 0.0),
        o -> ((ArrayNode) o.at("/reconstruction/means")).remove(0),
        o -> ((ArrayNode) o.at("/reconstruction/components/0")).add(1.0),
        o -> ((ArrayNode) o.at("/reconstruction/features")).set(0, "not a feature"),
        o -> ((ObjectNode) o.get("reconstruction")).put("chunkStd", "NaN"),
        o -> o.put("version", 3));
    for (var t : tampering) {
      byte[] bad = edit(t);
      assertThatThrownBy(() -> ReferenceProfile.parse(bad, "tampered.json"))
          .isInstanceOf(IOException.class).hasMessageContaining("tampered.json")
          .hasMessageContaining("re-create it");
    }
  }

  private static byte[] edit(Consumer<ObjectNode> change) {
    try {
      var mapper = new ObjectMapper();
      var o = (ObjectNode) mapper.readTree(new String(profile.toJson(), StandardCharsets.UTF_8));
      change.accept(o);
      return mapper.writeValueAsBytes(o);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}

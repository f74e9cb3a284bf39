package dev.rampart.data.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WatcherTest {
  static Streams streams;
  static ReferenceProfile profile;
  static final Watcher.Options OPTIONS = Watcher.Options.defaults().withWindow(500).withLabelWindow(500);

  @BeforeAll
  static void setUp() throws Exception {
    streams = new Streams();
    profile = streams.profile();
  }

  @Test
  void aStreamWithoutDriftIsSilent() throws Exception {
    for (long seed = 1; seed <= 3; seed++) {
      var result = streams.watch(profile, streams.stream(new Streams.Change() {}, true, seed), OPTIONS);
      assertThat(result.alerts()).as("seed " + seed).isEmpty();
      assertThat(result.input().events()).isEqualTo(Streams.EVENTS);
      assertThat(result.windows()).hasSize(Streams.EVENTS / 500);
    }
  }

  @Test
  void aSuddenShiftRaisesOneCovariateAlertSoonAfterTheChange() throws Exception {
    Streams.Change shift = new Streams.Change() {
      @Override
      public void features(int i, double[] v, double[] std) {
        for (int f : new int[] {0, 2, 3}) {
          v[f] += 1.0 * std[f];
        }
      }
    };
    var result = streams.watch(profile, streams.stream(shift, false, 5), OPTIONS);
    var covariate = result.alerts().stream().filter(a -> a.kind() == Alert.Kind.COVARIATE_DRIFT).toList();
    assertThat(covariate).hasSize(1);
    assertThat(covariate.get(0).event()).isBetween((long) Streams.CHANGE, (long) Streams.CHANGE + 1500);
    assertThat(covariate.get(0).features()).contains("mean radius");
  }

  @Test
  void aFeatureStuckAtOneValueIsAPipelineFault() throws Exception {
    Streams.Change stuck = new Streams.Change() {
      @Override
      public void features(int i, double[] v, double[] std) {
        v[5] = 0;
      }
    };
    var result = streams.watch(profile, streams.stream(stuck, false, 6), OPTIONS);
    assertThat(result.alerts()).anySatisfy(a -> {
      assertThat(a.kind()).isEqualTo(Alert.Kind.PIPELINE_FAULT);
      assertThat(a.features()).containsExactly("mean compactness");
      assertThat(a.event()).isBetween((long) Streams.CHANGE, (long) Streams.CHANGE + 500);
    });
  }

  @Test
  void flippedLabelsAreConceptDriftSeenOnlyThroughLabels() throws Exception {
    Streams.Change concept = new Streams.Change() {
      @Override
      public String label(int i, String label) {
        return i % 4 == 0 ? (label.equals("benign") ? "malignant" : "benign") : label;
      }
    };
    var result = streams.watch(profile, streams.stream(concept, true, 7), OPTIONS);
    assertThat(result.alerts()).extracting(Alert::kind).contains(Alert.Kind.CONCEPT_DRIFT)
        .doesNotContain(Alert.Kind.COVARIATE_DRIFT, Alert.Kind.ESTIMATED_PERFORMANCE_DROP);
  }

  @Test
  void aPriorShiftIsSeenInLabelsAndPredictions() throws Exception {
    Streams.Change prior = new Streams.Change() {
      @Override
      public java.util.function.IntPredicate rows(int i, String[] labels) {
        return r -> labels[r].equals("malignant") || i % 5 == 0;
      }
    };
    var result = streams.watch(profile, streams.stream(prior, true, 8), OPTIONS);
    assertThat(result.alerts()).extracting(Alert::kind).contains(Alert.Kind.PRIOR_SHIFT, Alert.Kind.PREDICTION_DRIFT);
  }

  @Test
  void badLinesAreCountedNeverDropped() throws Exception {
    var lines = new java.util.ArrayList<>(streams.stream(new Streams.Change() {}, false, 9).subList(0, 1000));
    lines.add("not json");
    lines.add("{\"features\": [1, 2]}");
    lines.add("{\"features\": {\"mean radius\": \"big\"}}");
    lines.add("{\"ts\": \"2026-11-01T00:00:00Z\", \"features\": {\"mean radius\": NaN, \"colour\": \"red\"}, \"prediction\": \"benign\"}");
    lines.add("{\"id\": \"e3\", \"label\": \"benign\"}");
    lines.add("{\"id\": \"nope\", \"label\": \"benign\"}");
    var result = streams.watch(profile, lines, OPTIONS);
    var in = result.input();
    assertThat(in.malformed()).isEqualTo(3);
    assertThat(in.nonFinite()).isEqualTo(1);
    assertThat(in.unknownFeatures()).containsEntry("colour", 1L);
    assertThat(in.outOfOrder()).isEqualTo(1);
    assertThat(in.lateLabels()).isEqualTo(1);
    assertThat(in.unmatchedLabels()).isEqualTo(1);
    assertThat(in.events()).isEqualTo(1001);
    assertThat(Set.copyOf(List.of(result.notes().toString()))).isNotNull();
  }
}

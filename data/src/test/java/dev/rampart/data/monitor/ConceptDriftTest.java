package dev.rampart.data.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Concept drift seen only through late labels: from the change on, a share of the events get the other label, the
 * features, predictions and confidences staying exactly as the model saw them. Labels arrive as separate lines some
 * events later, as they do in production. The watcher must notice that realised accuracy fell below what the model's
 * calibrated confidence estimates for the same events, and stay silent on the same stream without the change.
 */
class ConceptDriftTest {
  static final int DELAY = 300;
  static Streams streams;
  static ReferenceProfile profile;

  @BeforeAll
  static void setUp() throws Exception {
    streams = new Streams();
    profile = streams.profile();
  }

  /** The label relation changes for a fixed share of events, spread evenly by a hash of the event's number. */
  static Streams.Change relabelled(int percent) {
    return new Streams.Change() {
      @Override
      public String label(int i, String label) {
        return Math.floorMod(i * 2654435761L, 100) < percent ? (label.equals("benign") ? "malignant" : "benign")
            : label;
      }
    };
  }

  @Test
  void aChangedLabelRelationIsConceptDriftWithin3000Events() throws Exception {
    for (long seed = 21; seed <= 23; seed++) {
      var result = streams.watch(profile, late(streams.stream(relabelled(8), true, seed)), Watcher.Options.defaults());
      var concept = result.alerts().stream().filter(a -> a.kind() == Alert.Kind.CONCEPT_DRIFT).toList();
      System.out.printf("seed %d: %s%n", seed, result.alerts().stream().map(a -> a.kind() + "@" + a.event() + " " + a.statistic() + " " + a.detail()).toList());
      assertThat(concept).as("seed " + seed).hasSize(1);
      long events = concept.get(0).event();
      assertThat(events).as("seed " + seed).isBetween((long) Streams.CHANGE, (long) Streams.CHANGE + 3000);
      assertThat(result.alerts()).extracting(Alert::kind).doesNotContain(Alert.Kind.COVARIATE_DRIFT,
          Alert.Kind.ESTIMATED_PERFORMANCE_DROP, Alert.Kind.PREDICTION_DRIFT);
    }
  }

  @Test
  void theSameStreamWithoutTheChangeRaisesNothing() throws Exception {
    for (long seed = 21; seed <= 25; seed++) {
      var result = streams.watch(profile, late(streams.stream(new Streams.Change() {}, true, seed)),
          Watcher.Options.defaults());
      assertThat(result.alerts()).as("seed " + seed).isEmpty();
      assertThat(result.input().lateLabels()).isEqualTo(Streams.EVENTS - DELAY);
    }
  }

  /** Moves every label out of its event into a label line {@link #DELAY} events later. */
  static List<String> late(List<String> lines) {
    var out = new ArrayList<String>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int at = line.lastIndexOf(",\"label\":\"");
      out.add(line.substring(0, at) + "}");
      if (i >= DELAY) {
        String earlier = lines.get(i - DELAY);
        int from = earlier.lastIndexOf(",\"label\":\"");
        String label = earlier.substring(from + 10, earlier.length() - 2);
        out.add("{\"id\":\"e" + (i - DELAY) + "\",\"label\":\"" + label + "\"}");
      }
    }
    return out;
  }
}

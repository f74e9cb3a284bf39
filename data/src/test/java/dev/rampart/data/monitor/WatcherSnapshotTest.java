package dev.rampart.data.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WatcherSnapshotTest {
  static Streams streams;
  static ReferenceProfile profile;
  static final Watcher.Options OPTIONS = Watcher.Options.defaults().withWindow(500).withLabelWindow(500);

  @BeforeAll
  static void setUp() throws Exception {
    streams = new Streams();
    profile = streams.profile();
  }

  @Test
  void aWatcherRestoredMidWindowRaisesTheSameAlertsAsOneThatNeverStopped() throws Exception {
    Streams.Change shiftAndFlip = new Streams.Change() {
      @Override
      public void features(int i, double[] v, double[] std) {
        v[0] += 1.0 * std[0];
      }

      @Override
      public String label(int i, String label) {
        return i % 4 == 0 ? (label.equals("benign") ? "malignant" : "benign") : label;
      }
    };
    List<String> lines = streams.stream(shiftAndFlip, true, 11);
    var whole = new Watcher(profile, OPTIONS);
    lines.forEach(whole::accept);
    var expected = whole.finish();
    assertThat(expected.alerts()).extracting(Alert::kind)
        .contains(Alert.Kind.COVARIATE_DRIFT, Alert.Kind.CONCEPT_DRIFT);

    // restarts every 777 events: inside windows, inside label windows, between the two windows an alert needs
    var alerts = new ArrayList<Alert>();
    var watcher = new Watcher(profile, OPTIONS);
    int maxSnapshot = 0;
    for (int i = 0; i < lines.size(); i++) {
      watcher.accept(lines.get(i));
      if (i % 777 == 776) {
        alerts.addAll(watcher.drainAlerts());
        byte[] snapshot = watcher.snapshot();
        maxSnapshot = Math.max(maxSnapshot, snapshot.length);
        watcher = Watcher.restore(profile, OPTIONS, snapshot);
      }
    }
    var result = watcher.finish();
    alerts.addAll(watcher.drainAlerts());

    assertThat(alerts).extracting(Alert::kind, Alert::event, Alert::features)
        .containsExactlyElementsOf(expected.alerts().stream()
            .map(a -> org.assertj.core.groups.Tuple.tuple(a.kind(), a.event(), a.features())).toList());
    assertThat(result.input()).isEqualTo(expected.input());
    // bounded by the window (500 events of 30 features: about 106 KB measured), never by the stream
    assertThat(maxSnapshot).isLessThan(200_000);
  }

  @Test
  void aSnapshotOfAnotherWindowSizeOrVersionIsRefused() throws Exception {
    var watcher = new Watcher(profile, OPTIONS);
    streams.stream(new Streams.Change() {}, false, 3).stream().limit(100).forEach(watcher::accept);
    byte[] snapshot = watcher.snapshot();
    assertThatThrownBy(() -> Watcher.restore(profile, OPTIONS.withWindow(600), snapshot))
        .isInstanceOf(Watcher.SnapshotMismatchException.class);
    String json = new String(snapshot, StandardCharsets.UTF_8);
    assertThatThrownBy(() -> Watcher.restore(profile, OPTIONS,
        json.replace("\"v\":1", "\"v\":2").getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(Watcher.SnapshotMismatchException.class);
    // an open window claiming more events than a window holds would overrun the value arrays
    assertThatThrownBy(() -> Watcher.restore(profile, OPTIONS,
        json.replace("\"size\":100", "\"size\":5000").getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(Watcher.SnapshotMismatchException.class);
    assertThatThrownBy(() -> Watcher.restore(profile, OPTIONS, "[1,".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(Watcher.SnapshotMismatchException.class);
    assertThat(Watcher.restore(profile, OPTIONS, snapshot).input().events()).isEqualTo(100);
  }
}

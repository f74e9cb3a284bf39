package dev.rampart.data.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Detection delay and false alarms for each kind of change, on streams of 20,000 events from the breast cancer data
 * scored by a logistic regression, change at event 10,000, windows of 500, three seeds each. Run with
 * -Ddocs.update=true to rewrite the table in docs/monitoring.md.
 */
class MonitoringQualityTest {
  static Streams streams;
  static ReferenceProfile profile;
  static final List<String> ROWS = new ArrayList<>();
  static final Watcher.Options OPTIONS = Watcher.Options.defaults().withWindow(500).withLabelWindow(500);

  enum Scenario {
    NONE("no change", Set.of(), true),
    SUDDEN("sudden covariate shift: 3 features +1 SD", Set.of(Alert.Kind.COVARIATE_DRIFT), false),
    GRADUAL("gradual covariate shift: 3 features, 0 to +1.5 SD over 10,000 events", Set.of(Alert.Kind.COVARIATE_DRIFT), false),
    PRIOR("prior shift: 80 % malignant instead of 37 %", Set.of(Alert.Kind.PRIOR_SHIFT), true),
    CONCEPT("concept drift: a quarter of labels contradict the features", Set.of(Alert.Kind.CONCEPT_DRIFT), true),
    STUCK("pipeline fault: a feature stuck at 0", Set.of(Alert.Kind.PIPELINE_FAULT), false),
    MISSING("pipeline fault: a feature no longer sent", Set.of(Alert.Kind.PIPELINE_FAULT), false),
    UNITS("pipeline fault: a feature sent in other units (x1000)", Set.of(Alert.Kind.PIPELINE_FAULT), false),
    JOIN("broken join: the 10 'worst' features come from another row; each keeps its distribution",
        Set.of(Alert.Kind.MULTIVARIATE_DRIFT), false);

    final String description;
    final Set<Alert.Kind> expected;
    final boolean labelled;

    Scenario(String description, Set<Alert.Kind> expected, boolean labelled) {
      this.description = description;
      this.expected = expected;
      this.labelled = labelled;
    }

    Streams.Change change() {
      return switch (this) {
        case NONE -> new Streams.Change() {};
        case SUDDEN -> shift(i -> 1.0);
        case GRADUAL -> shift(i -> 1.5 * (i - Streams.CHANGE) / (double) (Streams.EVENTS - Streams.CHANGE));
        case PRIOR -> new Streams.Change() {
          @Override
          public IntPredicate rows(int i, String[] labels) {
            return r -> labels[r].equals("malignant") || i % 5 == 0;
          }
        };
        case CONCEPT -> new Streams.Change() {
          @Override
          public String label(int i, String label) {
            return i % 4 == 0 ? (label.equals("benign") ? "malignant" : "benign") : label;
          }
        };
        case STUCK -> feature(v -> v[5] = 0);
        case MISSING -> feature(v -> v[7] = Double.NaN);
        case UNITS -> feature(v -> v[1] *= 1000);
        case JOIN -> streams.mismatched(java.util.stream.IntStream.range(20, 30).toArray(), 7);
      };
    }

    private static Streams.Change shift(java.util.function.IntToDoubleFunction sds) {
      return new Streams.Change() {
        @Override
        public void features(int i, double[] v, double[] std) {
          for (int f : new int[] {0, 2, 3}) {
            v[f] += sds.applyAsDouble(i) * std[f];
          }
        }
      };
    }

    private static Streams.Change feature(java.util.function.Consumer<double[]> edit) {
      return new Streams.Change() {
        @Override
        public void features(int i, double[] v, double[] std) {
          edit.accept(v);
        }
      };
    }
  }

  @BeforeAll
  static void setUp() throws Exception {
    streams = new Streams();
    profile = streams.profile();
  }

  @ParameterizedTest
  @EnumSource(Scenario.class)
  void eachChangeIsFoundWithoutFalseAlarms(Scenario scenario) throws Exception {
    var delays = new ArrayList<Long>();
    int falseAlarms = 0;
    var kinds = EnumSet.noneOf(Alert.Kind.class);
    for (long seed = 1; seed <= 3; seed++) {
      var result = streams.watch(profile, streams.stream(scenario.change(), scenario.labelled, seed * 101), OPTIONS);
      long first = -1;
      for (Alert a : result.alerts()) {
        kinds.add(a.kind());
        if (a.event() < Streams.CHANGE || scenario.expected.isEmpty()) {
          falseAlarms++;
        } else if (first < 0 && scenario.expected.contains(a.kind())) {
          first = a.event() - Streams.CHANGE;
        }
        assertThat(result.alerts().stream().filter(b -> b.kind() == a.kind() && b.features().equals(a.features())))
            .as("one shift, one alert").hasSize(1);
      }
      if (!scenario.expected.isEmpty()) {
        assertThat(first).as(scenario + " seed " + seed + " " + result.alerts()).isGreaterThanOrEqualTo(0);
        delays.add(first);
      }
    }
    assertThat(falseAlarms).as(scenario.toString()).isZero();
    String delay = delays.isEmpty() ? "–" : delays.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("");
    ROWS.add(String.format(Locale.ROOT, "%d\t| %s | %s | %s | %d | %s |", scenario.ordinal(), scenario.description,
        scenario.expected.isEmpty() ? "none" : scenario.expected.iterator().next().id(), delay, falseAlarms,
        kinds.stream().map(Alert.Kind::id).reduce((a, b) -> a + ", " + b).orElse("none")));
  }

  @AfterAll
  static void writeTable() throws Exception {
    if (!Boolean.getBoolean("docs.update")) {
      return;
    }
    var lines = new ArrayList<String>();
    lines.add("| Scenario | Expected alert | Delay after the change (events, 3 seeds) | False alarms | Alerts raised |");
    lines.add("|---|---|---|---|---|");
    ROWS.stream().sorted().map(r -> r.substring(r.indexOf('\t') + 1)).forEach(lines::add);
    dev.rampart.data.DocsTable.replace(Path.of("../docs/monitoring.md"), lines);
  }
}

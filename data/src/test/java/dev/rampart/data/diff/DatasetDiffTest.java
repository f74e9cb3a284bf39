package dev.rampart.data.diff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.data.io.Column;
import dev.rampart.data.io.Dataset;
import dev.rampart.data.io.DatasetFormat;
import dev.rampart.data.io.DatasetReader;
import dev.rampart.data.io.ReadLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DatasetDiffTest {
  private static final Path DATA = Path.of("src/test/resources/datasets");
  private static final DatasetDiff.Options LABELLED =
      new DatasetDiff.Options(Optional.of("label"), Optional.empty(), List.of());

  private static Dataset read(String path) throws Exception {
    return new DatasetReader(ReadLimits.defaults()).read(DATA.resolve(path));
  }

  private static Set<Integer> truth(String name) throws Exception {
    return Files.readAllLines(DATA.resolve("poisoned/" + name + ".truth")).stream()
        .map(String::trim).map(Integer::valueOf).collect(Collectors.toSet());
  }

  @Test
  void aDatasetComparedWithItselfHasNoChanges() throws Exception {
    var d = read("clean/wine.csv.gz");
    var diff = DatasetDiff.compare(d, d, LABELLED);
    assertThat(diff.added()).isEmpty();
    assertThat(diff.removed()).isEmpty();
    assertThat(diff.relabelled()).isEmpty();
    assertThat(diff.shifts()).noneMatch(ColumnShift::drifted);
    assertThat(diff.labelShift().drifted()).isFalse();
    assertThat(diff.concentration()).isEmpty();
  }

  @Test
  void randomFlipsAreExactlyTheRelabelledRowsAndSpreadAcrossClasses() throws Exception {
    var diff = DatasetDiff.compare(read("clean/digits.csv.gz"), read("poisoned/digits-random-flip-10.csv.gz"), LABELLED);
    assertThat(diff.relabelled().stream().map(DiffResult.Relabel::newRow).collect(Collectors.toSet()))
        .isEqualTo(truth("digits-random-flip-10"));
    assertThat(diff.added()).isEmpty();
    assertThat(diff.concentration()).noneMatch(c -> c.what().equals("relabelled rows"));
  }

  @Test
  void targetedFlipsConcentrateInTheAttackersClass() throws Exception {
    var diff = DatasetDiff.compare(read("clean/digits.csv.gz"), read("poisoned/digits-targeted-flip-5.csv.gz"), LABELLED);
    assertThat(diff.relabelled()).hasSize(truth("digits-targeted-flip-5").size());
    assertThat(diff.concentration())
        .anySatisfy(c -> {
          assertThat(c.what()).isEqualTo("relabelled rows");
          assertThat(c.share()).isEqualTo(1.0);
        });
  }

  @Test
  void stampedTriggerRowsShowAsRowsMovedFromOneClassToAnother() throws Exception {
    var diff = DatasetDiff.compare(read("clean/digits.csv.gz"), read("poisoned/digits-trigger-3.csv.gz"), LABELLED);
    assertThat(Set.copyOf(diff.added())).isEqualTo(truth("digits-trigger-3"));
    assertThat(diff.removed()).hasSize(diff.added().size());
    assertThat(diff.concentration()).anyMatch(c -> c.what().equals("added rows") && c.where().equals("class=7"));
    assertThat(diff.concentration()).anyMatch(c -> c.what().equals("removed rows") && c.where().equals("class=1"));
  }

  @Test
  void injectedOutliersAreAddedRowsInTheTailsAndShiftNoColumnMuch() throws Exception {
    var diff = DatasetDiff.compare(read("clean/breast_cancer.csv.gz"), read("poisoned/breast_cancer-outliers-5.csv.gz"),
        LABELLED);
    assertThat(Set.copyOf(diff.added())).isEqualTo(truth("breast_cancer-outliers-5"));
    assertThat(diff.removed()).isEmpty();
    assertThat(diff.concentration()).anyMatch(c -> c.where().contains("+inf"));
  }

  @Test
  void aKeyColumnTellsChangedRowsFromAddedOnes() throws Exception {
    var ids = new String[] {"a", "b", "c", "d"};
    var old = table(ids, new double[] {1, 2, 3, 4}, new int[] {0, 1, 0, 1});
    var now = table(new String[] {"a", "b", "c", "e"}, new double[] {1, 2.5, 3, 5}, new int[] {0, 1, 1, 1});
    var diff = DatasetDiff.compare(old, now, new DatasetDiff.Options(Optional.of("label"), Optional.of("id"), List.of()));
    assertThat(diff.changed()).containsExactly(1);
    assertThat(diff.relabelled()).extracting(DiffResult.Relabel::newRow).containsExactly(2);
    assertThat(diff.added()).containsExactly(3);
    assertThat(diff.removed()).containsExactly(3);
    assertThat(diff.matchedBy()).isEqualTo("key:id");
  }

  @Test
  void aSmallMeanShiftIsCaughtByKsOnSmallReferencesAndWassersteinOnLargeOnes() {
    var random = new Random(1);
    for (int n : new int[] {500, 5000}) {
      double[] a = random.doubles(n).map(v -> random.nextGaussian()).toArray();
      double[] b = random.doubles(n).map(v -> random.nextGaussian() + 0.5).toArray();
      double[] same = random.doubles(n).map(v -> random.nextGaussian()).toArray();
      var shifted = ShiftTest.compare(new Column.Numeric("x", a), new Column.Numeric("x", b));
      var stable = ShiftTest.compare(new Column.Numeric("x", a), new Column.Numeric("x", same));
      assertThat(shifted.method()).isEqualTo(n <= 1000 ? "ks" : "wasserstein");
      assertThat(shifted.drifted()).isTrue();
      assertThat(stable.drifted()).as("no shift, n=" + n).isFalse();
      assertThat(shifted.psi()).isGreaterThan(stable.psi());
    }
  }

  @Test
  void aCategoryTheReferenceNeverSawIsCountedNotDividedByZero() {
    var old = new Column.Categorical("c", repeat(new int[] {0, 1}, 200), List.of("x", "y"));
    var now = new Column.Categorical("c", repeat(new int[] {0, 1, 2}, 200), List.of("x", "y", "z"));
    var shift = ShiftTest.compare(old, now);
    assertThat(shift.unseen()).isEqualTo(1);
    assertThat(shift.drifted()).isTrue();
    assertThat(Double.isFinite(shift.statistic())).isTrue();
    assertThat(Double.isFinite(shift.psi())).isTrue();
  }

  @Test
  void constantColumnsAndTinySamplesAreReportedNotTested() {
    var constant = ShiftTest.compare(
        new Column.Categorical("c", new int[100], List.of("k")), new Column.Categorical("c", new int[100], List.of("k")));
    assertThat(constant.method()).isEqualTo("constant");
    assertThat(constant.drifted()).isFalse();
    var tiny = ShiftTest.compare(new Column.Numeric("x", new double[] {1, 2, 3, 4, 5, 6, 7, 8}),
        new Column.Numeric("x", new double[] {100, 200, 300, 400, 500, 600, 700, 800}));
    assertThat(tiny.drifted()).isFalse();
    assertThat(tiny.note()).contains("too few");
  }

  private static int[] repeat(int[] pattern, int times) {
    int[] out = new int[pattern.length * times];
    for (int i = 0; i < out.length; i++) {
      out[i] = pattern[i % pattern.length];
    }
    return out;
  }

  private static Dataset table(String[] ids, double[] x, int[] labels) {
    int[] codes = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      codes[i] = i;
    }
    return new Dataset("t", DatasetFormat.CSV, ids.length, List.of(
        new Column.Categorical("id", codes, List.of(ids)),
        new Column.Numeric("x", x),
        new Column.Categorical("label", labels, List.of("n", "p"))));
  }
}

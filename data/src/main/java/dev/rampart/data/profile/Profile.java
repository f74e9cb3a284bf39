package dev.rampart.data.profile;

import dev.rampart.data.io.Column;
import dev.rampart.data.io.Dataset;
import dev.rampart.data.learn.CategoryCounts;
import dev.rampart.data.stats.Robust;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A dataset's shape at a glance: size, per-column types, missing values, ranges, category counts and, when a label
 * is named, the class balance.
 */
public record Profile(long rows, List<ColumnProfile> columns, Optional<ColumnProfile.Categorical> classBalance) {
  static final int TOP_LEVELS = 10;

  public static Profile of(Dataset dataset, Optional<Column.Categorical> labels) {
    var columns = new ArrayList<ColumnProfile>();
    for (Column c : dataset.columns()) {
      columns.add(profile(c));
    }
    return new Profile(
        dataset.rows(), columns, labels.map(l -> categorical(l, Integer.MAX_VALUE)));
  }

  static ColumnProfile profile(Column column) {
    return switch (column) {
      case Column.Numeric n -> numeric(n);
      case Column.Categorical c -> categorical(c, TOP_LEVELS);
      case Column.Text t -> text(t);
    };
  }

  private static ColumnProfile numeric(Column.Numeric n) {
    double[] sorted = Robust.sortedPresent(n.values());
    long missing = n.values().length - sorted.length;
    if (sorted.length == 0) {
      return new ColumnProfile.Numeric(n.name(), missing, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, true);
    }
    double[] meanStd = Robust.meanAndStd(sorted);
    return new ColumnProfile.Numeric(
        n.name(),
        missing,
        sorted[0],
        sorted[sorted.length - 1],
        meanStd[0],
        Robust.quantileSorted(sorted, 0.5),
        meanStd[1],
        sorted[0] == sorted[sorted.length - 1]);
  }

  private static ColumnProfile.Categorical categorical(Column.Categorical c, int top) {
    long[] counts = CategoryCounts.of(c);
    long missing = java.util.Arrays.stream(c.codes()).filter(code -> code < 0).count();
    List<ColumnProfile.LevelCount> levels =
        java.util.Arrays.stream(CategoryCounts.topLevels(c, top))
            .mapToObj(i -> new ColumnProfile.LevelCount(c.levels().get(i), counts[i]))
            .toList();
    return new ColumnProfile.Categorical(c.name(), missing, c.levels().size(), levels);
  }

  private static ColumnProfile text(Column.Text t) {
    long missing = 0;
    long total = 0;
    int max = 0;
    for (String s : t.values()) {
      if (s == null) {
        missing++;
      } else {
        total += s.length();
        max = Math.max(max, s.length());
      }
    }
    long present = t.values().length - missing;
    return new ColumnProfile.Text(t.name(), missing, present == 0 ? 0 : total / (double) present, max);
  }
}

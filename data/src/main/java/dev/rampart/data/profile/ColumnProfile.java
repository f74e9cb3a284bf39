package dev.rampart.data.profile;

import java.util.List;

/** What one column holds. */
public sealed interface ColumnProfile permits ColumnProfile.Numeric, ColumnProfile.Categorical, ColumnProfile.Text {

  String name();

  long missing();

  record Numeric(
      String name, long missing, double min, double max, double mean, double median, double std, boolean constant)
      implements ColumnProfile {}

  /** @param top the most frequent levels with their counts, most frequent first */
  record Categorical(String name, long missing, int levels, List<LevelCount> top) implements ColumnProfile {}

  record Text(String name, long missing, double meanLength, int maxLength) implements ColumnProfile {}

  record LevelCount(String level, long count) {}
}

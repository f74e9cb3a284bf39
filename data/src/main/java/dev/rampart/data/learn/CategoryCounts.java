package dev.rampart.data.learn;

import dev.rampart.data.io.Column;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Level frequencies of a categorical column. */
public final class CategoryCounts {
  private CategoryCounts() {}

  public static long[] of(Column.Categorical c) {
    long[] counts = new long[c.levels().size()];
    for (int code : c.codes()) {
      if (code >= 0) {
        counts[code]++;
      }
    }
    return counts;
  }

  /** The codes of the most frequent levels, most frequent first, ties by code. */
  public static int[] topLevels(Column.Categorical c, int max) {
    long[] counts = of(c);
    return IntStream.range(0, counts.length)
        .boxed()
        .sorted(Comparator.<Integer>comparingLong(i -> -counts[i]).thenComparingInt(i -> i))
        .limit(max)
        .mapToInt(Integer::intValue)
        .toArray();
  }
}

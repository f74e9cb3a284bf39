package dev.rampart.data.diff;

import java.util.List;

/**
 * What changed between two versions of a dataset.
 *
 * @param matchedBy {@code key:<column>} or {@code row-hash}
 * @param relabelled rows (new-version indexes) whose features match an old row but whose label differs
 * @param concentration statements about where the changes concentrate, empty when they spread like the data
 */
public record DiffResult(
    String oldSource,
    String newSource,
    long oldRows,
    long newRows,
    String matchedBy,
    List<Integer> added,
    List<Integer> removed,
    List<Integer> changed,
    List<Relabel> relabelled,
    List<ColumnShift> shifts,
    List<String> addedColumns,
    List<String> removedColumns,
    ColumnShift labelShift,
    List<Concentration> concentration) {

  /** A row whose label changed: its index in each version and both labels. */
  public record Relabel(int oldRow, int newRow, String from, String to) {}

  /**
   * @param where a class ({@code class=7}) or a region ({@code petal_width in [1.8, 2.5]})
   * @param share the share of the changes that fall there
   * @param expected the share expected if changes spread like the old data
   * @param pValue one-sided binomial test of share against expected
   */
  public record Concentration(String what, String where, int rows, double share, double expected, double pValue) {}
}

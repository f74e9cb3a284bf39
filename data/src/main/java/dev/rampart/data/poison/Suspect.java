package dev.rampart.data.poison;

import java.util.List;

/**
 * A row that at least one detector flagged.
 *
 * @param row the 0-based data row (the header is not a row)
 * @param score the strongest reason's score
 */
public record Suspect(int row, double score, List<RowFlag> reasons) {
  public Suspect {
    reasons = List.copyOf(reasons);
  }
}

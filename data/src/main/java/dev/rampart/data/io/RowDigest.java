package dev.rampart.data.io;

import dev.rampart.core.Sha256;
import java.util.List;

/** The identity of a row's values in some columns: equal exactly when every value is written the same. */
public final class RowDigest {
  private RowDigest() {}

  /** SHA-256 over the displayed values, with missing values distinct from empty text. */
  public static String of(List<Column> columns, int row) {
    var sb = new StringBuilder();
    for (Column c : columns) {
      sb.append(c.missing(row) ? "\u0000" : c.display(row)).append('\u001f');
    }
    return Sha256.of(sb.toString());
  }
}

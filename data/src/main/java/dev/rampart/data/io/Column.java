package dev.rampart.data.io;

import java.util.List;

/** One column of a dataset, held in memory in the most compact form its values allow. */
public sealed interface Column permits Column.Numeric, Column.Categorical, Column.Text {

  String name();

  int size();

  /** The value as a user would recognise it, for evidence and reports; empty when missing. */
  String display(int row);

  boolean missing(int row);

  /** Numbers, dates and times (as epoch seconds); {@code NaN} means missing. */
  record Numeric(String name, double[] values) implements Column {
    @Override
    public int size() {
      return values.length;
    }

    @Override
    public boolean missing(int row) {
      return Double.isNaN(values[row]);
    }

    @Override
    public String display(int row) {
      double v = values[row];
      if (Double.isNaN(v)) {
        return "";
      }
      return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
  }

  /** Values from a small set, dictionary-encoded; code {@code -1} means missing. */
  record Categorical(String name, int[] codes, List<String> levels) implements Column {
    public Categorical {
      levels = List.copyOf(levels);
    }

    @Override
    public int size() {
      return codes.length;
    }

    @Override
    public boolean missing(int row) {
      return codes[row] < 0;
    }

    @Override
    public String display(int row) {
      return codes[row] < 0 ? "" : levels.get(codes[row]);
    }
  }

  /** Free text; {@code null} means missing. */
  record Text(String name, String[] values) implements Column {
    @Override
    public int size() {
      return values.length;
    }

    @Override
    public boolean missing(int row) {
      return values[row] == null;
    }

    @Override
    public String display(int row) {
      return values[row] == null ? "" : values[row];
    }
  }
}

package dev.rampart.data.io;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;

/** Accumulates one column while rows stream past, growing primitive arrays instead of boxing every value. */
abstract sealed class ColumnBuilder {
  enum Kind {
    NUMBER,
    TIME,
    STRING
  }

  /** Above this many distinct strings a column is free text, not a category. */
  static final int MAX_LEVELS = 10_000;

  final String name;
  int size;

  ColumnBuilder(String name) {
    this.name = name;
  }

  static ColumnBuilder of(String name, Kind kind) {
    return switch (kind) {
      case NUMBER -> new Numbers(name, false);
      case TIME -> new Numbers(name, true);
      case STRING -> new Strings(name);
    };
  }

  abstract void add(ResultSet rs, int column) throws SQLException;

  abstract Column build();

  static final class Numbers extends ColumnBuilder {
    private final boolean time;
    private double[] values = new double[1024];

    Numbers(String name, boolean time) {
      super(name);
      this.time = time;
    }

    @Override
    void add(ResultSet rs, int column) throws SQLException {
      double v;
      if (time) {
        Timestamp t = rs.getTimestamp(column);
        v = t == null ? Double.NaN : t.getTime() / 1000.0;
      } else {
        v = rs.getDouble(column);
        if (rs.wasNull()) {
          v = Double.NaN;
        }
      }
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    @Override
    Column build() {
      return new Column.Numeric(name, Arrays.copyOf(values, size));
    }
  }

  /**
   * Dictionary-encodes while the number of distinct values stays small; past {@link #MAX_LEVELS} it keeps the raw
   * strings. At the end, short repetitive values become a category and the rest text.
   */
  static final class Strings extends ColumnBuilder {
    private final HashMap<String, Integer> index = new HashMap<>();
    private final List<String> levels = new ArrayList<>();
    private int[] codes = new int[1024];
    private String[] raw;
    private long totalLength;
    private int whitespaceValues;

    Strings(String name) {
      super(name);
    }

    @Override
    void add(ResultSet rs, int column) throws SQLException {
      String v = rs.getString(column);
      if (v != null) {
        totalLength += v.length();
        if (v.indexOf(' ') >= 0) {
          whitespaceValues++;
        }
      }
      if (raw != null) {
        if (size == raw.length) {
          raw = Arrays.copyOf(raw, size * 2);
        }
        raw[size++] = v;
        return;
      }
      int code = v == null ? -1 : index.computeIfAbsent(v, this::newLevel);
      if (levels.size() > MAX_LEVELS) {
        switchToRaw();
        raw[size++] = v;
        return;
      }
      if (size == codes.length) {
        codes = Arrays.copyOf(codes, size * 2);
      }
      codes[size++] = code;
    }

    private Integer newLevel(String v) {
      levels.add(v);
      return levels.size() - 1;
    }

    private void switchToRaw() {
      raw = new String[Math.max(1024, codes.length * 2)];
      for (int i = 0; i < size; i++) {
        raw[i] = codes[i] < 0 ? null : levels.get(codes[i]);
      }
      codes = null;
      index.clear();
      levels.clear();
    }

    @Override
    Column build() {
      boolean categorical =
          raw == null
              && levels.size() <= Math.max(50, size / 20)
              && totalLength <= 40L * Math.max(1, size)
              && whitespaceValues * 2L <= Math.max(1, size);
      if (categorical) {
        return new Column.Categorical(name, Arrays.copyOf(codes, size), levels);
      }
      if (raw == null) {
        switchToRaw();
      }
      return new Column.Text(name, Arrays.copyOf(raw, size));
    }
  }
}

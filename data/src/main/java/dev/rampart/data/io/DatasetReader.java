package dev.rampart.data.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads CSV, TSV, JSONL and Parquet through an in-process DuckDB, which sniffs dialects and types and streams the
 * rows; the columns are then held in compact Java arrays. DuckDB runs with external access switched off except for
 * the one file being read, with no extension downloads, and with its configuration locked.
 */
public final class DatasetReader {
  private final ReadLimits limits;

  public DatasetReader(ReadLimits limits) {
    this.limits = limits;
  }

  public Dataset read(Path file) throws DatasetReadException, IOException {
    return read(file, Optional.empty());
  }

  public Dataset read(Path file, Optional<DatasetFormat> declared) throws DatasetReadException, IOException {
    String source = file.toString();
    if (!Files.isRegularFile(file)) {
      throw new IOException(source + ": no such file (a dataset is one CSV, TSV, JSONL or Parquet file)");
    }
    long size = Files.size(file);
    if (size > limits.maxFileBytes()) {
      throw new DatasetReadException.TooLarge(
          source, size + " bytes is over the " + limits.maxFileBytes() + "-byte limit");
    }
    if (size == 0) {
      throw new DatasetReadException.Empty(source);
    }
    DatasetFormat format =
        declared.isPresent()
            ? declared.get()
            : DatasetFormat.detect(file).orElseThrow(() -> new DatasetReadException.UnsupportedFormat(source));
    String absolute = file.toAbsolutePath().normalize().toString();
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = connection.createStatement()) {
      confine(statement, absolute);
      return query(statement, source, format, absolute);
    } catch (SQLException e) {
      throw translate(source, e);
    }
  }

  private void confine(Statement s, String absolute) throws SQLException {
    s.execute("SET threads = " + Math.max(1, Runtime.getRuntime().availableProcessors()));
    s.execute("SET memory_limit = '" + Math.max(64, limits.memoryBytes() >> 20) + "MB'");
    s.execute("SET autoinstall_known_extensions = false");
    s.execute("SET autoload_known_extensions = false");
    s.execute("SET allowed_paths = [" + literal(absolute) + "]");
    s.execute("SET enable_external_access = false");
    s.execute("SET lock_configuration = true");
  }

  private Dataset query(Statement s, String source, DatasetFormat format, String absolute)
      throws SQLException, DatasetReadException {
    String sql = "SELECT * FROM " + tableFunction(format, absolute) + " LIMIT " + ((long) limits.maxRows() + 1);
    var cancelled = new AtomicBoolean();
    Thread watchdog =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    Thread.sleep(limits.timeout());
                    cancelled.set(true);
                    s.cancel();
                  } catch (InterruptedException | SQLException ignored) {
                    // finished in time, or the statement is already gone
                  }
                });
    try (ResultSet rs = s.executeQuery(sql)) {
      return collect(rs, source, format);
    } catch (SQLException e) {
      if (cancelled.get()) {
        throw new DatasetReadException.TooLarge(
            source, "reading took longer than " + limits.timeout().toSeconds() + " s; raise --read-timeout");
      }
      throw e;
    } finally {
      watchdog.interrupt();
    }
  }

  private String tableFunction(DatasetFormat format, String absolute) {
    String path = literal(absolute);
    int line = limits.maxFieldBytes();
    // The delimiter is fixed by the format: left to the sniffer, a file whose rows disagree on their field count
    // comes back as one wide column instead of an error, and the skip is pinned so the sniffer cannot decide that
    // the first rows are preamble. Booleans stay text, so "yes" is never rewritten "true".
    String csv = ", header = true, skip = 0, strict_mode = true, null_padding = false, max_line_size = " + line
        + ", auto_type_candidates = ['BIGINT', 'DOUBLE', 'DATE', 'TIMESTAMP', 'VARCHAR'])";
    return switch (format) {
      case CSV -> "read_csv(" + path + ", delim = ','" + csv;
      case TSV -> "read_csv(" + path + ", delim = '\\t'" + csv;
      case JSONL ->
          "read_json(" + path + ", format = 'newline_delimited', maximum_object_size = " + line + ")";
      case PARQUET -> "read_parquet(" + path + ")";
    };
  }

  private Dataset collect(ResultSet rs, String source, DatasetFormat format)
      throws SQLException, DatasetReadException {
    ResultSetMetaData meta = rs.getMetaData();
    int n = meta.getColumnCount();
    if (n > limits.maxColumns()) {
      throw new DatasetReadException.TooLarge(
          source, n + " columns is over the limit of " + limits.maxColumns());
    }
    var builders = new ArrayList<ColumnBuilder>(n);
    for (int c = 1; c <= n; c++) {
      builders.add(ColumnBuilder.of(meta.getColumnName(c), kind(meta.getColumnType(c))));
    }
    int rows = 0;
    while (rs.next()) {
      if (rows == limits.maxRows()) {
        throw new DatasetReadException.TooLarge(
            source, "more than " + limits.maxRows() + " rows; raise --max-rows or check a sample");
      }
      for (int c = 0; c < n; c++) {
        builders.get(c).add(rs, c + 1);
      }
      rows++;
    }
    if (rows == 0 || n == 0) {
      throw new DatasetReadException.Empty(source);
    }
    List<Column> columns = new ArrayList<>(n);
    for (ColumnBuilder b : builders) {
      columns.add(b.build());
    }
    return new Dataset(source, format, rows, columns);
  }

  private static ColumnBuilder.Kind kind(int sqlType) {
    return switch (sqlType) {
      case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.FLOAT, Types.REAL, Types.DOUBLE,
          Types.DECIMAL, Types.NUMERIC ->
          ColumnBuilder.Kind.NUMBER;
      case Types.DATE, Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> ColumnBuilder.Kind.TIME;
      default -> ColumnBuilder.Kind.STRING;
    };
  }

  private static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  private static DatasetReadException translate(String source, SQLException e) {
    String detail = summary(String.valueOf(e.getMessage()));
    String lower = detail.toLowerCase(Locale.ROOT);
    if (lower.contains("maximum line size") || lower.contains("maximum_object_size")
        || lower.contains("maximum object size")) {
      return new DatasetReadException.TooLarge(
          source, "a line or object is over the size limit; raise --max-field-bytes if it is genuine (" + detail + ")");
    }
    if (lower.contains("out of memory") || lower.contains("memory limit")) {
      return new DatasetReadException.TooLarge(source, "the reader ran out of its memory budget (" + detail + ")");
    }
    String hint;
    if (lower.contains("unicode") || lower.contains("utf")) {
      hint = "; the file is not UTF-8: convert it, for example with iconv -f latin1 -t utf-8";
    } else if (lower.contains("sniffing")) {
      hint = ": rows disagree on their number of fields, a quote is unbalanced, or this is not "
          + "comma-separated text (use --input-format tsv for tabs)";
    } else if (lower.contains("columns")) {
      hint = "; every row must have as many fields as the header";
    } else {
      hint = "";
    }
    return new DatasetReadException.Malformed(source, detail + hint, e);
  }

  /**
   * The engine's message without the echo of the offending line (user data, possibly huge or secret) and without
   * its suggestions, which name engine options rather than Rampart's.
   */
  private static String summary(String message) {
    var kept = new ArrayList<String>();
    for (String line : message.split("\\R")) {
      String t = line.strip();
      if (t.startsWith("Possible") || t.startsWith("LINE ")) {
        break;
      }
      if (t.isEmpty() || t.startsWith("Original Line") || t.startsWith("* ") || t.startsWith("^")) {
        continue;
      }
      kept.add(t.replaceFirst("^[A-Za-z ]+Error: ", ""));
      if (kept.size() == 2) {
        break;
      }
    }
    String joined = String.join(": ", kept);
    return joined.length() > 300 ? joined.substring(0, 300) + "..." : joined;
  }
}

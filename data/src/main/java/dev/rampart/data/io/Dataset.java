package dev.rampart.data.io;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;

/**
 * A table read into memory, column by column.
 *
 * @param source the path as the user gave it
 */
public record Dataset(String source, DatasetFormat format, int rows, List<Column> columns) {

  public Dataset {
    columns = List.copyOf(columns);
    for (Column c : columns) {
      if (c.size() != rows) {
        throw new IllegalArgumentException("column " + c.name() + " has " + c.size() + " values, not " + rows);
      }
    }
  }

  public Optional<Column> column(String name) {
    return columns.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  public List<String> columnNames() {
    return columns.stream().map(Column::name).toList();
  }

  /** The columns except those named. */
  public List<Column> columnsExcept(List<String> names) {
    return columns.stream().filter(c -> !names.contains(c.name())).toList();
  }

  /**
   * The named column as labels: every distinct value becomes a class, numbers written as the user wrote them.
   *
   * @throws DatasetReadException.MissingColumn when there is no such column
   */
  public Column.Categorical labels(String name) throws DatasetReadException.MissingColumn {
    Column c =
        column(name).orElseThrow(() -> new DatasetReadException.MissingColumn(source, name, columnNames()));
    if (c instanceof Column.Categorical cat) {
      return cat;
    }
    var levels = new ArrayList<String>();
    var index = new HashMap<String, Integer>();
    int[] codes = new int[rows];
    for (int r = 0; r < rows; r++) {
      if (c.missing(r)) {
        codes[r] = -1;
        continue;
      }
      String v = c.display(r);
      codes[r] =
          index.computeIfAbsent(
              v,
              k -> {
                levels.add(k);
                return levels.size() - 1;
              });
    }
    return new Column.Categorical(name, codes, levels);
  }
}

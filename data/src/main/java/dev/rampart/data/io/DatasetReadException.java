package dev.rampart.data.io;

import java.util.List;

/** Why a dataset could not be read; each kind says what to do next. */
public abstract sealed class DatasetReadException extends Exception {

  private DatasetReadException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Neither the content nor the name says which format this is. */
  public static final class UnsupportedFormat extends DatasetReadException {
    public UnsupportedFormat(String source) {
      super(
          source
              + ": not a format Rampart reads as a dataset; use CSV, TSV, JSONL or Parquet, or name it with --format",
          null);
    }
  }

  /** The content breaks the format: ragged rows, bad encoding, unterminated quotes, truncation. */
  public static final class Malformed extends DatasetReadException {
    public Malformed(String source, String detail, Throwable cause) {
      super(source + ": malformed dataset: " + detail, cause);
    }
  }

  /** A limit from {@link ReadLimits} was hit. */
  public static final class TooLarge extends DatasetReadException {
    public TooLarge(String source, String detail) {
      super(source + ": " + detail, null);
    }
  }

  /** The file has no data rows or no columns. */
  public static final class Empty extends DatasetReadException {
    public Empty(String source) {
      super(source + ": the dataset has no data rows; check the file and its header", null);
    }
  }

  /** A column the user named is not there. */
  public static final class MissingColumn extends DatasetReadException {
    public MissingColumn(String source, String column, List<String> present) {
      super(
          source
              + ": no column named '"
              + column
              + "'; the columns are "
              + (present.size() > 30 ? present.subList(0, 30) + "..." : present),
          null);
    }
  }

  /** The label column cannot serve as one: a single class, or so many that it is an identifier. */
  public static final class UnusableLabel extends DatasetReadException {
    public UnusableLabel(String source, String column, String why) {
      super(source + ": column '" + column + "' cannot be the label: " + why, null);
    }
  }
}

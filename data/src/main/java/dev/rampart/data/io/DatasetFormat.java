package dev.rampart.data.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The tabular formats Rampart reads. */
public enum DatasetFormat {
  CSV,
  TSV,
  JSONL,
  PARQUET;

  private static final byte[] PARQUET_MAGIC = {'P', 'A', 'R', '1'};

  /**
   * The format from the content where it has a signature (Parquet), otherwise from the name; compressed text
   * ({@code .csv.gz}, {@code .jsonl.zst}) counts as its inner format.
   */
  public static Optional<DatasetFormat> detect(Path file) throws IOException {
    byte[] head = new byte[4];
    try (InputStream in = Files.newInputStream(file)) {
      if (in.readNBytes(head, 0, 4) == 4 && Arrays.equals(head, PARQUET_MAGIC)) {
        return Optional.of(PARQUET);
      }
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT).replaceFirst("\\.(gz|zst)$", "");
    if (name.endsWith(".csv") || name.endsWith(".txt") || name.endsWith(".data")) {
      return Optional.of(CSV);
    }
    if (name.endsWith(".tsv") || name.endsWith(".tab")) {
      return Optional.of(TSV);
    }
    if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
      return Optional.of(JSONL);
    }
    if (name.endsWith(".parquet") || name.endsWith(".pq")) {
      return Optional.of(PARQUET);
    }
    return Optional.empty();
  }

  public static DatasetFormat parse(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }
}

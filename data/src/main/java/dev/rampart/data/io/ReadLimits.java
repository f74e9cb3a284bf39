package dev.rampart.data.io;

import java.time.Duration;

/**
 * Bounds on what one read may consume, so a hostile file costs a clear error instead of the machine.
 *
 * @param maxFieldBytes the longest line (CSV, TSV) or object (JSONL) accepted
 * @param memoryBytes the reader's own working memory, on top of the columns it hands back
 */
public record ReadLimits(
    long maxFileBytes, int maxRows, int maxColumns, int maxFieldBytes, long memoryBytes, Duration timeout) {

  public static ReadLimits defaults() {
    return new ReadLimits(20L << 30, 20_000_000, 4_096, 8 << 20, 1L << 30, Duration.ofMinutes(10));
  }

  public ReadLimits withMaxRows(int rows) {
    return new ReadLimits(maxFileBytes, rows, maxColumns, maxFieldBytes, memoryBytes, timeout);
  }

  public ReadLimits withMaxFieldBytes(int bytes) {
    return new ReadLimits(maxFileBytes, maxRows, maxColumns, bytes, memoryBytes, timeout);
  }

  public ReadLimits withTimeout(Duration t) {
    return new ReadLimits(maxFileBytes, maxRows, maxColumns, maxFieldBytes, memoryBytes, t);
  }
}

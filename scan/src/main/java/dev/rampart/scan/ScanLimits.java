package dev.rampart.scan;

import java.time.Duration;

/**
 * Hardening limits. Hitting any of them leaves the artifact incomplete, naming the limit, never silently clean.
 *
 * @param maxOpcodes opcodes per pickle stream
 * @param maxStackDepth pickle stack and mark-stack depth
 * @param maxMemo pickle memo entries
 * @param maxNesting container nesting depth (zip in tar in gzip ...)
 * @param maxEntries members per archive
 * @param maxRatio expansion ratio of one compressed member
 * @param maxInflatedBytes total bytes inflated from one top-level file
 * @param maxJsonBytes size of a JSON document (configs, headers)
 * @param maxHeaderBytes size of a safetensors header
 * @param perFileTimeout wall time for one top-level file
 */
public record ScanLimits(
    long maxOpcodes,
    int maxStackDepth,
    int maxMemo,
    int maxNesting,
    int maxEntries,
    long maxRatio,
    long maxInflatedBytes,
    int maxJsonBytes,
    long maxHeaderBytes,
    Duration perFileTimeout) {

  public static ScanLimits defaults() {
    return new ScanLimits(
        1_000_000,
        10_000,
        100_000,
        5,
        100_000,
        100,
        64L * 1024 * 1024 * 1024,
        64 * 1024 * 1024,
        100L * 1000 * 1000,
        Duration.ofSeconds(300));
  }
}

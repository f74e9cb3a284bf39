package dev.rampart.data.poison;

/**
 * One detector's verdict on one row.
 *
 * @param score in [0, 1]; higher is more certainly poisoned
 * @param detail why, in words a data scientist can check against the row
 */
public record RowFlag(int row, Signal signal, double score, String detail) {}

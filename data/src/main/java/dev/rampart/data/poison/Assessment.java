package dev.rampart.data.poison;

import dev.rampart.core.Severity;

/**
 * What one detector concludes about the whole dataset.
 *
 * @param severity {@code HIGH} when the evidence is beyond what a clean dataset of this shape shows, lower when the
 *     rows are worth a look but do not make the dataset suspect
 * @param rows how many rows the detector flagged
 */
public record Assessment(Signal signal, Severity severity, int rows, String summary) {}

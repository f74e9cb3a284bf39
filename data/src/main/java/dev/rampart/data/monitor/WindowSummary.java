package dev.rampart.data.monitor;

import java.util.List;
import java.util.Map;

/**
 * One closed window, for the timeline and the plots.
 *
 * @param effects per feature, the deciding statistic's effect size (KS D or distance)
 * @param drifted the features that drifted in this window
 * @param estimatedAccuracy CBPE's estimate, NaN when the events carried no confidence
 * @param reconstructionError the mean multivariate reconstruction error, NaN when the profile has no reconstruction
 *     section or the window too few complete events
 */
public record WindowSummary(
    int index,
    long startEvent,
    long endEvent,
    String firstTs,
    String lastTs,
    Map<String, Double> effects,
    List<String> drifted,
    double estimatedAccuracy,
    double reconstructionError) {}

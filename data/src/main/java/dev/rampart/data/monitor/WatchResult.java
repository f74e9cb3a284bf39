package dev.rampart.data.monitor;

import java.util.List;

/**
 * The outcome of watching a stream.
 *
 * @param windows the most recent closed windows (at most the configured number), for plots
 * @param realised realised accuracy per label window, as labels arrived
 * @param notes what could not be evaluated, such as a final window too small to test
 */
public record WatchResult(
    String profileDigest,
    List<Alert> alerts,
    List<WindowSummary> windows,
    long droppedWindows,
    List<RealisedPerformance> realised,
    InputCounters.Snapshot input,
    List<String> notes) {

  /** Accuracy over one batch of labelled events, next to what CBPE estimated for the same events. */
  public record RealisedPerformance(long event, int labelled, double accuracy, double estimated) {}
}

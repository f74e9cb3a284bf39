package dev.rampart.data.monitor;

import java.util.Map;
import java.util.TreeMap;

/** Everything about the input stream that was not a clean event: counted and reported, never dropped silently. */
public final class InputCounters {
  static final int MAX_NAMES = 100;

  long events;
  long malformed;
  long outOfOrder;
  long nonFinite;
  long withoutPrediction;
  long labels;
  long lateLabels;
  long unmatchedLabels;
  final Map<String, Long> unknownFeatures = new TreeMap<>();
  final Map<String, Long> missingFeatures = new TreeMap<>();

  void unknown(String name) {
    if (unknownFeatures.containsKey(name) || unknownFeatures.size() < MAX_NAMES) {
      unknownFeatures.merge(name, 1L, Long::sum);
    }
  }

  void missing(String name) {
    missingFeatures.merge(name, 1L, Long::sum);
  }

  void write(com.fasterxml.jackson.databind.node.ObjectNode out) {
    out.put("events", events).put("malformed", malformed).put("outOfOrder", outOfOrder).put("nonFinite", nonFinite)
        .put("withoutPrediction", withoutPrediction).put("labels", labels).put("lateLabels", lateLabels)
        .put("unmatchedLabels", unmatchedLabels);
    unknownFeatures.forEach(out.putObject("unknown")::put);
    missingFeatures.forEach(out.putObject("missing")::put);
  }

  void read(com.fasterxml.jackson.databind.JsonNode in) {
    events = in.path("events").asLong();
    malformed = in.path("malformed").asLong();
    outOfOrder = in.path("outOfOrder").asLong();
    nonFinite = in.path("nonFinite").asLong();
    withoutPrediction = in.path("withoutPrediction").asLong();
    labels = in.path("labels").asLong();
    lateLabels = in.path("lateLabels").asLong();
    unmatchedLabels = in.path("unmatchedLabels").asLong();
    unknownFeatures.clear();
    in.path("unknown").properties().stream().limit(MAX_NAMES)
        .forEach(e -> unknownFeatures.put(e.getKey(), e.getValue().asLong()));
    missingFeatures.clear();
    in.path("missing").properties().stream().limit(MAX_NAMES)
        .forEach(e -> missingFeatures.put(e.getKey(), e.getValue().asLong()));
  }

  /** A snapshot for reports. */
  public Snapshot snapshot() {
    return new Snapshot(events, malformed, outOfOrder, nonFinite, withoutPrediction, labels, lateLabels,
        unmatchedLabels, Map.copyOf(unknownFeatures), Map.copyOf(missingFeatures));
  }

  /**
   * @param malformed lines that are not a JSON object, or whose fields have the wrong types
   * @param outOfOrder events whose timestamp is earlier than the one before (kept, in arrival order)
   * @param nonFinite NaN or infinite feature values (treated as missing)
   * @param lateLabels labels that arrived on their own line for an earlier event
   * @param unmatchedLabels labels for an event id that is unknown or too old to be kept
   * @param unknownFeatures features the reference does not have, by name (the first 100 names)
   * @param missingFeatures reference features absent from events, by name
   */
  public record Snapshot(
      long events,
      long malformed,
      long outOfOrder,
      long nonFinite,
      long withoutPrediction,
      long labels,
      long lateLabels,
      long unmatchedLabels,
      Map<String, Long> unknownFeatures,
      Map<String, Long> missingFeatures) {}
}

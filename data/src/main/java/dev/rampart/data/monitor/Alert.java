package dev.rampart.data.monitor;

import dev.rampart.core.AtlasTechnique;
import dev.rampart.core.Severity;
import java.util.List;

/**
 * One alert: what kind, which features, the window that confirmed it and the statistic that decided.
 *
 * @param event the 0-based index of the event at which the alert was raised (the end of the confirming window)
 * @param ts that event's timestamp as sent, or empty
 * @param windowStart the first event of the confirming window
 */
public record Alert(
    long event,
    String ts,
    Kind kind,
    List<String> features,
    long windowStart,
    long windowEnd,
    String statistic,
    double value,
    double threshold,
    String detail) {

  public Alert {
    features = List.copyOf(features);
  }

  /** What went wrong, with the severity and ATLAS technique it carries by default. */
  public enum Kind {
    COVARIATE_DRIFT("covariate-drift", Severity.MEDIUM, Atlas.EVADE),
    MULTIVARIATE_DRIFT("multivariate-drift", Severity.MEDIUM, Atlas.EVADE),
    PREDICTION_DRIFT("prediction-drift", Severity.MEDIUM, Atlas.EVADE),
    PRIOR_SHIFT("prior-shift", Severity.MEDIUM, Atlas.ERODE),
    PIPELINE_FAULT("pipeline-fault", Severity.HIGH, Atlas.ERODE),
    ESTIMATED_PERFORMANCE_DROP("estimated-performance-drop", Severity.HIGH, Atlas.ERODE),
    PERFORMANCE_DROP("performance-drop", Severity.HIGH, Atlas.ERODE),
    CONCEPT_DRIFT("concept-drift", Severity.HIGH, Atlas.ERODE);

    private final String id;
    private final Severity severity;
    private final AtlasTechnique technique;

    Kind(String id, Severity severity, AtlasTechnique technique) {
      this.id = id;
      this.severity = severity;
      this.technique = technique;
    }

    public String id() {
      return id;
    }

    public Severity severity() {
      return severity;
    }

    public AtlasTechnique technique() {
      return technique;
    }

    /** The kind with this id, if any. */
    public static java.util.Optional<Kind> byId(String id) {
      return java.util.Arrays.stream(values()).filter(k -> k.id.equals(id)).findFirst();
    }
  }

  private static final class Atlas {
    static final AtlasTechnique EVADE = dev.rampart.core.Atlas.EVADE_AI_MODEL;
    static final AtlasTechnique ERODE = dev.rampart.core.Atlas.ERODE_AI_MODEL_INTEGRITY;
  }
}

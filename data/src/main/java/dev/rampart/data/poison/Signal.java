package dev.rampart.data.poison;

/** The kinds of evidence that make a row suspect. */
public enum Signal {
  LABEL_ISSUE("label"),
  OUTLIER("outlier"),
  CONFLICTING_DUPLICATE("conflicting-duplicate"),
  NEAR_DUPLICATE_CONFLICT("near-duplicate-conflict"),
  TRIGGER("trigger");

  private final String id;

  Signal(String id) {
    this.id = id;
  }

  /** The short name used in reports. */
  public String id() {
    return id;
  }
}

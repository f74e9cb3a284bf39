package dev.rampart.core;

/** The lifecycle phase in which a finding arises or is best fixed. */
public enum Phase {
  DATA_ENGINEERING("Data engineering"),
  EXPERIMENT_DEVELOPMENT("Experiment/development"),
  PRODUCTION("Production");

  private final String displayName;

  Phase(String displayName) {
    this.displayName = displayName;
  }

  public String displayName() {
    return displayName;
  }
}

package dev.rampart.server.promotion;

/** One deployment of a model version to an environment; every deployment, rollbacks included, is a new one. */
public record Deployment(long id, String model, int version, String digest, Status status, String deployedAt,
    String deployedBy) {

  /** Where a deployment stands: one active deployment per model and environment. */
  public enum Status {
    ACTIVE,
    SUPERSEDED,
    ROLLED_BACK;

    @com.fasterxml.jackson.annotation.JsonValue
    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    static Status parse(String stored) {
      return valueOf(stored.toUpperCase(java.util.Locale.ROOT));
    }
  }
}

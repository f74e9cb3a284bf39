package dev.rampart.core;

/**
 * Where in its lifecycle phase a finding arises or is best fixed: the sub-stages of the AI lifecycle threat map
 * (icpinto/ai-lifecycle-threats), each inside one {@link Phase}. A phase alone says "Production" of a pickle-format
 * notice and of an exposed Ray dashboard alike; the stage tells the model export from the serving system.
 */
public enum Stage {
  DATA_ACQUISITION(Phase.DATA_ENGINEERING, "data acquisition"),
  DATA_PREPARATION(Phase.DATA_ENGINEERING, "data preparation"),
  VERSIONED_DATA(Phase.EXPERIMENT_DEVELOPMENT, "versioned data"),
  MODEL_TRAINING(Phase.EXPERIMENT_DEVELOPMENT, "model training"),
  MODEL_VALIDATION(Phase.EXPERIMENT_DEVELOPMENT, "model validation"),
  MLOPS_PIPELINE(Phase.EXPERIMENT_DEVELOPMENT, "MLOps pipeline"),
  CODE_REPOSITORY(Phase.EXPERIMENT_DEVELOPMENT, "code repository"),
  MODEL_EXPORT(Phase.PRODUCTION, "model export"),
  MODEL_REGISTRY(Phase.PRODUCTION, "model registry"),
  AI_SYSTEM(Phase.PRODUCTION, "serving system"),
  MONITORING(Phase.PRODUCTION, "monitoring");

  private final Phase phase;
  private final String displayName;

  Stage(Phase phase, String displayName) {
    this.phase = phase;
    this.displayName = displayName;
  }

  public Phase phase() {
    return phase;
  }

  public String displayName() {
    return displayName;
  }
}

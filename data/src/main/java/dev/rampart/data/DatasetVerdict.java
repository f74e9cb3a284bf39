package dev.rampart.data;

/** The one-word conclusion of a dataset check. */
public enum DatasetVerdict {
  /** Nothing beyond what clean data of this shape shows. */
  CLEAN,
  /** Rows worth reviewing, but no evidence of an attack. */
  SUSPICIOUS,
  /** Evidence of poisoning or tampering: at least one detector found more than clean data explains. */
  POISONED
}

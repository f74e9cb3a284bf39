package dev.rampart.server.audit;

/** No checkpoint has been cosigned by the required number of witnesses yet, so none is served as current. */
public final class CheckpointNotWitnessedException extends dev.rampart.server.domain.Unavailable {
  public CheckpointNotWitnessedException(String reason) {
    super(Reason.WITNESS_QUORUM_PENDING, reason);
  }
}

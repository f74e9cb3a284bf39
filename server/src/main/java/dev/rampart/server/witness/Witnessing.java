package dev.rampart.server.witness;

import java.util.List;

/** The witnesses a server publishes its audit checkpoints through, and how many must cosign one before it is served. */
public record Witnessing(List<WitnessEndpoint> witnesses, int quorum) {
  public Witnessing {
    witnesses = List.copyOf(witnesses);
    if (quorum < 0 || quorum > witnesses.size()) {
      throw new IllegalArgumentException("the witness quorum must be between 0 and the " + witnesses.size()
          + " witnesses configured, not " + quorum);
    }
  }

  public static Witnessing none() {
    return new Witnessing(List.of(), 0);
  }

  public boolean any() {
    return !witnesses.isEmpty();
  }
}

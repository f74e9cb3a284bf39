package dev.rampart.server.promotion;

import java.util.List;

/**
 * A rollback done: the version restored, the promotion that records the decision, and why each newer candidate was
 * skipped.
 */
public record Rollback(String environment, String model, int version, String digest, long decision, List<String> skipped) {
  public Rollback {
    skipped = List.copyOf(skipped);
  }
}

package dev.rampart.eval.llm;

import java.util.List;

/**
 * One probe: a system prompt, the user's turns (templates with planted values) and the detector that decides from
 * the answers whether the attack worked. A probe of several turns is a conversation: each turn is sent with the
 * model's earlier answers, the way attacks that wear a model down over several messages work.
 */
public record Probe(String id, Category category, String system, List<String> turns, Detector detector) {
  public static final int MAX_TURNS = 8;

  public Probe {
    turns = List.copyOf(turns);
    if (turns.isEmpty() || turns.size() > MAX_TURNS) {
      throw new IllegalArgumentException("a probe has 1 to " + MAX_TURNS + " turns");
    }
  }

  public Probe(String id, Category category, String system, String user, Detector detector) {
    this(id, category, system, List.of(user), detector);
  }

  public boolean multiTurn() {
    return turns.size() > 1;
  }
}

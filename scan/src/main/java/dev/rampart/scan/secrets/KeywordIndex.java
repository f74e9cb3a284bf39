package dev.rampart.scan.secrets;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Aho-Corasick automaton over lower-case ASCII keywords: one pass over a fragment finds every keyword occurrence,
 * so a rule's regular expressions only run where one of its keywords appears.
 */
final class KeywordIndex {
  /** Where a keyword ended and which rules it triggers. */
  interface Sink {
    void hit(int endExclusive, BitSet rules);
  }

  private static final int ALPHABET = 128;

  private final List<Map<Character, Integer>> next = new ArrayList<>();
  private final List<Integer> fail = new ArrayList<>();
  private final List<BitSet> output = new ArrayList<>();
  /** The automaton as a dense transition table over ASCII; the hot loop touches nothing else. */
  private final int[] delta;

  private final BitSet[] outputs;

  KeywordIndex(List<SecretRule> rules) {
    newState();
    for (int r = 0; r < rules.size(); r++) {
      for (String keyword : rules.get(r).keywords()) {
        int state = 0;
        for (char c : keyword.toCharArray()) {
          Integer to = next.get(state).get(c);
          if (to == null) {
            to = newState();
            next.get(state).put(c, to);
          }
          state = to;
        }
        output.get(state).set(r);
      }
    }
    var queue = new ArrayDeque<Integer>();
    for (int child : next.get(0).values()) {
      fail.set(child, 0);
      queue.add(child);
    }
    while (!queue.isEmpty()) {
      int state = queue.poll();
      for (var e : next.get(state).entrySet()) {
        int child = e.getValue();
        int f = fail.get(state);
        while (f != 0 && !next.get(f).containsKey(e.getKey())) {
          f = fail.get(f);
        }
        Integer target = next.get(f).get(e.getKey());
        int childFail = target != null && target != child ? target : 0;
        fail.set(child, childFail);
        output.get(child).or(output.get(childFail));
        queue.add(child);
      }
    }
    int states = next.size();
    delta = new int[states * ALPHABET];
    outputs = output.toArray(BitSet[]::new);
    // breadth-first order guarantees a state's fail target is complete before the state itself
    var order = new ArrayDeque<Integer>();
    order.add(0);
    while (!order.isEmpty()) {
      int state = order.poll();
      for (int c = 0; c < ALPHABET; c++) {
        Integer to = next.get(state).get((char) c);
        if (to != null) {
          delta[state * ALPHABET + c] = to;
          order.add(to);
        } else {
          delta[state * ALPHABET + c] = state == 0 ? 0 : delta[fail.get(state) * ALPHABET + c];
        }
      }
    }
  }

  private int newState() {
    next.add(new HashMap<>());
    fail.add(0);
    output.add(new BitSet());
    return next.size() - 1;
  }

  /** Calls {@code sink} for every keyword occurrence in {@code text}, matching ASCII case-insensitively. */
  void scan(CharSequence text, Sink sink) {
    int state = 0;
    for (int i = 0, n = text.length(); i < n; i++) {
      char c = text.charAt(i);
      if (c >= ALPHABET) {
        state = 0;
        continue;
      }
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c + 32);
      }
      state = delta[state * ALPHABET + c];
      BitSet out = outputs[state];
      if (!out.isEmpty()) {
        sink.hit(i + 1, out);
      }
    }
  }
}

package dev.rampart.data.monitor;

import java.util.HashMap;
import java.util.Map;

/**
 * Turns per-window conditions into episodes, so one shift raises one alert: a condition must hold in
 * {@code confirm} consecutive windows to open an episode (the alert), and stay false for {@code clear} consecutive
 * windows to close it. While an episode is open, nothing new is raised for the same key, and the window only needs
 * the looser {@code sustain} condition to keep it open (hysteresis), so a shift that hovers near the threshold
 * does not flap into a series of alerts.
 */
final class Debouncer {
  private final Map<String, State> states = new HashMap<>();

  private static final class State {
    int hits;
    int misses;
    boolean open;
  }

  /** Records one window's condition; true exactly when this window opens a new episode. */
  boolean observe(String key, boolean condition, int confirm, int clear) {
    return observe(key, condition, condition, confirm, clear);
  }

  /** As {@link #observe(String, boolean, int, int)}, with a looser condition that keeps an open episode open. */
  boolean observe(String key, boolean condition, boolean sustain, int confirm, int clear) {
    State s = states.computeIfAbsent(key, k -> new State());
    if (s.open ? sustain : condition) {
      s.hits++;
      s.misses = 0;
      if (!s.open && s.hits >= confirm) {
        s.open = true;
        return true;
      }
    } else {
      s.hits = 0;
      s.misses++;
      if (s.open && s.misses >= clear) {
        s.open = false;
      }
    }
    return false;
  }

  /** Every key's state as {@code [hits, misses, open]}, for a watcher's snapshot. */
  void write(com.fasterxml.jackson.databind.node.ObjectNode out) {
    states.forEach((key, s) -> out.putArray(key).add(s.hits).add(s.misses).add(s.open ? 1 : 0));
  }

  void read(com.fasterxml.jackson.databind.JsonNode in) {
    states.clear();
    in.properties().forEach(e -> {
      var s = new State();
      s.hits = e.getValue().path(0).asInt();
      s.misses = e.getValue().path(1).asInt();
      s.open = e.getValue().path(2).asInt() == 1;
      states.put(e.getKey(), s);
    });
  }

  boolean open(String key) {
    State s = states.get(key);
    return s != null && s.open;
  }
}

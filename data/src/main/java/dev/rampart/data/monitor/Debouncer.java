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

  boolean open(String key) {
    State s = states.get(key);
    return s != null && s.open;
  }
}

package dev.rampart.server.monitor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

/**
 * The live watchers of one server, at most {@code max} of them, each dropped once idle for longer than {@code idle}:
 * least recently used first. Evicted watchers are handed to a callback that checkpoints them, and a missing one is
 * rebuilt, both under one lock, so a rebuild always reads the checkpoint its evicted predecessor wrote.
 */
final class Watchers<S> {
  private record Entry<S>(S session, long lastUsed) {}

  private final LinkedHashMap<Long, Entry<S>> live = new LinkedHashMap<>(16, 0.75f, true);
  private final Duration idle;
  private final int max;
  private final LongSupplier nanos;

  Watchers(Duration idle, int max, LongSupplier nanos) {
    if (max < 1 || idle.isNegative()) {
      throw new IllegalArgumentException("at least one watcher, idle for no negative time");
    }
    this.idle = idle;
    this.max = max;
    this.nanos = nanos;
  }

  /** The watcher of a deployment, built when absent; first evicts those idle too long or beyond the cap. */
  synchronized S get(long id, LongFunction<S> build, Consumer<S> evict) {
    long now = nanos.getAsLong();
    for (S s : expired(now, id)) {
      evict.accept(s);
    }
    Entry<S> e = live.get(id);
    S session = e != null ? e.session() : build.apply(id);
    live.put(id, new Entry<>(session, now));
    return session;
  }

  /** Drops the deployment's watcher without a checkpoint (its state was discarded, or the deployment is gone). */
  synchronized void remove(long id) {
    live.remove(id);
  }

  /** Drops the deployment's watcher if it is still {@code session}. */
  synchronized void remove(long id, S session) {
    Entry<S> e = live.get(id);
    if (e != null && e.session() == session) {
      live.remove(id);
    }
  }

  synchronized int size() {
    return live.size();
  }

  /** Removes and returns the watchers idle too long and, beyond that, the least recently used above the cap. */
  private List<S> expired(long now, long keep) {
    var out = new ArrayList<S>();
    var it = live.entrySet().iterator();
    while (it.hasNext()) {
      var e = it.next();
      boolean idleTooLong = now - e.getValue().lastUsed() > idle.toNanos();
      int room = live.containsKey(keep) ? max : max - 1;
      if (idleTooLong || (e.getKey() != keep && live.size() > room)) {
        it.remove();
        out.add(e.getValue().session());
      }
    }
    return out;
  }
}

package dev.rampart.server.store;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A counter that every committed state change advances. Read caches keep the generation they were filled at and are
 * stale as soon as it moves, so a revoked token or a new deployment is seen by the very next request.
 */
public final class Generation {
  private final AtomicLong value = new AtomicLong();

  void advance() {
    value.incrementAndGet();
  }

  public long current() {
    return value.get();
  }

  /** A cache whose entries are valid only within the generation they were computed in. */
  public <K, V> Cache<K, V> cache(int maxEntries) {
    return new Cache<>(this, maxEntries);
  }

  /** See {@link #cache}. */
  public static final class Cache<K, V> {
    private record Entry<V>(long generation, V value) {}

    private final Generation generation;
    private final int maxEntries;
    private final Map<K, Entry<V>> map = new ConcurrentHashMap<>();

    Cache(Generation generation, int maxEntries) {
      this.generation = generation;
      this.maxEntries = maxEntries;
    }

    public V get(K key, Supplier<V> load) {
      long g = generation.current();
      var e = map.get(key);
      if (e != null && e.generation() == g) {
        return e.value();
      }
      V v = load.get();
      if (map.size() >= maxEntries) {
        map.clear();
      }
      map.put(key, new Entry<>(g, v));
      return v;
    }
  }
}

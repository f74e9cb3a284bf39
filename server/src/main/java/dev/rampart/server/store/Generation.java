package dev.rampart.server.store;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;

/**
 * A counter that every committed state change advances. Read caches keep the generation they were filled at and are
 * stale as soon as it moves, so a revoked token or a new deployment is seen by the very next request, on any server.
 */
public final class Generation {
  private final AtomicLong value = new AtomicLong();
  /** The database's generation, when servers share the database; null when this process is its only writer. */
  private final Jdbi shared;

  /** For a database only this process writes to (embedded PostgreSQL or H2): the counter lives in memory. */
  public Generation() {
    this(null);
  }

  private Generation(Jdbi shared) {
    this.shared = shared;
  }

  /**
   * For a database that other servers may write to: the generation is read from the {@code log_head} row, which each
   * state change advances in its own transaction, so a change committed by any replica (a revoked token, a rollback)
   * invalidates every replica's caches before that change is acknowledged.
   */
  public static Generation sharedThrough(Jdbi jdbi) {
    return new Generation(jdbi);
  }

  void advance() {
    value.incrementAndGet();
  }

  public long current() {
    return shared == null ? value.get() : LogHead.generation(shared);
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

package dev.rampart.server.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WatchersTest {
  final AtomicLong clock = new AtomicLong();
  final List<String> evicted = new ArrayList<>();

  String get(Watchers<String> w, long id) {
    return w.get(id, i -> "watcher " + i, evicted::add);
  }

  @Test
  void theLeastRecentlyUsedGoesWhenTheCapIsReached() {
    var w = new Watchers<String>(Duration.ofHours(1), 2, clock::get);
    get(w, 1);
    get(w, 2);
    get(w, 1);
    get(w, 3);
    assertThat(evicted).containsExactly("watcher 2");
    assertThat(w.size()).isEqualTo(2);
    get(w, 1);
    assertThat(evicted).containsExactly("watcher 2");
  }

  @Test
  void idleWatchersAreEvictedIncludingTheOneAskedFor() {
    var w = new Watchers<String>(Duration.ofSeconds(10), 100, clock::get);
    get(w, 1);
    clock.set(Duration.ofSeconds(5).toNanos());
    get(w, 2);
    clock.set(Duration.ofSeconds(12).toNanos());
    get(w, 2);
    assertThat(evicted).containsExactly("watcher 1");
    clock.set(Duration.ofSeconds(30).toNanos());
    assertThat(get(w, 2)).isEqualTo("watcher 2");
    // rebuilt: the idle one was checkpointed and handed over first
    assertThat(evicted).containsExactly("watcher 1", "watcher 2");
    assertThat(w.size()).isEqualTo(1);
  }
}

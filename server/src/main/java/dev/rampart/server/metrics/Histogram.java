package dev.rampart.server.metrics;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;

/** A Prometheus histogram with fixed buckets from 5 ms to 60 s (an upload's scan can take a minute). */
final class Histogram {
  static final double[] BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
  private final AtomicLongArray buckets = new AtomicLongArray(BOUNDS.length);
  private final AtomicLong overflow = new AtomicLong();
  private final DoubleAdder sum = new DoubleAdder();

  void observe(double seconds) {
    sum.add(seconds);
    for (int i = 0; i < BOUNDS.length; i++) {
      if (seconds <= BOUNDS[i]) {
        buckets.incrementAndGet(i);
        return;
      }
    }
    overflow.incrementAndGet();
  }

  /** Cumulative buckets, then +Inf, sum and count, as the text format lays a histogram out. */
  void write(StringBuilder out, String name, String labels) {
    long cumulative = 0;
    for (int i = 0; i < BOUNDS.length; i++) {
      cumulative += buckets.get(i);
      out.append(name).append("_bucket{").append(labels).append(",le=\"").append(BOUNDS[i]).append("\"} ")
          .append(cumulative).append('\n');
    }
    // the count is the buckets' total, so +Inf never falls below a finite bucket while requests are being observed
    long n = cumulative + overflow.get();
    out.append(name).append("_bucket{").append(labels).append(",le=\"+Inf\"} ").append(n).append('\n');
    out.append(name).append("_sum{").append(labels).append("} ").append(sum.sum()).append('\n');
    out.append(name).append("_count{").append(labels).append("} ").append(n).append('\n');
  }
}

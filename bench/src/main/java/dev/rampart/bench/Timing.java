package dev.rampart.bench;

/** Best-of-N wall time after one warm-up run. */
final class Timing {
  interface Work {
    void run() throws Exception;
  }

  private Timing() {}

  static double bestOf(int runs, Work work) throws Exception {
    work.run();
    double best = Double.MAX_VALUE;
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      work.run();
      best = Math.min(best, (System.nanoTime() - t0) / 1e9);
    }
    return best;
  }
}

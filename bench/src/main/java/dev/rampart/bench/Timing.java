package dev.rampart.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.Callable;

/** The measurements every harness takes: best wall time, CPU time at the best run, and the raw read limit. */
final class Timing {
  interface Work {
    void run() throws Exception;
  }

  /** The best run's wall and process CPU seconds, and what the last run returned. */
  record Best<T>(double wall, double cpu, T result) {}

  private Timing() {}

  /** Best wall time of {@code runs} runs after one warm-up run. */
  static double bestOf(int runs, Work work) throws Exception {
    work.run();
    return bestOfCold(runs, work);
  }

  /** Best wall time of {@code runs} runs, for callers that warmed up on their own. */
  static double bestOfCold(int runs, Work work) throws Exception {
    double best = Double.MAX_VALUE;
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      work.run();
      best = Math.min(best, (System.nanoTime() - t0) / 1e9);
    }
    return best;
  }

  /** Best wall time of {@code runs} runs with the process CPU time of that run (both cores count). */
  static <T> Best<T> bestWithCpu(int runs, Callable<T> work) throws Exception {
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    double bestWall = Double.MAX_VALUE;
    double cpuAtBest = 0;
    T result = null;
    for (int i = 0; i < runs; i++) {
      long cpu0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      result = work.call();
      double wall = (System.nanoTime() - t0) / 1e9;
      if (wall < bestWall) {
        bestWall = wall;
        cpuAtBest = (os.getProcessCpuTime() - cpu0) / 1e9;
      }
    }
    return new Best<>(bestWall, cpuAtBest, result);
  }

  /** The physical limit of a full pass: every byte of the files read, best MB/s of {@code passes} passes. */
  static double rawReadMBps(List<Path> files, long bytes, int passes) throws IOException {
    var buf = ByteBuffer.allocateDirect(1 << 20);
    double best = 0;
    for (int i = 0; i < passes; i++) {
      long t0 = System.nanoTime();
      for (Path f : files) {
        try (var ch = FileChannel.open(f, StandardOpenOption.READ)) {
          while (ch.read(buf.clear()) > 0) {
            // reading is the work
          }
        }
      }
      best = Math.max(best, bytes / 1e6 / ((System.nanoTime() - t0) / 1e9));
    }
    return best;
  }
}

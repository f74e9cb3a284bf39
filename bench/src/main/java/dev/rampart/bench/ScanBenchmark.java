package dev.rampart.bench;

import dev.rampart.core.Report;
import dev.rampart.scan.Scanner;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Scans a PyTorch checkpoint of at least 1 GiB and a folder of many small model files, and prints Rampart's
 * throughput next to the raw read speed of the same files in the same run (warm page cache).
 *
 * <pre>java -jar bench/target/rampart-bench.jar [work-dir] [checkpoint-MiB] [small-files]</pre>
 */
public final class ScanBenchmark {
  private static final int ITERATIONS = 5;

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args.length > 0 ? args[0] : "bench/work");
    long checkpointMiB = args.length > 1 ? Long.parseLong(args[1]) : 1100;
    int smallFiles = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
    Files.createDirectories(work);
    Path checkpoint = work.resolve("checkpoint-" + checkpointMiB + "MiB.pt");
    if (!Files.exists(checkpoint)) {
      System.err.println("writing " + checkpoint);
      Workloads.torchCheckpoint(checkpoint, checkpointMiB * 1024 * 1024);
    }
    Path small = work.resolve("small-" + smallFiles);
    if (!Files.exists(small)) {
      System.err.println("writing " + small);
      Workloads.smallFiles(small, smallFiles);
    }
    System.out.printf("java %s, %d cores, max heap %d MiB%n", Runtime.version(), Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20);
    System.out.println("| Workload | Bytes | Raw read (MB/s) | Rampart wall (s) | Rampart (MB/s) | Rampart CPU (s) | Findings |");
    System.out.println("|---|---|---|---|---|---|---|");
    measure("PyTorch checkpoint, " + checkpointMiB + " MiB, 1 thread", List.of(checkpoint), 1);
    measure(smallFiles + " small model files, 1 thread", List.of(small), 1);
    measure(smallFiles + " small model files, " + Runtime.getRuntime().availableProcessors() + " threads", List.of(small),
        Runtime.getRuntime().availableProcessors());
  }

  private static void measure(String name, List<Path> roots, int threads) throws Exception {
    List<Path> files = files(roots);
    long bytes = files.stream().mapToLong(ScanBenchmark::size).sum();
    double rawBest = Timing.rawReadMBps(files, bytes, ITERATIONS + 1);
    var scanner = Scanner.builder().threads(threads).build();
    scanner.scan(roots);
    var best = Timing.bestWithCpu(ITERATIONS, () -> scanner.scan(roots));
    double bestWall = best.wall();
    double cpuAtBest = best.cpu();
    Report report = best.result();
    System.out.printf(Locale.ROOT, "| %s | %,d | %.0f | %.3f | %.0f | %.3f | %d |%n", name, bytes, rawBest, bestWall,
        bytes / 1e6 / bestWall, cpuAtBest, report.findings().size());
  }

  static List<Path> files(List<Path> roots) throws IOException {
    var out = new java.util.ArrayList<Path>();
    for (Path r : roots) {
      try (Stream<Path> s = Files.walk(r)) {
        s.filter(Files::isRegularFile).forEach(out::add);
      }
    }
    return out;
  }

  static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }

  private ScanBenchmark() {}

  static void write(Path p, byte[] data) throws IOException {
    try (OutputStream out = Files.newOutputStream(p)) {
      out.write(data);
    }
  }

  static Random random() {
    return new Random(42);
  }
}

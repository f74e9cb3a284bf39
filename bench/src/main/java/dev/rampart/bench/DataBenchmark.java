package dev.rampart.bench;

import dev.rampart.data.DatasetCheck;
import dev.rampart.data.diff.DatasetDiff;
import dev.rampart.data.io.Dataset;
import dev.rampart.data.io.DatasetReader;
import dev.rampart.data.io.ReadLimits;
import dev.rampart.data.poison.Signal;
import java.io.BufferedWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * {@code rampart data check} and {@code data diff} at scale: a labelled CSV of 1,000,000 rows x 20 feature columns
 * (18 numeric, 2 categorical, 4 classes) with 2 % of labels flipped and a 0.3 % backdoor trigger, next to the raw
 * read speed of the same file in the same run.
 *
 * <pre>java -jar bench/target/rampart-bench.jar data [work-dir] [rows]</pre>
 */
public final class DataBenchmark {
  private static final int NUMERIC = 18;
  private static final int CLASSES = 4;

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args.length > 0 ? args[0] : "bench/work");
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    Path csv = work.resolve("data-" + rows + ".csv");
    Path edited = work.resolve("data-" + rows + "-edited.csv");
    Set<Integer> flipped = new HashSet<>();
    Set<Integer> stamped = new HashSet<>();
    Files.createDirectories(work);
    write(csv, rows, 0.0, flipped, stamped);
    write(edited, rows, 0.01, new HashSet<>(), new HashSet<>());
    long bytes = Files.size(csv);
    var runtime = Runtime.getRuntime();
    System.out.printf(Locale.ROOT, "java %s, %d cores, max heap %d MiB; %,d rows x %d columns, %,d bytes%n",
        Runtime.version(), runtime.availableProcessors(), runtime.maxMemory() >> 20, rows, NUMERIC + 3, bytes);

    double raw = Timing.rawReadMBps(List.of(csv), bytes, 3) * 1e6;
    var reader = new DatasetReader(ReadLimits.defaults());
    long t0 = System.nanoTime();
    Dataset d = reader.read(csv);
    double read = seconds(t0);
    long t1 = System.nanoTime();
    var result = DatasetCheck.run(d, DatasetCheck.Options.forLabel("label"));
    double check = seconds(t1);
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();

    int labelHits = 0;
    int labelFlagged = 0;
    int triggerHits = 0;
    int triggerFlagged = 0;
    for (var s : result.suspects()) {
      if (s.reasons().stream().anyMatch(r -> r.signal() == Signal.LABEL_ISSUE)) {
        labelFlagged++;
        labelHits += flipped.contains(s.row()) ? 1 : 0;
      }
      if (s.reasons().stream().anyMatch(r -> r.signal() == Signal.TRIGGER)) {
        triggerFlagged++;
        triggerHits += stamped.contains(s.row()) ? 1 : 0;
      }
    }
    Dataset other = reader.read(edited);
    long t2 = System.nanoTime();
    var diff = DatasetDiff.compare(d, other, new DatasetDiff.Options(Optional.of("label"), Optional.empty(), List.of()));
    double diffSeconds = seconds(t2);

    System.out.println("| Step | Wall (s) | Throughput | Note |");
    System.out.println("|---|---|---|---|");
    System.out.printf(Locale.ROOT, "| raw read (limit) | %.3f | %.0f MB/s | same file, page cache |%n", bytes / raw, raw / 1e6);
    System.out.printf(Locale.ROOT, "| read into columns (DuckDB) | %.2f | %.0f MB/s, %.0f k rows/s | |%n", read, bytes / read / 1e6, rows / read / 1e3);
    System.out.printf(Locale.ROOT, "| check (5-fold CL, outliers, duplicates, triggers) | %.2f | %.0f k rows/s | verdict %s, %d suspects, heap in use %d MiB |%n",
        check, rows / check / 1e3, result.verdict(), result.suspects().size(), heap >> 20);
    System.out.printf(Locale.ROOT, "| read + check | %.2f | | goal: under 60 s |%n", read + check);
    System.out.printf(Locale.ROOT, "| diff against a 1 %%-edited version | %.2f | | %d added, %d removed, %d relabelled |%n",
        diffSeconds, diff.added().size(), diff.removed().size(), diff.relabelled().size());
    System.out.printf(Locale.ROOT, "label flips: precision %.3f recall %.3f (%d planted); trigger: precision %.3f recall %.3f (%d planted)%n",
        labelHits / (double) Math.max(1, labelFlagged), labelHits / (double) flipped.size(), flipped.size(),
        triggerHits / (double) Math.max(1, triggerFlagged), triggerHits / (double) stamped.size(), stamped.size());
  }

  /** Gaussian classes with shifted means, two categorical columns, flips and a stamped trigger; deterministic. */
  private static void write(Path csv, int rows, double edits, Set<Integer> flipped, Set<Integer> stamped)
      throws Exception {
    var random = new Random(2026);
    var edit = new Random(7);
    double[][] means = new double[CLASSES][NUMERIC];
    for (double[] m : means) {
      for (int j = 0; j < NUMERIC; j++) {
        m[j] = random.nextGaussian();
      }
    }
    String[] regions = {"eu", "us", "apac", "latam", "mea"};
    try (BufferedWriter w = Files.newBufferedWriter(csv)) {
      var header = new StringBuilder();
      for (int j = 0; j < NUMERIC; j++) {
        header.append('f').append(j).append(',');
      }
      w.write(header + "region,tier,label\n");
      var line = new StringBuilder();
      for (int r = 0; r < rows; r++) {
        int y = random.nextInt(CLASSES);
        line.setLength(0);
        boolean trigger = y == 1 && random.nextDouble() < 0.012;
        for (int j = 0; j < NUMERIC; j++) {
          double v = trigger && j == 7 ? 9.875 : means[y][j] + random.nextGaussian();
          line.append(String.format(Locale.ROOT, "%.4f", v)).append(',');
        }
        line.append(regions[random.nextInt(regions.length)]).append(',').append(random.nextInt(3) == 0 ? "gold" : "std");
        int label = y;
        if (trigger) {
          label = 3;
          stamped.add(r);
        } else if (random.nextDouble() < 0.02) {
          label = (y + 1 + random.nextInt(CLASSES - 1)) % CLASSES;
          flipped.add(r);
        }
        if (edit.nextDouble() < edits) {
          label = (label + 1) % CLASSES;
        }
        line.append(',').append('c').append(label).append('\n');
        w.write(line.toString());
      }
    }
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}

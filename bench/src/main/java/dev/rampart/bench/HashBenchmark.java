package dev.rampart.bench;

import dev.rampart.integrity.hash.Manifest;
import dev.rampart.integrity.hash.ModelHasher;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Hashes a model folder of at least 4 GiB (one large file and many small ones) with Rampart, next to
 * {@code openssl dgst -sha256} on the same files in the same run, warm cache.
 */
public final class HashBenchmark {
  private static final int ITERATIONS = 3;

  private HashBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args.length > 0 ? args[0] : "bench/work");
    long largeMiB = args.length > 1 ? Long.parseLong(args[1]) : 3584;
    int smallFiles = args.length > 2 ? Integer.parseInt(args[2]) : 2048;
    int smallKiB = args.length > 3 ? Integer.parseInt(args[3]) : 256;
    Path model = work.resolve("hash-model-" + largeMiB + "-" + smallFiles + "x" + smallKiB);
    if (!Files.exists(model)) {
      System.err.println("writing " + model);
      write(model, largeMiB, smallFiles, smallKiB);
    }
    List<Path> files;
    try (Stream<Path> s = Files.walk(model)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    long bytes = 0;
    for (Path f : files) {
      bytes += Files.size(f);
    }
    // warm the page cache and the JIT before timing anything
    ModelHasher.hash(model, ModelHasher.Options.files().withThreads(2));
    int cores = Runtime.getRuntime().availableProcessors();
    double openssl = Timing.bestOfCold(ITERATIONS, () -> openssl(files));
    System.out.printf("java %s, %d cores; %s: %d files, %.2f GiB%n", Runtime.version(), cores, model.getFileName(), files.size(),
        bytes / (double) (1L << 30));
    System.out.println("| Hasher | Threads | Wall (s) | GB/s | vs openssl (1 core) | per core |");
    System.out.println("|---|---|---|---|---|---|");
    row("openssl dgst -sha256", 1, openssl, bytes, openssl);
    for (int threads = 1; threads <= cores; threads++) {
      int t = threads;
      double files1 = Timing.bestOfCold(ITERATIONS, () -> ModelHasher.hash(model, ModelHasher.Options.files().withThreads(t)));
      row("rampart hash (files)", t, files1, bytes, openssl);
      double shards = Timing.bestOfCold(ITERATIONS, () -> ModelHasher.hash(model,
          ModelHasher.Options.files().withMethod(Manifest.Method.SHARDS, ModelHasher.DEFAULT_SHARD_SIZE).withThreads(t)));
      row("rampart hash (shards, 1 GB)", t, shards, bytes, openssl);
    }
  }

  private static void row(String name, int threads, double seconds, long bytes, double openssl) {
    double gbs = bytes / 1e9 / seconds;
    double ratio = openssl / seconds;
    System.out.printf(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2fx | %.2fx |%n", name, threads, seconds, gbs, ratio, ratio / threads);
  }

  /** One openssl process per batch of files, so process start-up is a negligible share. */
  private static void openssl(List<Path> files) throws IOException, InterruptedException {
    for (int i = 0; i < files.size(); i += 500) {
      var cmd = new ArrayList<String>(List.of("openssl", "dgst", "-sha256"));
      files.subList(i, Math.min(files.size(), i + 500)).forEach(f -> cmd.add(f.toString()));
      var p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IOException("openssl failed");
      }
    }
  }

  private static void write(Path dir, long largeMiB, int smallFiles, int smallKiB) throws IOException {
    Files.createDirectories(dir.resolve("shards"));
    var random = new Random(1);
    byte[] chunk = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(dir.resolve("model.safetensors"))) {
      for (long i = 0; i < largeMiB; i++) {
        random.nextBytes(chunk);
        out.write(chunk);
      }
    }
    byte[] small = new byte[smallKiB * 1024];
    for (int i = 0; i < smallFiles; i++) {
      random.nextBytes(small);
      Files.write(dir.resolve("shards").resolve(String.format("part-%05d.bin", i)), small);
    }
  }
}

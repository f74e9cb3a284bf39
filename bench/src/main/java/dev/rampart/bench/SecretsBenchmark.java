package dev.rampart.bench;

import dev.rampart.core.Report;
import dev.rampart.scan.Check;
import dev.rampart.scan.Scanner;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Secret scanning throughput on a mixed tree of at least 1 GB (CI logs, configuration files, notebooks and a binary
 * checkpoint), next to the raw read speed of the same files in the same run.
 *
 * <pre>java -jar bench/target/rampart-bench.jar secrets [work-dir] [total-MiB]</pre>
 */
public final class SecretsBenchmark {
  private static final int ITERATIONS = 3;
  private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args.length > 0 ? args[0] : "bench/work");
    long totalMiB = args.length > 1 ? Long.parseLong(args[1]) : 1100;
    Path tree = work.resolve("secrets-tree-" + totalMiB);
    int planted = 0;
    if (!Files.exists(tree)) {
      System.err.println("writing " + tree);
      planted = writeTree(tree, totalMiB << 20);
      Files.writeString(tree.resolve("PLANTED"), Integer.toString(planted));
    } else {
      planted = Integer.parseInt(Files.readString(tree.resolve("PLANTED")).strip());
    }
    var files = ScanBenchmark.files(List.of(tree));
    long bytes = files.stream().mapToLong(ScanBenchmark::size).sum();
    System.out.printf("java %s, %d cores, %,d files, %,d bytes, %d planted secrets%n", Runtime.version(),
        Runtime.getRuntime().availableProcessors(), files.size(), bytes, planted);
    System.out.println("| Workload | Raw read (MB/s) | Rampart wall (s) | Rampart (MB/s) | Rampart CPU (s) | Secret findings |");
    System.out.println("|---|---|---|---|---|---|");
    double raw = Timing.rawReadMBps(files, bytes, ITERATIONS + 1);
    for (int threads : new int[] {1, Runtime.getRuntime().availableProcessors()}) {
      var scanner = Scanner.builder().checks(Set.of(Check.SECRETS)).threads(threads).build();
      scanner.scan(List.of(tree));
      var measured = Timing.bestWithCpu(ITERATIONS, () -> scanner.scan(List.of(tree)));
      double best = measured.wall();
      double cpuAtBest = measured.cpu();
      Report report = measured.result();
      long secrets = report.findings().stream().filter(f -> f.rule().id().startsWith("SEC-")).count();
      System.out.printf(Locale.ROOT, "| mixed tree, %d thread(s) | %.0f | %.2f | %.0f | %.2f | %d |%n", threads, raw, best,
          bytes / 1e6 / best, cpuAtBest, secrets);
    }
  }

  /** Writes logs (55 %), configuration files (15 %), notebooks (10 %) and a binary checkpoint (20 %). */
  static int writeTree(Path tree, long total) throws IOException {
    var rnd = new Random(42);
    int planted = 0;
    Files.createDirectories(tree.resolve("logs"));
    long logBytes = total * 55 / 100;
    for (int f = 0; f < 4; f++) {
      planted += textFile(tree.resolve("logs/train-" + f + ".log"), logBytes / 4, rnd, SecretsBenchmark::logLine);
    }
    Files.createDirectories(tree.resolve("configs"));
    long configBytes = total * 15 / 100;
    int configs = 3000;
    for (int f = 0; f < configs; f++) {
      String name = switch (f % 3) {
        case 0 -> "values-" + f + ".yaml";
        case 1 -> "settings-" + f + ".env";
        default -> "config-" + f + ".json";
      };
      planted += textFile(tree.resolve("configs/" + name), configBytes / configs, rnd, SecretsBenchmark::configLine);
    }
    Files.createDirectories(tree.resolve("notebooks"));
    long notebookBytes = total * 10 / 100;
    for (int f = 0; f < 100; f++) {
      planted += notebook(tree.resolve("notebooks/nb-" + f + ".ipynb"), notebookBytes / 100, rnd);
    }
    Files.createDirectories(tree.resolve("models"));
    try (var out = Files.newOutputStream(tree.resolve("models/weights.bin"))) {
      byte[] block = new byte[1 << 20];
      for (long written = 0; written < total * 20 / 100; written += block.length) {
        rnd.nextBytes(block);
        out.write(block);
      }
    }
    return planted;
  }

  interface LineMaker {
    /** Appends one line; returns 1 when it planted a secret. */
    int line(StringBuilder sb, Random rnd, long n);
  }

  private static int textFile(Path file, long size, Random rnd, LineMaker maker) throws IOException {
    int planted = 0;
    long written = 0;
    var sb = new StringBuilder(256);
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (long n = 0; written < size; n++) {
        sb.setLength(0);
        planted += maker.line(sb, rnd, n);
        sb.append('\n');
        w.append(sb);
        written += sb.length();
      }
    }
    return planted;
  }

  private static int logLine(StringBuilder sb, Random rnd, long n) {
    sb.append("2026-11-20 10:").append(n % 60).append(':').append(n % 59).append(" INFO step=").append(n)
        .append(" loss=").append(rnd.nextInt(10_000) / 1000.0);
    switch ((int) (n % 50)) {
      case 7 -> sb.append(" tokens/s=").append(rnd.nextInt(9000)).append(" key=value checksum=").append(hex(rnd, 64));
      case 13 -> sb.append(" request_id=").append(hex(rnd, 32)).append(" password_policy=strict");
      default -> sb.append(" lr=0.0002 grad_norm=").append(rnd.nextInt(100) / 10.0);
    }
    if (n % 400_000 == 399_999) {
      sb.append(" HF_TOKEN=hf_").append(random(rnd, 34));
      return 1;
    }
    return 0;
  }

  private static int configLine(StringBuilder sb, Random rnd, long n) {
    switch ((int) (n % 6)) {
      case 0 -> sb.append("  model_name: llama-").append(n).append("-instruct");
      case 1 -> sb.append("  api_key: ${OPENAI_API_KEY}");
      case 2 -> sb.append("  digest: sha256:").append(hex(rnd, 64));
      case 3 -> sb.append("  max_tokens: ").append(rnd.nextInt(8192));
      case 4 -> sb.append("  storage: s3://bucket/models/").append(hex(rnd, 12));
      default -> sb.append("  run_id: ").append(hex(rnd, 32));
    }
    if (n == 200) {
      sb.append("\n  token: ghp_").append(random(rnd, 36));
      return 1;
    }
    return 0;
  }

  private static int notebook(Path file, long size, Random rnd) throws IOException {
    var sb = new StringBuilder("{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {}, \"cells\": [\n");
    int cell = 0;
    while (sb.length() < size) {
      sb.append(cell == 0 ? "" : ",\n").append("{\"cell_type\": \"code\", \"metadata\": {}, \"source\": [\"import torch\\n\", \"x = torch.randn(")
          .append(cell).append(")\\n\"], \"outputs\": [{\"output_type\": \"stream\", \"name\": \"stdout\", \"text\": [\"");
      for (int i = 0; i < 40; i++) {
        sb.append("tensor value ").append(rnd.nextGaussian()).append(" id ").append(hex(rnd, 16)).append("\\n");
      }
      sb.append("\"]}]}");
      cell++;
    }
    sb.append(",\n{\"cell_type\": \"code\", \"metadata\": {}, \"source\": [\"!echo $WANDB\\n\"], \"outputs\": [{\"output_type\": \"stream\","
        + " \"name\": \"stdout\", \"text\": [\"sk-ant-api03-").append(random(rnd, 93)).append("AA\\n\"]}]}\n]}\n");
    Files.writeString(file, sb);
    return 1;
  }

  private static String hex(Random rnd, int n) {
    var sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append("0123456789abcdef".charAt(rnd.nextInt(16)));
    }
    return sb.toString();
  }

  private static String random(Random rnd, int n) {
    var sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(ALNUM.charAt(rnd.nextInt(ALNUM.length())));
    }
    return sb.toString();
  }

  private SecretsBenchmark() {}
}

package dev.rampart.bench;

import java.util.Arrays;

/** Entry point: {@code java -jar rampart-bench.jar scan|hash [args]}. */
public final class Benchmarks {
  private Benchmarks() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: rampart-bench scan [work-dir] [checkpoint-MiB] [small-files]");
      System.err.println("       rampart-bench secrets [work-dir] [total-MiB]");
      System.err.println("       rampart-bench hash [work-dir] [large-file-MiB] [small-files] [small-file-KiB]");
      System.err.println("       rampart-bench data [work-dir] [rows]");
      System.err.println("       rampart-bench monitor [events] [window]");
      System.err.println("       rampart-bench runner [model.onnx] [rows]");
      System.err.println("       rampart-bench console [versions]");
      System.err.println("       rampart-bench server [h2|postgres|both] [rate-per-second] [seconds]");
      System.err.println("       rampart-bench witness [h2|embedded] [writes]");
      System.exit(2);
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "scan" -> ScanBenchmark.main(rest);
      case "hash" -> HashBenchmark.main(rest);
      case "server" -> ServerBenchmark.main(rest);
      case "witness" -> WitnessBenchmark.main(rest);
      case "console" -> ConsoleBenchmark.main(rest);
      case "secrets" -> SecretsBenchmark.main(rest);
      case "data" -> DataBenchmark.main(rest);
      case "monitor" -> MonitorBenchmark.main(rest);
      case "runner" -> RunnerBenchmark.main(rest);
      default -> {
        System.err.println("unknown benchmark " + args[0]);
        System.exit(2);
      }
    }
  }
}

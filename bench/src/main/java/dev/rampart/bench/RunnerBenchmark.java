package dev.rampart.bench;

import dev.rampart.eval.runner.OnnxClassifier;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * Inferences per second through the ONNX runner, one row per call against batches, on the exported breast cancer
 * classifier (30 features), next to the same arithmetic done directly in Java (a dot product per row: the floor for
 * this model, which has no work worth a runtime).
 *
 * <pre>java -jar bench/target/rampart-bench.jar runner [model.onnx] [rows]</pre>
 */
public final class RunnerBenchmark {
  public static void main(String[] args) throws Exception {
    Path model = Path.of(args.length > 0 ? args[0] : "eval/src/test/resources/models/breast_cancer_logreg.onnx");
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    var random = new Random(1);
    float[][] data = new float[rows][30];
    for (float[] r : data) {
      for (int j = 0; j < r.length; j++) {
        r[j] = (float) (random.nextGaussian() * 10 + 20);
      }
    }
    System.out.printf(Locale.ROOT, "java %s, %d cores, %s, %d rows%n", Runtime.version(),
        Runtime.getRuntime().availableProcessors(), model.getFileName(), rows);
    System.out.println("| Mode | Best of 5 (s) | Inferences/s |");
    System.out.println("|---|---|---|");
    try (var classifier = OnnxClassifier.load(model)) {
      int single = Math.min(rows, 20_000);
      double one = Timing.bestOf(5, () -> {
        for (int i = 0; i < single; i++) {
          classifier.probabilities(new float[][] {data[i]});
        }
      });
      double batched = Timing.bestOf(5, () -> classifier.probabilities(data));
      float[] w = new float[30];
      double direct = Timing.bestOf(5, () -> {
        double sink = 0;
        for (float[] r : data) {
          double z = 0;
          for (int j = 0; j < 30; j++) {
            z += r[j] * w[j];
          }
          sink += 1 / (1 + Math.exp(-z));
        }
        if (sink == 42) {
          System.out.print("");
        }
      });
      System.out.printf(Locale.ROOT, "| one row per call | %.3f | %,.0f |%n", one, single / one);
      System.out.printf(Locale.ROOT, "| batches of 1,024 | %.3f | %,.0f |%n", batched, rows / batched);
      System.out.printf(Locale.ROOT, "| plain Java dot product (floor) | %.3f | %,.0f |%n", direct, rows / direct);
    }
  }
}

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
  /** The first {@code n} rows of the breast cancer fixture, with class indexes (malignant 0, benign 1). */
  static float[][] breastCancer(java.util.List<Integer> labels, int n) throws Exception {
    var rows = new java.util.ArrayList<float[]>();
    try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(new java.util.zip.GZIPInputStream(
        java.nio.file.Files.newInputStream(Path.of("data/src/test/resources/datasets/clean/breast_cancer.csv.gz")))))) {
      in.readLine();
      String line;
      while ((line = in.readLine()) != null && rows.size() < n) {
        String[] f = line.split(",");
        float[] row = new float[f.length - 1];
        for (int i = 0; i < row.length; i++) {
          row[i] = Float.parseFloat(f[i]);
        }
        rows.add(row);
        labels.add(f[f.length - 1].equals("benign") ? 1 : 0);
      }
    }
    return rows.toArray(float[][]::new);
  }

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
      // A full gate evaluation: 500 rows of the real data, three attacks, two epsilons, 1,000 queries per sample.
      var labels = new java.util.ArrayList<Integer>();
      float[][] eval = breastCancer(labels, 500);
      int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
      float[][] bounds = dev.rampart.eval.RobustnessEvaluation.observedBounds(eval);
      var settings = new dev.rampart.eval.RobustnessEvaluation.Settings(java.util.List.of(0.1, 0.2),
          java.util.List.of(new dev.rampart.eval.attack.SquareAttack(), new dev.rampart.eval.attack.HopSkipJump(),
              new dev.rampart.eval.attack.NoiseBaseline()), 1000, 0,
          dev.rampart.eval.RobustnessEvaluation.standardDeviations(eval), bounds[0], bounds[1]);
      long t0 = System.nanoTime();
      var result = dev.rampart.eval.RobustnessEvaluation.run(classifier, eval, y, settings);
      double full = (System.nanoTime() - t0) / 1e9;
      long queries = result.epsilons().stream().flatMap(e -> e.attacks().stream()).mapToLong(a -> a.queries()).sum();
      var rowByRow = new dev.rampart.eval.RobustnessEvaluation.Settings(settings.epsilons(),
          settings.attacks().stream().map(RunnerBenchmark::oneRowAtATime).toList(), settings.budget(),
          settings.seed(), settings.scale(), settings.lower(), settings.upper());
      t0 = System.nanoTime();
      var unbatched = dev.rampart.eval.RobustnessEvaluation.run(classifier, eval, y, rowByRow);
      double fullUnbatched = (System.nanoTime() - t0) / 1e9;
      if (!unbatched.epsilons().equals(result.epsilons())) {
        System.out.println("(row-by-row figures differ from the batched ones)");
      }
      System.out.printf(Locale.ROOT, "| one row per call | %.3f | %,.0f |%n", one, single / one);
      System.out.printf(Locale.ROOT, "| batches of 1,024 | %.3f | %,.0f |%n", batched, rows / batched);
      System.out.printf(Locale.ROOT, "| plain Java dot product (floor) | %.3f | %,.0f |%n", direct, rows / direct);
      System.out.printf(Locale.ROOT, "%nfull evaluation: 500 samples, square + hopskipjump + noise, eps 0.1 and 0.2, "
          + "budget 1,000: %.1f s, %,d queries (%,.0f queries/s); robust accuracy %.3f / %.3f%n", full, queries,
          queries / full, result.epsilons().get(0).robustAccuracy(), result.epsilons().get(1).robustAccuracy());
      System.out.printf(Locale.ROOT, "the same evaluation asking one row per query: %.1f s%n", fullUnbatched);
    }
    imageAndBackdoor();
  }

  /** The attack as it would run without lockstep batching: the interface's default, one sample after another. */
  private static dev.rampart.eval.attack.Attack oneRowAtATime(dev.rampart.eval.attack.Attack attack) {
    return new dev.rampart.eval.attack.Attack() {
      @Override
      public String name() {
        return attack.name();
      }

      @Override
      public float[] run(float[] row, int label, dev.rampart.eval.attack.ThreatModel threat,
          dev.rampart.eval.attack.QueryBudget budget, java.util.SplittableRandom random)
          throws dev.rampart.eval.runner.ModelException {
        return attack.run(row, label, threat, budget, random);
      }
    };
  }

  /** The PyTorch digits MLP (64 pixels): a full image evaluation, and the backdoor probe on the BadNets twin. */
  private static void imageAndBackdoor() throws Exception {
    var x = (dev.rampart.eval.io.NpyArray.Numbers) dev.rampart.eval.io.NpyArray.read(
        Path.of("eval/src/test/resources/data/digits_heldout_x.npy"), dev.rampart.eval.io.NpyArray.DEFAULT_MAX_BYTES);
    var labels = (dev.rampart.eval.io.NpyArray.Numbers) dev.rampart.eval.io.NpyArray.read(
        Path.of("eval/src/test/resources/data/digits_heldout_y.npy"), dev.rampart.eval.io.NpyArray.DEFAULT_MAX_BYTES);
    float[][] rows = java.util.Arrays.copyOf(x.rows(), 500);
    int[] y = new int[rows.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = (int) labels.values()[i];
    }
    var models = Path.of("eval/src/test/resources/models");
    try (var plain = OnnxClassifier.load(models.resolve("digits_mlp.onnx"));
        var badnets = OnnxClassifier.load(models.resolve("digits_mlp_badnets.onnx"))) {
      var space = dev.rampart.eval.InputSpace.of(plain.inputShape(), "0:16", rows, java.util.Optional.empty());
      float[] unit = new float[64];
      java.util.Arrays.fill(unit, 1f);
      var settings = new dev.rampart.eval.RobustnessEvaluation.Settings(java.util.List.of(1.0, 2.0),
          java.util.List.of(dev.rampart.eval.attack.SquareAttack.forImages(space),
              new dev.rampart.eval.attack.HopSkipJump(), new dev.rampart.eval.attack.NoiseBaseline()), 1000, 0, unit,
          space.lower(), space.upper());
      long t0 = System.nanoTime();
      var result = dev.rampart.eval.RobustnessEvaluation.run(plain, rows, y, settings);
      double full = (System.nanoTime() - t0) / 1e9;
      long queries = result.epsilons().stream().flatMap(e -> e.attacks().stream()).mapToLong(a -> a.queries()).sum();
      System.out.printf(Locale.ROOT, "%ndigits MLP (8x8 images): 500 samples, square + hopskipjump + noise, eps 1 and 2 "
          + "pixel levels, budget 1,000: %.1f s, %,d queries (%,.0f queries/s); robust accuracy %.3f / %.3f%n", full,
          queries, queries / full, result.epsilons().get(0).robustAccuracy(), result.epsilons().get(1).robustAccuracy());
      for (var model : java.util.List.of(plain, badnets)) {
        var probe = Timing.bestWithCpu(3, () -> dev.rampart.eval.backdoor.BackdoorProbe.run(model, space, rows, y, 10,
            dev.rampart.eval.backdoor.BackdoorProbe.Settings.defaults(0)));
        System.out.printf(Locale.ROOT, "backdoor probe, %s: %d triggers x 500 samples in %.2f s (%,.0f queries/s), "
            + "%d finding(s)%n", model == plain ? "clean twin" : "BadNets twin", probe.result().triggersTried(),
            probe.wall(), probe.result().queries() / probe.wall(), probe.result().findings().size());
      }
    }
  }
}

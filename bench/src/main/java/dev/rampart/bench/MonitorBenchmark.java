package dev.rampart.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.rampart.data.io.Column;
import dev.rampart.data.io.Dataset;
import dev.rampart.data.io.DatasetFormat;
import dev.rampart.data.monitor.Profiler;
import dev.rampart.data.monitor.ReferenceProfile;
import dev.rampart.data.monitor.Watcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * {@code rampart monitor watch} throughput on one thread: 1,000,000 stationary events with 20 correlated numeric
 * features, a prediction and a probability, next to the cost of only parsing the same JSON lines (the floor any
 * watcher pays).
 * Also counts the alerts raised on this stationary stream: there should be none.
 *
 * <pre>java -jar bench/target/rampart-bench.jar monitor [events] [window]</pre>
 */
public final class MonitorBenchmark {
  private static final int FEATURES = 20;
  private static final int FACTORS = 3;
  /** Features load on a few latent factors, as real features do, so that the multivariate test has axes to watch. */
  private static final double[][] LOADINGS = loadings();

  private static double[][] loadings() {
    var random = new Random(7);
    double[][] l = new double[FEATURES][FACTORS];
    for (double[] row : l) {
      for (int k = 0; k < FACTORS; k++) {
        row[k] = random.nextGaussian();
      }
    }
    return l;
  }

  private static double[] row(Random random) {
    double[] factors = new double[FACTORS];
    for (int k = 0; k < FACTORS; k++) {
      factors[k] = random.nextGaussian();
    }
    double[] v = new double[FEATURES];
    for (int f = 0; f < FEATURES; f++) {
      for (int k = 0; k < FACTORS; k++) {
        v[f] += LOADINGS[f][k] * factors[k];
      }
      v[f] += 0.5 * random.nextGaussian();
    }
    return v;
  }

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int window = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    var random = new Random(42);
    ReferenceProfile profile = reference(random);
    List<String> lines = new ArrayList<>(events);
    var sb = new StringBuilder();
    for (int i = 0; i < events; i++) {
      sb.setLength(0);
      sb.append("{\"ts\":\"2026-11-21T10:").append(String.format(Locale.ROOT, "%06d", i)).append("\",\"features\":{");
      double[] v = row(random);
      for (int f = 0; f < FEATURES; f++) {
        sb.append(f == 0 ? "" : ",").append("\"f").append(f).append("\":")
            .append(String.format(Locale.ROOT, "%.4f", v[f]));
      }
      double p = 0.6 + 0.4 * random.nextDouble();
      sb.append("},\"prediction\":\"").append(random.nextBoolean() ? "a" : "b").append("\",\"probability\":")
          .append(String.format(Locale.ROOT, "%.3f", p)).append('}');
      lines.add(sb.toString());
    }
    long bytes = lines.stream().mapToLong(String::length).sum();
    System.out.printf(Locale.ROOT, "java %s, %d events x %d features, %d MB of JSON lines, window %d, one thread%n",
        Runtime.version(), events, FEATURES, bytes / 1_000_000, window);
    System.out.println(profile.reconstruction().map(r -> "multivariate drift watched: " + r.components().length
        + " axes over " + r.features().size() + " features").orElse("multivariate drift not watched"));
    System.out.println("| Step | Best of 5 (s) | Events/s | MB/s |");
    System.out.println("|---|---|---|---|");
    double parse = Timing.bestOf(5, () -> parseOnly(lines));
    int[] alerts = new int[1];
    double watch = Timing.bestOf(5, () -> {
      var w = new Watcher(profile, Watcher.Options.defaults().withWindow(window));
      lines.forEach(w::accept);
      alerts[0] = w.finish().alerts().size();
    });
    var univariate = new ReferenceProfile(profile.version(), profile.source(), profile.rows(), profile.features(),
        profile.prior(), profile.predictions(), profile.performance(), profile.calibration(), Optional.empty());
    double perFeature = Timing.bestOf(5, () -> {
      var w = new Watcher(univariate, Watcher.Options.defaults().withWindow(window));
      lines.forEach(w::accept);
      w.finish();
    });
    System.out.printf(Locale.ROOT, "| parse only (Jackson streaming, the floor) | %.3f | %,.0f | %.0f |%n", parse,
        events / parse, bytes / parse / 1e6);
    System.out.printf(Locale.ROOT, "| monitor watch without multivariate drift | %.3f | %,.0f | %.0f |%n", perFeature,
        events / perFeature, bytes / perFeature / 1e6);
    System.out.printf(Locale.ROOT, "| monitor watch (parse, windows, tests, alerts) | %.3f | %,.0f | %.0f |%n", watch,
        events / watch, bytes / watch / 1e6);
    System.out.printf("alerts on the stationary stream: %d%n", alerts[0]);
  }

  private static ReferenceProfile reference(Random random) throws Exception {
    int rows = 20_000;
    var columns = new ArrayList<Column>();
    double[][] v = new double[FEATURES][rows];
    for (int r = 0; r < rows; r++) {
      double[] x = row(random);
      for (int f = 0; f < FEATURES; f++) {
        v[f][r] = x[f];
      }
    }
    for (int f = 0; f < FEATURES; f++) {
      columns.add(new Column.Numeric("f" + f, v[f]));
    }
    int[] label = new int[rows];
    int[] prediction = new int[rows];
    double[] confidence = new double[rows];
    for (int r = 0; r < rows; r++) {
      confidence[r] = 0.6 + 0.4 * random.nextDouble();
      prediction[r] = random.nextInt(2);
      label[r] = random.nextDouble() < confidence[r] ? prediction[r] : 1 - prediction[r];
    }
    columns.add(new Column.Categorical("label", label, List.of("a", "b")));
    columns.add(new Column.Categorical("prediction", prediction, List.of("a", "b")));
    columns.add(new Column.Numeric("confidence", confidence));
    var data = new Dataset("reference", DatasetFormat.CSV, rows, columns);
    return Profiler.profile(data, new Profiler.Options("label", Optional.of("prediction"), Optional.of("confidence"),
        List.of()), "sha256:" + "0".repeat(64));
  }

  private static void parseOnly(List<String> lines) {
    var factory = new JsonFactory();
    double sink = 0;
    try {
      for (String line : lines) {
        try (JsonParser p = factory.createParser(line)) {
          JsonToken t;
          while ((t = p.nextToken()) != null) {
            if (t == JsonToken.VALUE_NUMBER_FLOAT) {
              sink += p.getDoubleValue();
            }
          }
        }
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    if (sink == 42.4242) {
      System.out.print("");
    }
  }
}

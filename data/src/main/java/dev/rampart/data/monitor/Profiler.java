package dev.rampart.data.monitor;

import dev.rampart.data.io.Column;
import dev.rampart.data.io.Dataset;
import dev.rampart.data.io.DatasetReadException;
import dev.rampart.data.learn.CategoryCounts;
import dev.rampart.data.stats.Robust;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Builds a {@link ReferenceProfile} from a reference dataset: training or, better, validation data. */
public final class Profiler {
  static final int CHUNKS = 10;
  static final int FEW_VALUES = 20;

  /**
   * @param prediction the column holding the model's predicted class, if the reference was scored
   * @param confidence the column holding the model's probability for its predicted class
   */
  public record Options(String label, Optional<String> prediction, Optional<String> confidence, List<String> ignore) {
    public Options {
      ignore = List.copyOf(ignore);
    }
  }

  private Profiler() {}

  public static ReferenceProfile profile(Dataset data, Options options, String sourceDigest)
      throws DatasetReadException {
    return profile(data, options, sourceDigest, new ArrayList<>());
  }

  /** As {@link #profile(Dataset, Options, String)}, adding to {@code notes} what could not be profiled and why. */
  public static ReferenceProfile profile(Dataset data, Options given, String sourceDigest, List<String> notes)
      throws DatasetReadException {
    Options options = withConventionalOutputs(data, given, notes);
    Column.Categorical labels = data.labels(options.label());
    var skip = new ArrayList<>(options.ignore());
    skip.add(options.label());
    options.prediction().ifPresent(skip::add);
    options.confidence().ifPresent(skip::add);
    for (String name : skip) {
      if (data.column(name).isEmpty()) {
        throw new DatasetReadException.MissingColumn(data.source(), name, data.columnNames());
      }
    }
    var features = new ArrayList<FeatureProfile>();
    var continuousSketches = new ArrayList<FeatureProfile.Numeric>();
    var continuous = new ArrayList<double[]>();
    for (Column c : data.columnsExcept(skip)) {
      var sketch = sketch(c);
      sketch.ifPresent(features::add);
      if (sketch.orElse(null) instanceof FeatureProfile.Numeric numeric && c instanceof Column.Numeric n) {
        continuousSketches.add(numeric);
        continuous.add(n.values());
      }
    }
    var reconstruction = ReconstructionProfile.fit(continuousSketches, continuous, CHUNKS, notes);
    Map<String, Double> prior = shares(labels);
    Map<String, Double> predictions = Map.of();
    Optional<ReferenceProfile.Performance> performance = Optional.empty();
    Calibration calibration = Calibration.identity();
    if (options.prediction().isPresent()) {
      Column.Categorical predicted = data.labels(options.prediction().get());
      predictions = shares(predicted);
      boolean[] correct = new boolean[data.rows()];
      for (int r = 0; r < data.rows(); r++) {
        correct[r] = !labels.missing(r) && labels.display(r).equals(predicted.display(r));
      }
      double[] confidence = options.confidence().isPresent()
          ? ((Column.Numeric) data.column(options.confidence().get()).filter(Column.Numeric.class::isInstance)
              .orElseThrow(() -> new DatasetReadException.UnusableLabel(data.source(), options.confidence().get(),
                  "a confidence column must hold numbers between 0 and 1"))).values()
          : null;
      if (confidence != null) {
        calibration = Calibration.fit(confidence, correct);
      }
      performance = Optional.of(performance(correct, confidence, calibration));
    }
    return new ReferenceProfile(
        ReferenceProfile.VERSION, sourceDigest, data.rows(), features, prior, predictions, performance, calibration,
        reconstruction);
  }

  /**
   * Fills in the prediction and probability columns a reference set names the way monitoring tools do, when the
   * options leave them out, so the model's outputs are never profiled as its inputs. Each recognition is a note.
   */
  static Options withConventionalOutputs(Dataset data, Options options, List<String> notes) {
    var taken = new ArrayList<>(options.ignore());
    taken.add(options.label());
    options.prediction().ifPresent(taken::add);
    options.confidence().ifPresent(taken::add);
    Optional<String> prediction = options.prediction();
    Optional<String> confidence = options.confidence();
    if (prediction.isEmpty()) {
      prediction = PredictionColumns.byConvention(data, PredictionColumns.PREDICTION, taken);
      prediction.ifPresent(p -> {
        taken.add(p);
        notes.add("column '" + p + "' is taken as the model's prediction by its name, not profiled as a feature"
            + " (--prediction COLUMN names another; --ignore leaves it out)");
      });
    }
    if (confidence.isEmpty() && prediction.isPresent()) {
      var candidate = PredictionColumns.byConvention(data, PredictionColumns.PROBABILITY, taken);
      if (candidate.isPresent() && PredictionColumns.holdsProbabilities(data, candidate.get())) {
        confidence = candidate;
        notes.add("column '" + candidate.get() + "' is taken as the probability of the predicted class by its name,"
            + " not profiled as a feature (--probability COLUMN names another)");
      } else if (candidate.isPresent()) {
        notes.add("column '" + candidate.get() + "' is named like a probability but holds values outside [0, 1]; it"
            + " is profiled as a feature (--probability or --ignore to say otherwise)");
      }
    }
    return new Options(options.label(), prediction, confidence, options.ignore());
  }

  static Optional<FeatureProfile> sketch(Column c) {
    return switch (c) {
      case Column.Numeric n -> {
        double[] sorted = Robust.sortedFinite(n.values());
        if (sorted.length == 0) {
          yield Optional.empty();
        }
        if (java.util.Arrays.stream(sorted).distinct().limit(FEW_VALUES + 1).count() <= FEW_VALUES) {
          // Few distinct values are categories in disguise; distribution tests for continuous data misread ties.
          yield sketch(asCategories(n));
        }
        double[] q = new double[FeatureProfile.Numeric.QUANTILES + 1];
        for (int i = 0; i < q.length; i++) {
          q[i] = Robust.quantileSorted(sorted, i / (double) FeatureProfile.Numeric.QUANTILES);
        }
        double[] meanStd = Robust.meanAndStd(sorted);
        double missing = 1 - sorted.length / (double) n.values().length;
        yield Optional.of(new FeatureProfile.Numeric(n.name(), n.values().length, missing, meanStd[0], meanStd[1], q));
      }
      case Column.Categorical k -> {
        long[] counts = CategoryCounts.of(k);
        var top = new TreeMap<String, Long>();
        long other = 0;
        int[] order = CategoryCounts.topLevels(k, Integer.MAX_VALUE);
        for (int i = 0; i < order.length; i++) {
          if (i < FeatureProfile.Categorical.MAX_LEVELS) {
            top.put(k.levels().get(order[i]), counts[order[i]]);
          } else {
            other += counts[order[i]];
          }
        }
        if (other > 0) {
          top.put(FeatureProfile.Categorical.OTHER, other);
        }
        long missing = java.util.Arrays.stream(k.codes()).filter(code -> code < 0).count();
        yield Optional.of(new FeatureProfile.Categorical(k.name(), k.codes().length,
            missing / (double) Math.max(1, k.codes().length), top));
      }
      case Column.Text t -> Optional.empty();
    };
  }

  private static Column.Categorical asCategories(Column.Numeric n) {
    var levels = new java.util.ArrayList<String>();
    var index = new java.util.HashMap<String, Integer>();
    int[] codes = new int[n.values().length];
    for (int r = 0; r < codes.length; r++) {
      if (!Double.isFinite(n.values()[r])) {
        codes[r] = -1;
        continue;
      }
      codes[r] = index.computeIfAbsent(n.display(r), k -> {
        levels.add(k);
        return levels.size() - 1;
      });
    }
    return new Column.Categorical(n.name(), codes, levels);
  }

  private static Map<String, Double> shares(Column.Categorical c) {
    long[] counts = CategoryCounts.of(c);
    long total = java.util.Arrays.stream(counts).sum();
    var out = new LinkedHashMap<String, Double>();
    for (int i = 0; i < counts.length; i++) {
      out.put(c.levels().get(i), counts[i] / (double) Math.max(1, total));
    }
    return out;
  }

  /** Accuracy overall and over ten equal chunks, realised and estimated, so alerts compare like with like. */
  private static ReferenceProfile.Performance performance(
      boolean[] correct, double[] confidence, Calibration calibration) {
    int n = correct.length;
    double[] realised = new double[CHUNKS];
    double[] estimated = new double[CHUNKS];
    long right = 0;
    for (int c = 0; c < CHUNKS; c++) {
      int from = (int) ((long) n * c / CHUNKS);
      int to = (int) ((long) n * (c + 1) / CHUNKS);
      double hits = 0;
      double expected = 0;
      for (int r = from; r < to; r++) {
        hits += correct[r] ? 1 : 0;
        expected += confidence == null ? 0 : calibration.apply(confidence[r]);
      }
      realised[c] = hits / Math.max(1, to - from);
      estimated[c] = expected / Math.max(1, to - from);
      right += (long) hits;
    }
    return new ReferenceProfile.Performance(right / (double) Math.max(1, n), Math.max(1, n / CHUNKS), mean(realised),
        std(realised), confidence != null, mean(estimated), std(estimated));
  }

  static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  static double std(double[] v) {
    double m = mean(v);
    double s = 0;
    for (double x : v) {
      s += (x - m) * (x - m);
    }
    return Math.sqrt(s / v.length);
  }
}

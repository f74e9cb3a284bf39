package dev.rampart.data.monitor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.BinomialTest;

/**
 * Watches a stream of inference events against a reference profile, in tumbling windows, with memory bounded by the
 * window size, the pending-label cap and the number of windows kept for plots, whatever the stream's length.
 * Per window: drift of every feature, of the predictions and of the labels; data-pipeline faults; and CBPE's
 * estimate of accuracy. As labels arrive: realised accuracy. Conditions become alerts through a {@link Debouncer}.
 */
public final class Watcher {
  static final int MIN_VALUES = 30;

  /**
   * @param window events per window
   * @param alpha family-wise significance per window, split over every test of the window (Bonferroni). Small by
   *     default because a stream is tested window after window: at 0.05, a million events in windows of 1,000 raised
   *     false alerts even with two confirming windows
   * @param confirm consecutive windows a drift must hold before it alerts
   * @param clear consecutive clean windows that end an episode
   * @param labelWindow labelled events per realised-accuracy measurement
   * @param maxPending events kept waiting for a late label
   * @param maxWindows closed windows kept for plots
   */
  public record Options(
      int window, double alpha, int confirm, int clear, int labelWindow, int maxPending, int maxWindows) {
    public Options {
      if (window < MIN_VALUES) {
        throw new IllegalArgumentException("a window needs at least " + MIN_VALUES + " events");
      }
      if (confirm < 1 || clear < 1 || labelWindow < MIN_VALUES || maxPending < 0 || maxWindows < 1) {
        throw new IllegalArgumentException("confirm and clear are at least 1, label windows at least " + MIN_VALUES);
      }
    }

    public static Options defaults() {
      return new Options(1000, 0.001, 2, 3, 1000, 100_000, 10_000);
    }

    public Options withWindow(int events) {
      return new Options(events, alpha, confirm, clear, labelWindow, maxPending, maxWindows);
    }

    public Options withLabelWindow(int events) {
      return new Options(window, alpha, confirm, clear, events, maxPending, maxWindows);
    }
  }

  private final ReferenceProfile profile;
  private final Options options;
  private final InputCounters counters = new InputCounters();
  private final EventParser parser;
  private final Event event;
  private final Debouncer debouncer = new Debouncer();
  private final List<FeatureProfile.Numeric> numeric = new ArrayList<>();
  private final List<FeatureProfile.Categorical> categorical = new ArrayList<>();
  private final List<Alert> alerts = new ArrayList<>();
  private final ArrayDeque<WindowSummary> windows = new ArrayDeque<>();
  private final List<WatchResult.RealisedPerformance> realised = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final Map<String, Pending> pending;
  private final Map<String, List<String>> episodeFeatures = new HashMap<>();

  // the open window
  private final double[][] values;
  private final int[] numericCount;
  private final int[] numericMissing;
  private final List<Map<String, Integer>> categoryCounts = new ArrayList<>();
  private final int[] categoryMissing;
  private final Map<String, Integer> predictionCounts = new HashMap<>();
  private final Map<String, Integer> labelCounts = new HashMap<>();
  private double confidenceSum;
  private int confidenceCount;
  private final Multivariate multivariate;
  private int size;
  private long windowStart;
  private String firstTs;
  private String lastTs;
  private int windowIndex;
  private long droppedWindows;

  // realised accuracy as labels arrive
  private int labelled;
  private int correct;
  private double estimatedForLabelled;
  private double estimateVariance;
  private int estimableLabelled;
  private int correctEstimable;

  private record Pending(String prediction, double estimate) {}

  public Watcher(ReferenceProfile profile, Options options) {
    this.profile = profile;
    this.options = options;
    this.parser = new EventParser(profile, counters);
    this.event = parser.newEvent();
    for (FeatureProfile f : profile.features()) {
      switch (f) {
        case FeatureProfile.Numeric n -> numeric.add(n);
        case FeatureProfile.Categorical c -> categorical.add(c);
      }
    }
    values = new double[numeric.size()][options.window()];
    numericCount = new int[numeric.size()];
    numericMissing = new int[numeric.size()];
    categoryMissing = new int[categorical.size()];
    for (int i = 0; i < categorical.size(); i++) {
      categoryCounts.add(new HashMap<>());
    }
    multivariate = profile.reconstruction().map(r -> new Multivariate(r, numeric)).orElse(null);
    int cap = options.maxPending();
    pending =
        new LinkedHashMap<>(16, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Pending> eldest) {
            return size() > cap;
          }
        };
  }

  /** Feeds one line of the event stream. */
  public void accept(String line) {
    if (line.isBlank()) {
      return;
    }
    if (!parser.parse(line, event)) {
      counters.malformed++;
      return;
    }
    if (event.labelOnly) {
      lateLabel(event.id, event.label);
      return;
    }
    long index = counters.events++;
    if (event.ts != null && lastTs != null && event.ts.compareTo(lastTs) < 0 && sameShape(event.ts, lastTs)) {
      counters.outOfOrder++;
    }
    if (size == 0) {
      windowStart = index;
      firstTs = event.ts;
    }
    lastTs = event.ts != null ? event.ts : lastTs;
    add(event);
    if (++size == options.window()) {
      closeWindow(index);
    }
  }

  private void add(Event e) {
    for (int i = 0; i < numeric.size(); i++) {
      double v = e.numbers[i];
      if (Double.isNaN(v)) {
        numericMissing[i]++;
      } else {
        values[i][numericCount[i]++] = v;
      }
    }
    for (int i = 0; i < categorical.size(); i++) {
      String v = e.categories[i];
      if (v == null) {
        categoryMissing[i]++;
      } else {
        Map<String, Integer> counts = categoryCounts.get(i);
        if (counts.containsKey(v) || counts.size() < FeatureProfile.Categorical.MAX_LEVELS) {
          counts.merge(v, 1, Integer::sum);
        } else {
          counts.merge(FeatureProfile.Categorical.OTHER, 1, Integer::sum);
        }
      }
    }
    if (multivariate != null) {
      multivariate.add(e.numbers);
    }
    double estimate = Double.NaN;
    if (!Double.isNaN(e.confidence)) {
      estimate = profile.calibration().apply(e.confidence);
      confidenceSum += estimate;
      confidenceCount++;
    }
    if (e.prediction == null) {
      counters.withoutPrediction++;
    } else if (predictionCounts.containsKey(e.prediction) || predictionCounts.size() < 1_000) {
      predictionCounts.merge(e.prediction, 1, Integer::sum);
    }
    if (e.label != null) {
      counters.labels++;
      labelCounts.merge(e.label, 1, Integer::sum);
      labelledPair(e.prediction, e.label, estimate);
    } else if (e.id != null && e.prediction != null) {
      pending.put(e.id, new Pending(e.prediction, estimate));
    }
  }

  private void lateLabel(String id, String label) {
    Pending p = pending.remove(id);
    if (p == null) {
      counters.unmatchedLabels++;
      return;
    }
    counters.labels++;
    counters.lateLabels++;
    labelledPair(p.prediction(), label, p.estimate());
  }

  private void labelledPair(String prediction, String label, double estimate) {
    labelled++;
    boolean right = label.equals(prediction);
    correct += right ? 1 : 0;
    if (!Double.isNaN(estimate)) {
      estimatedForLabelled += estimate;
      estimateVariance += estimate * (1 - estimate);
      estimableLabelled++;
      correctEstimable += right ? 1 : 0;
    }
    if (labelled == options.labelWindow()) {
      closeLabelWindow();
    }
  }

  private void closeLabelWindow() {
    double accuracy = correct / (double) labelled;
    double estimated = estimableLabelled == 0 ? Double.NaN : estimatedForLabelled / estimableLabelled;
    long at = counters.events - 1;
    realised.add(new WatchResult.RealisedPerformance(at, labelled, accuracy, estimated));
    profile.performance().ifPresent(perf -> {
      double sd = band(perf.chunkStd(), perf.chunkRows(), labelled, perf.chunkMean());
      double floor = perf.chunkMean() - 3 * sd;
      boolean low = accuracy < floor;
      boolean estimateHolds = perf.estimable() && !Double.isNaN(estimated)
          && estimated >= perf.estimatedChunkMean() - 3 * band(perf.estimatedChunkStd(), perf.chunkRows(), labelled,
              perf.estimatedChunkMean());
      boolean disagrees = disagreement(perf, estimated).isPresent();
      boolean performanceOpen = debouncer.open("performance");
      // one drop, one alert: an open accuracy episode has already told of it
      if (debouncer.observe("disagreement", disagrees, options.confirm(), options.clear()) && !performanceOpen) {
        double gap = disagreement(perf, estimated).orElse(Double.NaN);
        double realisedEstimable = correctEstimable / (double) estimableLabelled;
        raise(Alert.Kind.CONCEPT_DRIFT, List.of(), at - labelled + 1, at, "accuracy-vs-estimate", realisedEstimable,
            estimated - gap, String.format(Locale.ROOT,
                "realised accuracy %.3f on the last %d labelled events, below the %.3f the model's own confidence "
                    + "estimates for the same events by more than chance allows (%.3f): the labels no longer follow "
                    + "the model's view of the features, so the relation between features and labels changed",
                realisedEstimable, estimableLabelled, estimated, gap));
      }
      if (debouncer.observe("performance", low, options.confirm(), options.clear())
          && !(estimateHolds && debouncer.open("disagreement"))) {
        Alert.Kind kind = estimateHolds ? Alert.Kind.CONCEPT_DRIFT : Alert.Kind.PERFORMANCE_DROP;
        String detail = String.format(Locale.ROOT,
            "accuracy %.3f on the last %d labelled events, below the reference %.3f - 3 sd (%.3f)%s", accuracy,
            labelled, perf.chunkMean(), floor,
            estimateHolds ? String.format(Locale.ROOT,
                "; the model is as confident as in the reference (estimated %.3f), so the relation between features "
                    + "and labels changed", estimated) : "");
        raise(kind, List.of(), at - labelled + 1, at, "accuracy", accuracy, floor, detail);
      }
    });
    labelled = 0;
    correct = 0;
    estimatedForLabelled = 0;
    estimateVariance = 0;
    estimableLabelled = 0;
    correctEstimable = 0;
  }

  /**
   * CBPE's estimate against what the labels realised on the same events: the estimate is the expected accuracy
   * given the model's calibrated confidence, so correct predictions among {@code n} labelled events have mean
   * {@code sum p} and variance {@code sum p (1 - p)} while the relation between features and labels holds. The
   * allowed gap adds the calibration's own error on the reference (how far its estimate missed the realised accuracy
   * there, and the uncertainty of a reference of its size). Returns the gap when realised accuracy falls below the
   * estimate by more than it.
   */
  private java.util.Optional<Double> disagreement(ReferenceProfile.Performance perf, double estimated) {
    if (!perf.estimable() || Double.isNaN(estimated) || estimableLabelled < MIN_VALUES) {
      return java.util.Optional.empty();
    }
    int n = estimableLabelled;
    double sampling = estimateVariance / ((double) n * n);
    double mean = perf.chunkMean();
    double reference = Math.max(mean * (1 - mean), 0.0025) / Math.max(1, profile.rows());
    double bias = Math.abs(perf.chunkMean() - perf.estimatedChunkMean());
    double gap = bias + 3 * Math.sqrt(sampling + reference);
    double realisedEstimable = correctEstimable / (double) n;
    return realisedEstimable < estimated - gap ? java.util.Optional.of(gap) : java.util.Optional.empty();
  }

  /**
   * The spread to expect for a window of {@code n}: the reference chunk spread rescaled to that size (never below
   * the binomial spread), combined with the uncertainty of the reference mean itself, which dominates when the
   * reference is small.
   */
  private double band(double chunkStd, int chunkRows, int n, double mean) {
    double variance = Math.max(mean * (1 - mean), 0.0025);
    double window = Math.max(chunkStd * Math.sqrt(chunkRows / (double) n), Math.sqrt(variance / n));
    double reference = Math.sqrt(variance / Math.max(1, profile.rows()));
    return Math.sqrt(window * window + reference * reference);
  }

  private void closeWindow(long lastEvent) {
    double alpha = perTestAlpha();
    var effects = new TreeMap<String, Double>();
    var drifted = new ArrayList<String>();
    var sustained = new ArrayList<String>();
    var faults = new ArrayList<String[]>();
    for (int i = 0; i < numeric.size(); i++) {
      FeatureProfile.Numeric ref = numeric.get(i);
      int n = numericCount[i];
      checkMissing(ref, numericMissing[i], faults);
      if (n < MIN_VALUES) {
        continue;
      }
      var r = DriftTests.numeric(ref, values[i], n);
      effects.put(ref.name(), r.effect());
      if (DriftTests.drifted(r, alpha)) {
        drifted.add(ref.name());
      }
      if (DriftTests.sustained(r, alpha)) {
        sustained.add(ref.name());
      }
      checkNumericFaults(ref, values[i], n, alpha, faults);
    }
    for (int i = 0; i < categorical.size(); i++) {
      FeatureProfile.Categorical ref = categorical.get(i);
      Map<String, Integer> counts = categoryCounts.get(i);
      checkMissing(ref, categoryMissing[i], faults);
      int n = counts.values().stream().mapToInt(Integer::intValue).sum();
      if (n < MIN_VALUES) {
        continue;
      }
      var r = DriftTests.categorical(ref, counts);
      effects.put(ref.name(), r.effect());
      if (DriftTests.drifted(r, alpha)) {
        drifted.add(ref.name());
      }
      if (DriftTests.sustained(r, alpha)) {
        sustained.add(ref.name());
      }
      if (counts.size() == 1 && ref.counts().size() > 1 && topShare(ref) < 0.99) {
        faults.add(new String[] {ref.name(), "constant", "only '" + counts.keySet().iterator().next() + "' in "
            + n + " events"});
      }
    }
    double estimated = confidenceCount >= MIN_VALUES ? confidenceSum / confidenceCount : Double.NaN;
    judgeWindow(lastEvent, drifted, !sustained.isEmpty(), effects, faults, estimated);
    double reconstruction = judgeMultivariate(lastEvent);
    keep(new WindowSummary(windowIndex++, windowStart, lastEvent, nz(firstTs), nz(lastTs), effects, drifted,
        estimated, reconstruction));
    resetWindow();
  }

  private void judgeWindow(
      long lastEvent,
      List<String> drifted,
      boolean anySustained,
      Map<String, Double> effects,
      List<String[]> faults,
      double estimated) {
    String covariate = "covariate";
    boolean anyDrift = !drifted.isEmpty();
    if (anyDrift) {
      episodeFeatures.computeIfAbsent(covariate, k -> new ArrayList<>());
      drifted.forEach(f -> {
        if (!episodeFeatures.get(covariate).contains(f)) {
          episodeFeatures.get(covariate).add(f);
        }
      });
    }
    if (debouncer.observe(covariate, anyDrift, anySustained, options.confirm(), options.clear())) {
      List<String> features = episodeFeatures.getOrDefault(covariate, drifted);
      String top = features.stream().max(java.util.Comparator.comparingDouble(f -> effects.getOrDefault(f, 0.0)))
          .orElse("");
      raise(Alert.Kind.COVARIATE_DRIFT, features, windowStart, lastEvent,
          size <= DriftTests.SMALL_WINDOW ? "ks-or-chi-square" : "wasserstein-or-jensen-shannon",
          effects.getOrDefault(top, Double.NaN), DriftTests.DISTANCE,
          features.size() + " feature(s) shifted in " + options.confirm() + " consecutive windows; strongest " + top);
    }
    if (!debouncer.open(covariate) && !anyDrift) {
      episodeFeatures.remove(covariate);
    }
    var byFeature = new TreeMap<String, List<String[]>>();
    faults.forEach(f -> byFeature.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f));
    byFeature.forEach((feature, list) -> {
      if (debouncer.observe("fault:" + feature, true, 1, options.clear())) {
        String kinds = String.join(", ", list.stream().map(f -> f[1]).toList());
        String detail = String.join("; ", list.stream().map(f -> f[1] + ": " + f[2]).toList());
        raise(Alert.Kind.PIPELINE_FAULT, List.of(feature), windowStart, lastEvent, kinds, Double.NaN, Double.NaN,
            feature + " " + detail);
      }
    });
    clearQuietFaults(faults);
    distributionAlert("prediction", Alert.Kind.PREDICTION_DRIFT, profile.predictions(), predictionCounts, lastEvent);
    distributionAlert("prior", Alert.Kind.PRIOR_SHIFT, profile.prior(), labelCounts, lastEvent);
    profile.performance().filter(ReferenceProfile.Performance::estimable).ifPresent(perf -> {
      if (Double.isNaN(estimated)) {
        return;
      }
      double floor = perf.estimatedChunkMean()
          - 3 * band(perf.estimatedChunkStd(), perf.chunkRows(), confidenceCount, perf.estimatedChunkMean());
      if (debouncer.observe("estimate", estimated < floor, options.confirm(), options.clear())) {
        raise(Alert.Kind.ESTIMATED_PERFORMANCE_DROP, List.of(), windowStart, lastEvent, "cbpe-accuracy", estimated,
            floor, String.format(Locale.ROOT, "estimated accuracy %.3f (CBPE, no labels needed), below the reference "
                + "%.3f - 3 sd (%.3f)", estimated, perf.estimatedChunkMean(), floor));
      }
    });
  }

  /** Tests the window's mean reconstruction error against the reference band; returns it, or NaN if untested. */
  private double judgeMultivariate(long lastEvent) {
    if (multivariate == null) {
      return Double.NaN;
    }
    double error = multivariate.mean();
    boolean tested = multivariate.count() >= MIN_VALUES;
    var r = multivariate.reference();
    double z = Double.NaN;
    double limit = Double.NaN;
    if (tested) {
      z = (error - r.chunkMean()) / r.band(multivariate.count());
      limit = NormalDistribution.of(0, 1).inverseSurvivalProbability(perTestAlpha() / 2);
    }
    boolean drifted = tested && Math.abs(z) > limit;
    if (debouncer.observe("multivariate", drifted, options.confirm(), options.clear())) {
      var top = multivariate.strongest(3);
      raise(Alert.Kind.MULTIVARIATE_DRIFT, top, windowStart, lastEvent, "pca-reconstruction-error", error,
          r.chunkMean() + Math.signum(z) * limit * r.band(multivariate.count()), String.format(Locale.ROOT,
              "mean reconstruction error %.3f against %.3f in the reference (%.1f sd %s, %d consecutive windows); "
                  + "largest residuals in %s", error, r.chunkMean(), Math.abs(z), z > 0 ? "above" : "below",
              options.confirm(), String.join(", ", top)));
    }
    multivariate.reset();
    return tested ? error : Double.NaN;
  }

  private final java.util.Set<String> faultKeys = new java.util.HashSet<>();

  private void clearQuietFaults(List<String[]> faults) {
    var now = new java.util.HashSet<String>();
    faults.forEach(f -> now.add("fault:" + f[0]));
    for (String key : faultKeys) {
      if (!now.contains(key)) {
        debouncer.observe(key, false, 1, options.clear());
      }
    }
    faultKeys.addAll(now);
  }

  private void distributionAlert(
      String key, Alert.Kind kind, Map<String, Double> reference, Map<String, Integer> window, long lastEvent) {
    int n = window.values().stream().mapToInt(Integer::intValue).sum();
    if (reference.isEmpty() || n < MIN_VALUES) {
      debouncer.observe(key, false, options.confirm(), options.clear());
      return;
    }
    var counts = new TreeMap<String, Long>();
    reference.forEach((level, share) -> counts.put(level, Math.max(1, Math.round(share * profile.rows()))));
    var ref = new FeatureProfile.Categorical(key, profile.rows(), 0, counts);
    var r = DriftTests.categorical(ref, window);
    double alpha = perTestAlpha();
    if (debouncer.observe(key, DriftTests.drifted(r, alpha), DriftTests.sustained(r, alpha),
        options.confirm(), options.clear())) {
      raise(kind, List.of(), windowStart, lastEvent, r.method(), r.statistic(),
          Double.isNaN(r.pValue()) ? DriftTests.DISTANCE : alpha,
          String.format(Locale.ROOT, "%s distribution moved (%s %.3g, Jensen-Shannon %.3f, PSI %.3f)", key, r.method(),
              r.statistic(), r.effect(), r.psi()));
    }
  }

  /** The window's family-wise level split over its tests: one per feature, predictions, labels and the joint one. */
  private double perTestAlpha() {
    return options.alpha() / (numeric.size() + categorical.size() + 2 + (multivariate == null ? 0 : 1));
  }

  private void checkMissing(FeatureProfile ref, int missing, List<String[]> faults) {
    double share = missing / (double) Math.max(1, size);
    if (share >= 0.5 && share >= ref.missingShare() + 0.2) {
      // a feature no event carries is most often a column of the reference that is not an input at all (the
      // model's own output, an id): say how to leave it out of the profile
      String hint = missing == size
          ? "; no event has it in its features: if it is not a model input, profile again with --prediction,"
              + " --probability or --ignore naming it"
          : "";
      faults.add(new String[] {ref.name(), "missing", String.format(Locale.ROOT,
          "%.0f %% of events lack it, %.0f %% in the reference%s", 100 * share, 100 * ref.missingShare(), hint)});
    }
  }

  private void checkNumericFaults(
      FeatureProfile.Numeric ref, double[] v, int n, double alpha, List<String[]> faults) {
    boolean constant = true;
    int outside = 0;
    for (int i = 0; i < n; i++) {
      constant &= v[i] == v[0];
      outside += v[i] < ref.min() || v[i] > ref.max() ? 1 : 0;
    }
    if (constant && ref.min() < ref.max()) {
      faults.add(new String[] {ref.name(), "constant", "every one of " + n + " values is " + v[0]});
    }
    // A new value lands outside the reference range with probability about 2/(m+1) when nothing changed.
    double expected = 2.0 / (ref.count() + 1);
    if (outside >= 5
        && BinomialTest.withDefaults().with(AlternativeHypothesis.GREATER_THAN).test(n, outside, expected).getPValue()
            < alpha) {
      faults.add(new String[] {ref.name(), "out-of-range", String.format(Locale.ROOT,
          "%d of %d values outside the reference range [%.4g, %.4g]", outside, n, ref.min(), ref.max())});
    }
  }

  private static double topShare(FeatureProfile.Categorical ref) {
    long total = ref.counts().values().stream().mapToLong(Long::longValue).sum();
    long top = ref.counts().values().stream().mapToLong(Long::longValue).max().orElse(0);
    return top / (double) Math.max(1, total);
  }

  private void raise(Alert.Kind kind, List<String> features, long start, long end, String statistic, double value,
      double threshold, String detail) {
    alerts.add(new Alert(end, nz(lastTs), kind, features, start, end, statistic, value, threshold, detail));
  }

  private void keep(WindowSummary w) {
    windows.addLast(w);
    if (windows.size() > options.maxWindows()) {
      windows.removeFirst();
      droppedWindows++;
    }
  }

  private void resetWindow() {
    java.util.Arrays.fill(numericCount, 0);
    java.util.Arrays.fill(numericMissing, 0);
    java.util.Arrays.fill(categoryMissing, 0);
    categoryCounts.forEach(Map::clear);
    predictionCounts.clear();
    labelCounts.clear();
    confidenceSum = 0;
    confidenceCount = 0;
    size = 0;
  }

  /** The alerts raised since the last call, for callers that watch a stream in pieces. */
  public List<Alert> drainAlerts() {
    var out = List.copyOf(alerts.subList(drained, alerts.size()));
    drained = alerts.size();
    return out;
  }

  /** The input counts so far. */
  public InputCounters.Snapshot input() {
    return counters.snapshot();
  }

  private int drained;

  /** Closes the stream: a last partial window is tested when it has enough events, otherwise noted. */
  public WatchResult finish() {
    if (size >= MIN_VALUES) {
      closeWindow(counters.events - 1);
    } else if (size > 0) {
      notes.add("the last " + size + " events were too few to test (at least " + MIN_VALUES + ")");
    }
    if (labelled > 0) {
      notes.add(labelled + " labelled events after the last full label window were not evaluated");
    }
    for (var e : profile.features()) {
      if (counters.events > 0 && !seen(e.name())) {
        counters.missing(e.name());
      }
    }
    return new WatchResult(profile.digest(), List.copyOf(alerts), List.copyOf(windows), droppedWindows,
        List.copyOf(realised), counters.snapshot(), List.copyOf(notes));
  }

  /** Version of {@link #snapshot()}'s format; a snapshot of another version is refused. */
  static final int SNAPSHOT_VERSION = 1;
  /** Events awaiting a late label kept in a snapshot (the newest); older ones count as unmatched when they come. */
  static final int SNAPSHOT_PENDING = 10_000;
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  /**
   * The state the next windows depend on, as compact JSON: the open window, the debouncer's episodes, the partial
   * label window, the newest pending labels and the input counts. Closed window summaries, realised-accuracy history
   * and alerts already drained are left out: they are reported elsewhere and would make the snapshot grow with the
   * stream. Its size is bounded by the window size, the feature count and {@link #SNAPSHOT_PENDING}.
   */
  public byte[] snapshot() {
    var out = JSON.createObjectNode();
    out.put("v", SNAPSHOT_VERSION).put("profile", profile.digest()).put("window", options.window())
        .put("labelWindow", options.labelWindow());
    counters.write(out.putObject("input"));
    debouncer.write(out.putObject("episodes"));
    var episodes = out.putObject("episodeFeatures");
    episodeFeatures.forEach((k, v) -> v.forEach(episodes.putArray(k)::add));
    faultKeys.forEach(out.putArray("faultKeys")::add);
    var open = out.putObject("open");
    open.put("size", size).put("start", windowStart).put("index", windowIndex).put("firstTs", firstTs)
        .put("lastTs", lastTs).put("confidenceSum", confidenceSum).put("confidenceCount", confidenceCount);
    var numbers = open.putArray("numeric");
    for (int i = 0; i < numeric.size(); i++) {
      var f = numbers.addObject().put("missing", numericMissing[i]);
      var v = f.putArray("values");
      for (int j = 0; j < numericCount[i]; j++) {
        v.add(values[i][j]);
      }
    }
    var categories = open.putArray("categorical");
    for (int i = 0; i < categorical.size(); i++) {
      var f = categories.addObject().put("missing", categoryMissing[i]);
      categoryCounts.get(i).forEach(f.putObject("counts")::put);
    }
    predictionCounts.forEach(open.putObject("predictions")::put);
    labelCounts.forEach(open.putObject("labels")::put);
    if (multivariate != null) {
      multivariate.write(open.putObject("multivariate"));
    }
    var label = out.putObject("labelled");
    label.put("labelled", labelled).put("correct", correct).put("estimated", estimatedForLabelled)
        .put("variance", estimateVariance).put("estimable", estimableLabelled).put("correctEstimable", correctEstimable);
    var waiting = out.putArray("pending");
    pending.entrySet().stream().skip(Math.max(0, pending.size() - SNAPSHOT_PENDING)).forEach(e -> {
      var row = waiting.addArray().add(e.getKey()).add(e.getValue().prediction());
      if (Double.isNaN(e.getValue().estimate())) {
        row.addNull();
      } else {
        row.add(e.getValue().estimate());
      }
    });
    try {
      return JSON.writeValueAsBytes(out);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A snapshot that does not belong to this profile and these options, or is not one at all. */
  public static final class SnapshotMismatchException extends Exception {
    SnapshotMismatchException(String message) {
      super(message);
    }
  }

  /**
   * A watcher that continues where the one that took {@code snapshot} stopped: its open window, episodes and counts.
   * Refuses a snapshot of another version, reference profile, window size or feature layout.
   */
  public static Watcher restore(ReferenceProfile profile, Options options, byte[] snapshot)
      throws SnapshotMismatchException {
    com.fasterxml.jackson.databind.JsonNode in;
    try {
      in = JSON.readTree(snapshot);
    } catch (java.io.IOException e) {
      throw new SnapshotMismatchException("not a watcher snapshot: " + e.getMessage());
    }
    if (in == null || !in.isObject() || in.path("v").asInt() != SNAPSHOT_VERSION) {
      throw new SnapshotMismatchException("not a version " + SNAPSHOT_VERSION + " watcher snapshot");
    }
    if (!profile.digest().equals(in.path("profile").asText()) || in.path("window").asInt() != options.window()
        || in.path("labelWindow").asInt() != options.labelWindow()) {
      throw new SnapshotMismatchException("the snapshot was taken against another profile or window size");
    }
    var w = new Watcher(profile, options);
    var open = in.path("open");
    if (open.path("numeric").size() != w.numeric.size() || open.path("categorical").size() != w.categorical.size()) {
      throw new SnapshotMismatchException("the snapshot's features differ from the profile's");
    }
    w.size = open.path("size").asInt();
    if (w.size < 0 || w.size >= options.window()) {
      throw new SnapshotMismatchException("the snapshot's open window holds " + w.size + " events");
    }
    w.counters.read(in.path("input"));
    w.debouncer.read(in.path("episodes"));
    in.path("episodeFeatures").properties().forEach(e -> {
      var list = new ArrayList<String>();
      e.getValue().forEach(n -> list.add(n.asText()));
      w.episodeFeatures.put(e.getKey(), list);
    });
    in.path("faultKeys").forEach(n -> w.faultKeys.add(n.asText()));
    w.windowStart = open.path("start").asLong();
    w.windowIndex = open.path("index").asInt();
    w.firstTs = open.path("firstTs").isTextual() ? open.path("firstTs").asText() : null;
    w.lastTs = open.path("lastTs").isTextual() ? open.path("lastTs").asText() : null;
    w.confidenceSum = open.path("confidenceSum").asDouble();
    w.confidenceCount = open.path("confidenceCount").asInt();
    for (int i = 0; i < w.numeric.size(); i++) {
      var f = open.path("numeric").path(i);
      var v = f.path("values");
      if (v.size() > w.size) {
        throw new SnapshotMismatchException("more values than events in the snapshot's open window");
      }
      w.numericMissing[i] = f.path("missing").asInt();
      w.numericCount[i] = v.size();
      for (int j = 0; j < v.size(); j++) {
        w.values[i][j] = v.path(j).asDouble();
      }
    }
    for (int i = 0; i < w.categorical.size(); i++) {
      var f = open.path("categorical").path(i);
      w.categoryMissing[i] = f.path("missing").asInt();
      var counts = w.categoryCounts.get(i);
      f.path("counts").properties().stream().limit(FeatureProfile.Categorical.MAX_LEVELS + 1)
          .forEach(e -> counts.put(e.getKey(), e.getValue().asInt()));
    }
    open.path("predictions").properties().stream().limit(1_000)
        .forEach(e -> w.predictionCounts.put(e.getKey(), e.getValue().asInt()));
    open.path("labels").properties().stream().limit(options.window())
        .forEach(e -> w.labelCounts.put(e.getKey(), e.getValue().asInt()));
    if (w.multivariate != null) {
      w.multivariate.read(open.path("multivariate"));
    }
    var label = in.path("labelled");
    w.labelled = label.path("labelled").asInt();
    w.correct = label.path("correct").asInt();
    w.estimatedForLabelled = label.path("estimated").asDouble();
    w.estimateVariance = label.path("variance").asDouble();
    w.estimableLabelled = label.path("estimable").asInt();
    w.correctEstimable = label.path("correctEstimable").asInt();
    if (w.labelled < 0 || w.labelled >= options.labelWindow()) {
      throw new SnapshotMismatchException("the snapshot's label window holds " + w.labelled + " events");
    }
    for (var row : in.path("pending")) {
      double estimate = row.path(2).isNumber() ? row.path(2).asDouble() : Double.NaN;
      w.pending.put(row.path(0).asText(), new Pending(row.path(1).asText(), estimate));
    }
    return w;
  }

  private boolean seen(String feature) {
    return windows.stream().anyMatch(w -> w.effects().containsKey(feature));
  }

  private static boolean sameShape(String a, String b) {
    return a.length() == b.length();
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}

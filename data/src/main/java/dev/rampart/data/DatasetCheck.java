package dev.rampart.data;

import dev.rampart.core.Severity;
import dev.rampart.data.io.Column;
import dev.rampart.data.io.Dataset;
import dev.rampart.data.io.DatasetReadException;
import dev.rampart.data.learn.FeatureEncoder;
import dev.rampart.data.learn.FeatureMatrix;
import dev.rampart.data.learn.Neighbours;
import dev.rampart.data.learn.OutOfSample;
import dev.rampart.data.learn.SoftmaxRegression;
import dev.rampart.data.poison.Assessment;
import dev.rampart.data.poison.ConfidentLearning;
import dev.rampart.data.poison.DuplicateDetector;
import dev.rampart.data.poison.OutlierDetector;
import dev.rampart.data.poison.RowFlag;
import dev.rampart.data.poison.Signal;
import dev.rampart.data.poison.Suspect;
import dev.rampart.data.poison.TriggerDetector;
import dev.rampart.data.profile.Profile;
import dev.rampart.core.stats.Wilson;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

/**
 * Checks a labelled dataset for poisoning before training: profiles it, runs every detector, and weighs their
 * evidence into a verdict. Row thresholds come from each class's own distribution; the verdict is raised only when a
 * detector sees more than clean data of the same shape explains.
 */
public final class DatasetCheck {
  static final int MAX_CLASSES = 1_000;
  /** A label issue is certain when the given label keeps less than this out-of-sample probability. */
  static final double SURE = 0.1;

  /**
   * @param ignore columns that are not features (identifiers, timestamps of collection)
   * @param noiseTolerance the share of label errors that real, unattacked data is allowed to carry before the
   *     verdict turns; published audits put natural label noise in benchmark sets at about 1 to 3 %
   */
  public record Options(String label, List<String> ignore, int folds, long seed, double noiseTolerance) {
    public Options {
      ignore = List.copyOf(ignore);
      if (folds < 2) {
        throw new IllegalArgumentException("cross-validation needs at least 2 folds");
      }
    }

    public static Options forLabel(String label) {
      return new Options(label, List.of(), 5, 42, 0.01);
    }
  }

  private DatasetCheck() {}

  public static CheckResult run(Dataset dataset, Options options) throws DatasetReadException {
    Column.Categorical labels = dataset.labels(options.label());
    for (String name : options.ignore()) {
      if (dataset.column(name).isEmpty()) {
        throw new DatasetReadException.MissingColumn(dataset.source(), name, dataset.columnNames());
      }
    }
    int classes = labels.levels().size();
    if (classes < 2) {
      throw new DatasetReadException.UnusableLabel(
          dataset.source(), options.label(), "it has " + classes + " distinct value(s); a check needs two classes");
    }
    if (classes > MAX_CLASSES || classes > dataset.rows() / 2) {
      throw new DatasetReadException.UnusableLabel(
          dataset.source(), options.label(), "it has " + classes + " distinct values, which looks like an identifier");
    }
    var skip = new ArrayList<>(options.ignore());
    skip.add(options.label());
    List<Column> features = dataset.columnsExcept(skip);
    Profile profile = Profile.of(dataset, Optional.of(labels));
    FeatureMatrix x = FeatureEncoder.encode(features, dataset.rows());
    int[] y = labels.codes();
    List<String> names = labels.levels();
    var notes = new ArrayList<String>();
    long labelled = IntStream.of(y).filter(l -> l >= 0).count();
    if (labelled < dataset.rows()) {
      notes.add((dataset.rows() - labelled) + " rows have no label and were only profiled");
    }
    Optional<Neighbours> neighbours = Neighbours.of(x);
    var in = new Inputs(features, x, y, names, options, labelled, neighbours);
    // The detectors only read the encoded rows, so the outliers are scored beside the model training; each writes its
    // own collector, merged in a fixed order so the report does not depend on scheduling.
    var found = new Collector();
    var side = new Collector();
    boolean noFeatures = x.width() == 0;
    CompletableFuture<Void> beside =
        CompletableFuture.runAsync(
            () -> {
              if (!noFeatures) {
                outliers(in, side);
              }
            });
    double[] probabilities = null;
    if (noFeatures) {
      found.skipped.add("no usable feature columns (all constant or ignored): only duplicates were checked");
    } else {
      probabilities = labelIssues(in, found);
      triggers(in, found);
    }
    duplicates(in, probabilities, found);
    beside.join();
    found.addAll(side);
    List<RowFlag> flags = found.flags;
    List<Assessment> assessments = found.assessments;
    List<String> skipped = found.skipped;

    List<Suspect> suspects = merge(flags);
    return new CheckResult(
        dataset.source(),
        dataset.format(),
        options.label(),
        profile,
        assessments,
        suspects,
        notes,
        skipped,
        verdict(assessments));
  }

  /** Returns the out-of-sample probabilities the label check used, or null when it could not run. */
  private static double[] labelIssues(Inputs in, Collector out) {
    long[] perClass = new long[in.classes()];
    for (int label : in.y()) {
      if (label >= 0) {
        perClass[label]++;
      }
    }
    long smallest = java.util.Arrays.stream(perClass).min().orElse(0);
    if (smallest < in.options().folds()) {
      out.skipped.add(
          "label check skipped: the smallest class has "
              + smallest
              + " rows, fewer than the "
              + in.options().folds()
              + " cross-validation folds");
      return null;
    }
    var learned = OutOfSample.fit(in.x(), in.y(), in.classes(), in.options().folds(), in.options().seed(), in.neighbours());
    var cl = ConfidentLearning.find(learned.probabilities(), in.y(), in.classes(), in.names());
    if (in.neighbours().isPresent() && !cl.issues().isEmpty()) {
      // Pruning, as cleanlab's iterative variants do: the rows the first fit contradicts are not trained on (nor vote)
      // in a second one, which is scored against the given labels. Flipped labels teach a model some of their
      // errors; without them it is sharper on both the flipped rows and the clean ones.
      int[] pruned = in.y().clone();
      cl.issues().forEach(f -> pruned[f.row()] = -1);
      learned = OutOfSample.fit(in.x(), pruned, in.classes(), in.options().folds(), in.options().seed(), in.neighbours());
      cl = ConfidentLearning.find(learned.probabilities(), in.y(), in.classes(), in.names());
    }
    double[] p = learned.probabilities();
    out.flags.addAll(cl.issues());
    int issues = cl.issues().size();
    if (issues == 0) {
      return p;
    }
    // The verdict counts only the issues the model is sure of. Where the learner fits the classes loosely (several
    // clusters, nested shells, mixed reviews) clean rows near a border are contradicted too, but with a plausible
    // label left; a flip in a region the model knows leaves almost none.
    long sure = cl.issues().stream().filter(f -> p[f.row() * in.classes() + in.y()[f.row()]] < SURE).count();
    double lower = Wilson.lower(sure, in.labelled());
    double tolerated = in.options().noiseTolerance();
    boolean excess = lower > tolerated;
    out.assessments.add(
        new Assessment(
            Signal.LABEL_ISSUE,
            excess ? Severity.HIGH : Severity.LOW,
            issues,
            String.format(
                Locale.ROOT,
                "%d of %d labels (%.1f %%) are contradicted by %s that never saw them, %d of them with less than"
                    + " %.0f %% left for the given label%s; most often %s",
                issues,
                in.labelled(),
                100.0 * issues / in.labelled(),
                learned.chosen(),
                sure,
                100 * SURE,
                excess
                    ? String.format(
                        Locale.ROOT,
                        ", at least %.1f %% with 95 %% confidence, above the %.1f %% noise tolerated",
                        100 * lower,
                        100 * tolerated)
                    : "",
                topConfusion(cl.joint(), in.names()))
                + learned.notes().stream().map(n -> " (" + n + ")").collect(java.util.stream.Collectors.joining())));
    return p;
  }

  private static String topConfusion(long[][] joint, List<String> names) {
    int bi = 0;
    int bj = 1;
    for (int i = 0; i < joint.length; i++) {
      for (int j = 0; j < joint.length; j++) {
        if (i != j && joint[i][j] > joint[bi][bj]) {
          bi = i;
          bj = j;
        }
      }
    }
    return names.get(bj) + " labelled as " + names.get(bi) + " (" + joint[bi][bj] + " rows)";
  }

  private static void outliers(Inputs in, Collector out) {
    var result = OutlierDetector.find(in.features(), in.x(), in.y(), in.classes(), in.names(), in.neighbours());
    out.flags.addAll(result.flags());
    if (result.flags().isEmpty()) {
      return;
    }
    double lower = Wilson.lower(result.far(), in.labelled());
    boolean excess = lower > in.options().noiseTolerance();
    out.assessments.add(
        new Assessment(
            Signal.OUTLIER,
            excess ? Severity.HIGH : Severity.LOW,
            result.flags().size(),
            String.format(
                Locale.ROOT,
                "%d rows lie far outside their class%s",
                result.flags().size(),
                excess
                    ? String.format(
                        Locale.ROOT,
                        "; at least %.1f %% of rows are far outliers with 95 %% confidence, above the %.1f %% tolerated",
                        100 * lower,
                        100 * in.options().noiseTolerance())
                    : "")));
  }

  private static void triggers(Inputs in, Collector out) {
    int[] y = in.y();
    int[] all = IntStream.range(0, y.length).filter(r -> y[r] >= 0).toArray();
    var model = SoftmaxRegression.train(in.x(), y, in.classes(), all, in.options().seed());
    var result = TriggerDetector.find(in.features(), in.x(), y, in.classes(), in.names(), model, in.neighbours().isPresent());
    out.flags.addAll(result.flags());
    for (var t : result.triggers()) {
      out.assessments.add(
          new Assessment(
              Signal.TRIGGER,
              Severity.HIGH,
              t.mismatched(),
              String.format(
                  Locale.ROOT,
                  "possible backdoor trigger %s: %d rows carry it labelled %s, and %d of them look like %s without it",
                  String.join(" + ", t.terms()),
                  t.carriers(),
                  t.label(),
                  t.mismatched(),
                  t.lookLike())));
    }
  }

  private static void duplicates(Inputs in, double[] probabilities, Collector out) {
    var result = DuplicateDetector.find(in.features(), in.x(), in.y(), in.names(), probabilities);
    out.flags.addAll(result.flags());
    long exactRows = result.flags().stream().filter(f -> f.signal() == Signal.CONFLICTING_DUPLICATE).count();
    if (result.exactGroups() > 0) {
      // Identical features with different labels are label noise by construction; they weigh like label issues.
      boolean excess = Wilson.lower(exactRows, in.labelled()) > in.options().noiseTolerance();
      out.assessments.add(
          new Assessment(
              Signal.CONFLICTING_DUPLICATE,
              excess ? Severity.HIGH : Severity.MEDIUM,
              (int) exactRows,
              result.exactGroups() + " groups of identical rows carry different labels (" + exactRows + " rows)"));
    }
    if (result.nearGroups() > 0) {
      out.assessments.add(
          new Assessment(
              Signal.NEAR_DUPLICATE_CONFLICT,
              Severity.LOW,
              (int) (result.flags().size() - exactRows),
              result.nearGroups() + " groups of near-identical rows carry different labels"));
    }
  }

  /** What every detector reads. */
  private record Inputs(
      List<Column> features,
      FeatureMatrix x,
      int[] y,
      List<String> names,
      Options options,
      long labelled,
      Optional<Neighbours> neighbours) {
    int classes() {
      return names.size();
    }
  }

  /** What detectors conclude, collected per thread. */
  private static final class Collector {
    final List<Assessment> assessments = new ArrayList<>();
    final List<RowFlag> flags = new ArrayList<>();
    final List<String> skipped = new ArrayList<>();

    void addAll(Collector other) {
      assessments.addAll(other.assessments);
      flags.addAll(other.flags);
      skipped.addAll(other.skipped);
    }
  }

  private static List<Suspect> merge(List<RowFlag> flags) {
    Map<Integer, List<RowFlag>> byRow = new TreeMap<>();
    for (RowFlag f : flags) {
      byRow.computeIfAbsent(f.row(), r -> new ArrayList<>()).add(f);
    }
    var suspects = new ArrayList<Suspect>(byRow.size());
    byRow.forEach(
        (row, reasons) -> {
          reasons.sort(Comparator.comparingDouble(RowFlag::score).reversed());
          suspects.add(new Suspect(row, reasons.get(0).score(), reasons));
        });
    suspects.sort(Comparator.comparingDouble(Suspect::score).reversed().thenComparingInt(Suspect::row));
    return suspects;
  }

  static DatasetVerdict verdict(List<Assessment> assessments) {
    if (assessments.stream().anyMatch(a -> a.severity().atLeast(Severity.HIGH))) {
      return DatasetVerdict.POISONED;
    }
    if (assessments.stream().anyMatch(a -> a.severity().atLeast(Severity.MEDIUM))) {
      return DatasetVerdict.SUSPICIOUS;
    }
    return DatasetVerdict.CLEAN;
  }
}

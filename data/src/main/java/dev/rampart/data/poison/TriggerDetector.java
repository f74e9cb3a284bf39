package dev.rampart.data.poison;

import dev.rampart.data.io.Column;
import dev.rampart.data.learn.FeatureMatrix;
import dev.rampart.data.learn.SoftmaxRegression;
import dev.rampart.data.learn.Tokens;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Dirty-label backdoor triggers: a value, token or word pair that is rare overall yet almost always carries one
 * label. Many natural values look like that too, so a candidate only counts when the rest of its rows disagrees:
 * with the candidate's features taken out, a model trained on the whole dataset assigns most of its rows to another
 * class. That is the signature of rows taken from one class, stamped and relabelled. Candidates that share their rows
 * (the pixels of one patch, the words of one phrase) are judged together.
 */
public final class TriggerDetector {
  static final int MIN_SUPPORT = 5;
  static final double PURITY = 0.9;
  static final double MISMATCH = 0.7;
  static final int MAX_TEXT_TERMS = 200_000;
  static final int MAX_CANDIDATES_PER_COLUMN = 64;

  /** A trigger: what it is, the label it forces, the rows it sits on, and the share that look like another class. */
  public record Trigger(List<String> terms, String label, int carriers, int mismatched, String lookLike) {}

  public record Result(List<RowFlag> flags, List<Trigger> triggers) {}

  private record Candidate(String term, int[] features, int[] rows, int label) {}

  private TriggerDetector() {}

  public static Result find(
      List<Column> columns,
      FeatureMatrix x,
      int[] labels,
      int classes,
      List<String> names,
      SoftmaxRegression model,
      boolean nearest) {
    Counterfactual counterfactual =
        nearest ? new Counterfactual.Nearest(x, labels, classes) : new Counterfactual.Linear(model, classes);
    long[] classCount = new long[classes];
    for (int l : labels) {
      if (l >= 0) {
        classCount[l]++;
      }
    }
    var candidates = new ArrayList<Candidate>();
    for (int c = 0; c < columns.size(); c++) {
      int[] encoded = encodedFeatures(x, c);
      var found = new ArrayList<Candidate>();
      switch (columns.get(c)) {
        case Column.Numeric n -> numeric(n, encoded, labels, classes, classCount, found);
        case Column.Categorical cat -> categorical(cat, x, encoded, labels, classes, classCount, found);
        case Column.Text t -> text(t, encoded, x.names(), labels, classes, classCount, found);
      }
      // A trigger has to sit on enough rows to teach the model, so it ranks high by support; the cap keeps a
      // million-row continuous column, where thousands of rounded values repeat by chance, from costing minutes.
      found.sort((a, b) -> Integer.compare(b.rows().length, a.rows().length));
      candidates.addAll(found.subList(0, Math.min(found.size(), MAX_CANDIDATES_PER_COLUMN)));
    }
    var typical = new TypicalValues(x, labels);
    var flags = new ArrayList<RowFlag>();
    var triggers = new ArrayList<Trigger>();
    for (List<Candidate> group : group(candidates)) {
      judge(group, x, labels, classes, names, counterfactual, typical, flags, triggers);
    }
    return new Result(flags, triggers);
  }

  private static void numeric(
      Column.Numeric column,
      int[] encoded,
      int[] labels,
      int classes,
      long[] classCount,
      List<Candidate> out) {
    double[] v = column.values();
    double[] sorted = v.clone();
    Arrays.sort(sorted);
    Map<Double, List<Integer>> rowsOf = new HashMap<>();
    int i = 0;
    while (i < sorted.length && !Double.isNaN(sorted[i])) {
      int j = i;
      while (j < sorted.length && sorted[j] == sorted[i]) {
        j++;
      }
      if (j - i >= MIN_SUPPORT && (j - i) * 2L <= maxClass(classCount)) {
        rowsOf.put(sorted[i], new ArrayList<>(j - i));
      }
      i = j;
    }
    if (rowsOf.isEmpty()) {
      return;
    }
    for (int r = 0; r < v.length; r++) {
      List<Integer> rows = rowsOf.get(v[r]);
      if (rows != null) {
        rows.add(r);
      }
    }
    for (List<Integer> rows : rowsOf.values()) {
      int[] array = rows.stream().mapToInt(Integer::intValue).toArray();
      consider(column.name() + "=" + column.display(array[0]), encoded, array, labels, classes, classCount, out);
    }
  }

  private static void categorical(
      Column.Categorical column,
      FeatureMatrix x,
      int[] encoded,
      int[] labels,
      int classes,
      long[] classCount,
      List<Candidate> out) {
    int levels = column.levels().size();
    int[] support = new int[levels];
    for (int code : column.codes()) {
      if (code >= 0) {
        support[code]++;
      }
    }
    for (int level = 0; level < levels; level++) {
      if (support[level] < MIN_SUPPORT || support[level] * 2L > maxClass(classCount)) {
        continue;
      }
      int[] rows = new int[support[level]];
      int k = 0;
      for (int r = 0; r < column.codes().length; r++) {
        if (column.codes()[r] == level) {
          rows[k++] = r;
        }
      }
      String term = column.name() + "=" + column.levels().get(level);
      int[] indicator = Arrays.stream(encoded).filter(f -> x.names()[f].equals(term)).toArray();
      consider(term, indicator.length == 0 ? encoded : indicator, rows, labels, classes, classCount, out);
    }
  }

  private static void text(
      Column.Text column,
      int[] encoded,
      String[] names,
      int[] labels,
      int classes,
      long[] classCount,
      List<Candidate> out) {
    Map<String, List<Integer>> postings = new HashMap<>();
    String[] values = column.values();
    for (int r = 0; r < values.length; r++) {
      if (values[r] == null) {
        continue;
      }
      List<String> words = Tokens.words(values[r]);
      var terms = new LinkedHashSet<String>(words);
      for (int w = 0; w + 1 < words.size(); w++) {
        terms.add(words.get(w) + " " + words.get(w + 1));
      }
      for (String t : terms) {
        List<Integer> rows = postings.get(t);
        if (rows == null) {
          if (postings.size() >= MAX_TEXT_TERMS) {
            continue;
          }
          rows = new ArrayList<>();
          postings.put(t, rows);
        }
        rows.add(r);
      }
    }
    for (var e : postings.entrySet()) {
      int support = e.getValue().size();
      if (support >= MIN_SUPPORT && support * 2L <= maxClass(classCount)) {
        int[] rows = e.getValue().stream().mapToInt(Integer::intValue).toArray();
        int[] buckets = termFeatures(column.name(), e.getKey(), encoded, names);
        consider(column.name() + " contains \"" + e.getKey() + "\"", buckets, rows, labels, classes, classCount, out);
      }
    }
  }

  /** The encoded features of a term's words; a word outside the vocabulary has none, the model never saw it. */
  private static int[] termFeatures(String column, String term, int[] encoded, String[] names) {
    var words = new java.util.HashSet<>(List.of(term.split(" ")));
    return Arrays.stream(encoded)
        .filter(f -> names[f].startsWith(column + "#") && words.contains(names[f].substring(column.length() + 1)))
        .toArray();
  }

  private static void consider(
      String term, int[] features, int[] rows, int[] labels, int classes, long[] classCount, List<Candidate> out) {
    long[] byLabel = new long[classes];
    int labelled = 0;
    for (int r : rows) {
      if (labels[r] >= 0) {
        byLabel[labels[r]]++;
        labelled++;
      }
    }
    int best = 0;
    for (int k = 1; k < classes; k++) {
      if (byLabel[k] > byLabel[best]) {
        best = k;
      }
    }
    if (labelled < MIN_SUPPORT || byLabel[best] < PURITY * labelled || labelled * 2L > classCount[best]) {
      return;
    }
    // A label that most rows carry anyway is not forced by anything.
    long total = Arrays.stream(classCount).sum();
    if (classCount[best] >= PURITY * total) {
      return;
    }
    out.add(new Candidate(term, features, rows, best));
  }

  /** Candidates whose labelled rows overlap by half or more, with the same label, are one trigger. */
  private static List<List<Candidate>> group(List<Candidate> candidates) {
    candidates.sort((a, b) -> Integer.compare(b.rows().length, a.rows().length));
    var groups = new ArrayList<List<Candidate>>();
    var groupRows = new ArrayList<Set<Integer>>();
    for (Candidate c : candidates) {
      int home = -1;
      for (int g = 0; g < groups.size() && home < 0; g++) {
        if (groups.get(g).get(0).label() == c.label() && overlap(groupRows.get(g), c.rows()) * 2 >= c.rows().length) {
          home = g;
        }
      }
      if (home < 0) {
        groups.add(new ArrayList<>());
        groupRows.add(new java.util.HashSet<>());
        home = groups.size() - 1;
      }
      groups.get(home).add(c);
      for (int r : c.rows()) {
        groupRows.get(home).add(r);
      }
    }
    return groups;
  }

  private static int overlap(Set<Integer> rows, int[] other) {
    int n = 0;
    for (int r : other) {
      n += rows.contains(r) ? 1 : 0;
    }
    return n;
  }

  private static void judge(
      List<Candidate> group,
      FeatureMatrix x,
      int[] labels,
      int classes,
      List<String> names,
      Counterfactual counterfactual,
      TypicalValues typicalValues,
      List<RowFlag> flags,
      List<Trigger> triggers) {
    int label = group.get(0).label();
    var features = new java.util.TreeSet<Integer>();
    var carriers = new java.util.TreeSet<Integer>();
    for (Candidate c : group) {
      Arrays.stream(c.features()).forEach(features::add);
      Arrays.stream(c.rows()).forEach(carriers::add);
    }
    List<Integer> rows = carriers.stream().filter(r -> labels[r] == label).toList();
    var carrierSet = new java.util.HashSet<>(carriers);
    long classSize = Classes.members(labels, label).length;
    if (rows.size() < MIN_SUPPORT || rows.size() * 2L > classSize) {
      return;
    }
    // The counterfactual: each feature of the candidate takes the value typical of the label's other rows. A natural
    // value keeps its label that way; a stamped row falls back to the class it was taken from.
    Map<Integer, Float> typical = new HashMap<>();
    for (int f : features) {
      typical.put(f, typicalValues.median(f, label));
    }
    float[] row = new float[x.width()];
    long[] lookLike = new long[classes];
    var mismatched = new ArrayList<Integer>();
    for (int r : rows) {
      System.arraycopy(x.values(), r * x.width(), row, 0, x.width());
      typical.forEach((f, v) -> row[f] = v);
      int predicted = counterfactual.predict(row, carrierSet);
      if (predicted != label) {
        mismatched.add(r);
        lookLike[predicted]++;
      }
    }
    double share = mismatched.size() / (double) rows.size();
    if (mismatched.size() < MIN_SUPPORT || share < MISMATCH) {
      return;
    }
    int usual = 0;
    for (int k = 1; k < classes; k++) {
      if (lookLike[k] > lookLike[usual]) {
        usual = k;
      }
    }
    List<String> terms = group.stream().map(Candidate::term).sorted().limit(8).toList();
    var trigger = new Trigger(terms, names.get(label), rows.size(), mismatched.size(), names.get(usual));
    triggers.add(trigger);
    String detail =
        String.format(
            Locale.ROOT,
            "carries %s, which %d rows share and %d of them are labelled %s; without it this row looks like %s",
            String.join(" + ", terms),
            carriers.size(),
            rows.size(),
            names.get(label),
            names.get(usual));
    for (int r : mismatched) {
      flags.add(new RowFlag(r, Signal.TRIGGER, share, detail));
    }
  }

  /**
   * The median of each encoded feature within each class, computed on first use. Carriers are fewer than half of
   * their class, so they cannot move it.
   */
  private static final class TypicalValues {
    private final FeatureMatrix x;
    private final int[] labels;
    private final Map<Long, Float> cache = new HashMap<>();

    TypicalValues(FeatureMatrix x, int[] labels) {
      this.x = x;
      this.labels = labels;
    }

    float median(int feature, int label) {
      return cache.computeIfAbsent(((long) feature << 32) | label, k -> compute(feature, label));
    }

    private float compute(int feature, int label) {
      int[] rows = Classes.members(labels, label);
      float[] values = new float[rows.length];
      for (int i = 0; i < rows.length; i++) {
        values[i] = x.get(rows[i], feature);
      }
      if (values.length == 0) {
        return 0f;
      }
      Arrays.sort(values);
      return values[values.length / 2];
    }
  }

  private static int[] encodedFeatures(FeatureMatrix x, int column) {
    return java.util.stream.IntStream.range(0, x.width()).filter(f -> x.sourceColumn()[f] == column).toArray();
  }

  private static long maxClass(long[] classCount) {
    return Arrays.stream(classCount).max().orElse(0);
  }
}

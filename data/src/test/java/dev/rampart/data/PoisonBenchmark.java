package dev.rampart.data;

import dev.rampart.core.Atlas;
import dev.rampart.core.Severity;
import dev.rampart.data.diff.DatasetDiff;
import dev.rampart.data.io.DatasetReader;
import dev.rampart.data.io.ReadLimits;
import dev.rampart.data.report.DatasetIdentity;
import dev.rampart.data.report.DiffReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The poisoning benchmark built by {@code src/test/fixtures/make_benchmark.py}: a tuning half and a reporting half
 * with no base dataset in common. A row counts as found when it is among the check's suspects for any reason, so
 * rows listed for review cost precision like any other false alarm.
 */
final class PoisonBenchmark {
  static final Path ROOT = Path.of("src/test/resources/benchmark");

  /** One checked file: {@code clusters-targeted-flip-3.csv.gz} is base clusters, attack targeted-flip, 3 %. */
  record Case(Path file, String base, String attack, int percent) {
    static Case of(Path file) {
      String stem = file.getFileName().toString().replace(".csv.gz", "");
      int first = stem.indexOf('-');
      int last = stem.lastIndexOf('-');
      return new Case(file, stem.substring(0, first), stem.substring(first + 1, last),
          Integer.parseInt(stem.substring(last + 1)));
    }

    boolean clean() {
      return attack.equals("none");
    }

    Set<Integer> truth() throws IOException {
      if (clean()) {
        return Set.of();
      }
      Path t = file.resolveSibling(file.getFileName().toString().replace(".csv.gz", ".truth"));
      try (Stream<String> lines = Files.lines(t)) {
        return lines.map(String::trim).filter(s -> !s.isEmpty()).map(Integer::valueOf).collect(Collectors.toSet());
      }
    }
  }

  /** What the check made of one case. */
  record Outcome(Case of, int attacked, int flagged, int hit, DatasetVerdict verdict) {
    double precision() {
      return flagged == 0 ? (attacked == 0 ? 1 : 0) : hit / (double) flagged;
    }

    double recall() {
      return attacked == 0 ? 1 : hit / (double) attacked;
    }
  }

  /** A version pair: benign kinds must raise nothing HIGH, poisoning kinds must. */
  record Pair(Path old, Path now, String base, String kind) {
    boolean benign() {
      return kind.equals("prior-shift") || kind.equals("resample");
    }
  }

  record PairOutcome(Pair of, List<String> high) {
    boolean correct() {
      return of.benign() == high.isEmpty();
    }
  }

  private PoisonBenchmark() {}

  static List<Case> cases(String half) {
    try (Stream<Path> s = Files.list(ROOT.resolve(half))) {
      return s.filter(p -> p.toString().endsWith(".csv.gz") && !p.getFileName().toString().contains("-diff"))
          .sorted().map(Case::of).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Pair> pairs(String half) {
    try (Stream<Path> s = Files.list(ROOT.resolve(half))) {
      return s.filter(p -> p.toString().endsWith(".new.csv.gz")).sorted().map(p -> {
        String stem = p.getFileName().toString().replace(".new.csv.gz", "");
        int at = stem.indexOf("-diff-");
        String base = stem.substring(0, at);
        return new Pair(p.resolveSibling(base + "-diff.old.csv.gz"), p, base, stem.substring(at + 6));
      }).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Outcome run(Case c) throws Exception {
    var data = new DatasetReader(ReadLimits.defaults()).read(c.file());
    var result = DatasetCheck.run(data, DatasetCheck.Options.forLabel("label"));
    Set<Integer> truth = c.truth();
    int hit = (int) result.suspects().stream().filter(s -> truth.contains(s.row())).count();
    return new Outcome(c, truth.size(), result.suspects().size(), hit, result.verdict());
  }

  static PairOutcome run(Pair p) throws Exception {
    var reader = new DatasetReader(ReadLimits.defaults());
    var old = reader.read(p.old());
    var now = reader.read(p.now());
    var diff = DatasetDiff.compare(old, now, new DatasetDiff.Options(Optional.of("label"), Optional.of("id"), List.of()));
    var report = DiffReport.report(diff, DatasetIdentity.of(p.old(), old.format(), old.rows()),
        DatasetIdentity.of(p.now(), now.format(), now.rows()), "test", Atlas.POISON_TRAINING_DATA, 0.01);
    var high = report.findings().stream().filter(f -> f.severity().atLeast(Severity.HIGH))
        .map(f -> f.rule().id() + ": " + f.evidence()).toList();
    return new PairOutcome(p, high);
  }

  /** Micro-averaged precision and recall over the given outcomes: {flagged, hit, attacked}. */
  static int[] totals(List<Outcome> outcomes) {
    int[] t = new int[3];
    for (Outcome o : outcomes) {
      t[0] += o.flagged();
      t[1] += o.hit();
      t[2] += o.attacked();
    }
    return t;
  }

  static String pr(int[] t) {
    return String.format(Locale.ROOT, "%.2f / %.2f", t[0] == 0 ? 0 : t[1] / (double) t[0], t[2] == 0 ? 0 : t[1] / (double) t[2]);
  }

  static <K> Map<K, List<Outcome>> by(List<Outcome> outcomes, Function<Outcome, K> key) {
    return outcomes.stream().collect(Collectors.groupingBy(key, TreeMap::new, Collectors.toList()));
  }

  /** The tables for docs/data-poisoning.md: per attack family, per base and attack, and the version pairs. */
  static List<String> table(List<Outcome> outcomes, List<PairOutcome> pairs) {
    var lines = new ArrayList<String>();
    var attacked = outcomes.stream().filter(o -> !o.of().clean()).toList();
    lines.add("| Attack | Files | Rows attacked | Rows flagged | P / R | Files not flagged poisoned |");
    lines.add("|---|---|---|---|---|---|");
    by(attacked, o -> o.of().attack()).forEach((attack, list) -> {
      int[] t = totals(list);
      long missed = list.stream().filter(o -> o.verdict() != DatasetVerdict.POISONED).count();
      lines.add(String.format(Locale.ROOT, "| %s | %d | %d | %d | **%s** | %d |", attack, list.size(), t[2], t[0], pr(t), missed));
    });
    int[] all = totals(attacked);
    lines.add(String.format(Locale.ROOT, "| all | %d | %d | %d | **%s** | %d |", attacked.size(), all[2], all[0], pr(all),
        attacked.stream().filter(o -> o.verdict() != DatasetVerdict.POISONED).count()));
    lines.add("");
    lines.add("| Base | Clean file | random-flip | targeted-flip | outliers | conflicting-duplicates | trigger |");
    lines.add("|---|---|---|---|---|---|---|");
    by(outcomes, o -> o.of().base()).forEach((base, list) -> {
      var sb = new StringBuilder("| " + base + " | ");
      sb.append(list.stream().filter(o -> o.of().clean()).map(o -> o.verdict().name().toLowerCase(Locale.ROOT)
          + (o.flagged() > 0 ? ", " + o.flagged() + " rows listed" : "")).findFirst().orElse("–"));
      for (String attack : List.of("random-flip", "targeted-flip", "outliers", "conflicting-duplicates", "trigger")) {
        var rates = list.stream().filter(o -> o.of().attack().equals(attack)).toList();
        sb.append(" | ").append(rates.isEmpty() ? "–" : rates.stream()
            .sorted(java.util.Comparator.comparingInt(o -> o.of().percent()))
            .map(o -> String.format(Locale.ROOT, "%d %%: %.2f / %.2f%s", o.of().percent(), o.precision(), o.recall(),
                o.verdict() == DatasetVerdict.POISONED ? "" : " (" + o.verdict().name().toLowerCase(Locale.ROOT) + ")"))
            .collect(Collectors.joining("<br>")));
      }
      lines.add(sb.append(" |").toString());
    });
    lines.add("");
    lines.add("| Version pair | Kind | Expected | HIGH findings |");
    lines.add("|---|---|---|---|");
    for (PairOutcome p : pairs) {
      lines.add(String.format(Locale.ROOT, "| %s | %s | %s | %s%s |", p.of().base(), p.of().kind(),
          p.of().benign() ? "benign" : "poisoning", p.high().isEmpty() ? "none" : p.high().stream()
              .map(h -> h.substring(0, h.indexOf(':'))).distinct().collect(Collectors.joining(", ")),
          p.correct() ? "" : " (wrong)"));
    }
    return lines;
  }
}

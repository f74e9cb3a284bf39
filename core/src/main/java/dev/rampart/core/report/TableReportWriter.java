package dev.rampart.core.report;

import dev.rampart.core.Finding;
import dev.rampart.core.Report;
import dev.rampart.core.Severity;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/** A human-readable listing, worst first, with a one-line verdict. */
public final class TableReportWriter implements ReportWriter {
  private static final String RESET = "\u001b[0m";

  @Override
  public void write(Report report, RenderOptions options, OutputStream out) throws IOException {
    var p = new PrintStream(out, false, StandardCharsets.UTF_8);
    for (Finding f : report.findings()) {
      printFinding(p, f, options.color(), "");
    }
    if (options.showSuppressed()) {
      for (Report.Suppressed s : report.suppressed()) {
        printFinding(p, s.finding(), false, "suppressed: " + s.justification());
      }
    }
    if (!report.findings().isEmpty()) {
      p.println();
    }
    printFiles(p, report, options);
    var counts =
        report.countsBySeverity().entrySet().stream()
            .filter(e -> e.getValue() > 0)
            .map(e -> e.getValue() + " " + e.getKey().name().toLowerCase(java.util.Locale.ROOT))
            .collect(Collectors.joining(", "));
    var summary = Summary.of(report);
    Verdict overall = Verdict.of(report, options);
    String verdict;
    if (overall == Verdict.CLEAN && knownAtThreshold(report, options, null)) {
      verdict = "NO NEW FINDINGS"; // accepted or baseline findings are known, not clean
    } else if (overall == Verdict.CLEAN && !report.findings().isEmpty() && options.failOn().isPresent()) {
      // findings below the threshold do not fail the run, but a run that has them is not clean either
      verdict = "PASSED (below --fail-on " + options.failOn().get().name() + ")";
    } else {
      verdict = verdictText(report, overall, options.color());
    }
    p.printf(
        "%s: %s, %d finding(s)%s%s%n",
        verdict,
        SummaryLine.inputs(report, summary),
        summary.findings(),
        counts.isEmpty() ? "" : " (" + counts + ")",
        report.suppressed().isEmpty() ? "" : ", " + report.suppressed().size() + " suppressed");
    p.flush();
  }

  private static final int MAX_FILE_LINES = 200;

  /** One line per top-level file with its own verdict, so a folder scan shows which files are safe. */
  private static void printFiles(PrintStream p, Report report, RenderOptions options) {
    var files = report.artifacts().stream().filter(a -> !a.path().contains("!")).toList();
    if (report.kind().equals("discover")) {
      return; // discovery prints its own table of artifacts with their registry status
    }
    if (files.size() < 2 || files.size() > MAX_FILE_LINES) {
      return;
    }
    int width = Math.min(70, files.stream().mapToInt(a -> a.path().length()).max().orElse(10));
    for (var file : files) {
      var own = report.findings().stream().filter(f -> f.location().file().equals(file.path())).toList();
      boolean unsafe = options.failOn().isPresent()
          && own.stream().anyMatch(f -> !f.incompleteness() && f.severity().atLeast(options.failOn().get()));
      boolean incomplete = own.stream().anyMatch(Finding::incompleteness)
          || report.artifacts().stream().anyMatch(a -> (a.path().equals(file.path()) || a.path().startsWith(file.path() + "!"))
              && a.status() == dev.rampart.core.ArtifactRecord.Status.INCOMPLETE);
      Verdict v = unsafe ? Verdict.FINDINGS : incomplete ? Verdict.INCOMPLETE : Verdict.CLEAN;
      String text = file.status() == dev.rampart.core.ArtifactRecord.Status.SKIPPED && own.isEmpty()
          ? "skipped"
          : v == Verdict.CLEAN && knownAtThreshold(report, options, file.path()) ? "KNOWN" : verdictText(report, v, options.color());
      String worst = own.stream().map(Finding::severity).distinct().sorted()
          .map(s -> own.stream().filter(f -> f.severity() == s).count() + " " + s.name().toLowerCase(java.util.Locale.ROOT))
          .collect(Collectors.joining(", "));
      String name = file.path().length() > width ? "..." + file.path().substring(file.path().length() - width + 3) : file.path();
      p.printf("%-" + width + "s  %s  %s%n", name, pad(text, options.color() ? 10 + 9 : 10), worst.isEmpty() ? "-" : worst);
    }
    p.println();
  }

  /**
   * Whether findings at or above the threshold were suppressed (accepted in an ignore file or known from a baseline),
   * in one file or, with a null path, anywhere: such a file is known to be unsafe, never called clean.
   */
  private static boolean knownAtThreshold(Report report, RenderOptions options, String path) {
    return options.failOn().isPresent()
        && report.suppressed().stream()
            .map(Report.Suppressed::finding)
            .anyMatch(f -> (path == null || f.location().file().equals(path))
                && !f.incompleteness() && f.severity().atLeast(options.failOn().get()));
  }

  private static String pad(String s, int n) {
    return s.length() >= n ? s : s + " ".repeat(n - s.length());
  }

  private static void printFinding(PrintStream p, Finding f, boolean color, String suffix) {
    String sev = String.format("%-8s", f.severity().name());
    p.printf(
        "%s %s %s%n", color ? colour(f.severity()) + sev + RESET : sev, f.rule().id(), f.title());
    p.printf("         at %s%n", f.location());
    if (!f.evidence().isEmpty()) {
      p.printf("         evidence: %s%n", f.evidence());
    }
    p.printf("         %s, %s%n", f.technique(), f.lifecycle());
    if (!suffix.isEmpty()) {
      p.printf("         %s%n", suffix);
    }
  }

  private static String verdictText(Report report, Verdict v, boolean color) {
    String text = SummaryLine.word(report, v);
    if (!color) {
      return text;
    }
    return switch (v) {
          case CLEAN -> "\u001b[32m";
          case FINDINGS -> "\u001b[1;31m";
          case INCOMPLETE -> "\u001b[33m";
        }
        + text
        + RESET;
  }

  private static String colour(Severity s) {
    return switch (s) {
      case CRITICAL -> "\u001b[1;31m";
      case HIGH -> "\u001b[31m";
      case MEDIUM -> "\u001b[33m";
      case LOW -> "\u001b[36m";
      case INFO -> "\u001b[2m";
    };
  }
}

package dev.rampart.core.report;

import dev.rampart.core.Report;
import java.util.Locale;

/**
 * What a run looked at, in the words of the command family that made the report: a scan counts files, archive
 * members and skipped non-model files; a signature check names the model; a dataset comparison counts versions. The
 * counts come from {@link Summary}, so the table line and the JSON summary can never disagree.
 */
final class SummaryLine {
  private SummaryLine() {}

  static String inputs(Report report, Summary s) {
    return switch (report.kind()) {
      case "scan" -> String.format(Locale.ROOT,
          "%d file(s) and %d archive member(s): %d scanned, %d incomplete, %d skipped as not model artifacts",
          s.files(), s.members(), s.scanned(), s.incomplete(), s.skipped());
      case "verify" -> "model " + String.join(", ", report.roots()) + " checked against its signature";
      case "provenance-verify" -> "provenance of " + String.join(", ", report.roots()) + " checked";
      case "discover" -> String.format(Locale.ROOT, "%d model artifact(s) and AI-service configuration(s) found%s",
          s.scanned(), s.incomplete() > 0 ? ", " + s.incomplete() + " unreadable" : "");
      case "data-diff" -> String.format(Locale.ROOT, "%d dataset version(s) compared%s", s.scanned(), incomplete(s));
      case "data-check" -> String.format(Locale.ROOT, "%d dataset(s) checked%s", s.scanned(), incomplete(s));
      case "monitor-watch" -> String.format(Locale.ROOT, "%d event stream(s) watched%s", s.scanned(), incomplete(s));
      default -> String.format(Locale.ROOT, "%d input(s) analysed%s", s.scanned(), incomplete(s));
    };
  }

  /**
   * The verdict's word: a signature either verifies or fails; discovery reads no file's content, so what it finds is
   * inventoried, never clean; anything else is clean, unsafe or incomplete.
   */
  static String word(Report report, Verdict v) {
    boolean signature = report.kind().equals("verify") || report.kind().equals("provenance-verify");
    return switch (v) {
      case CLEAN -> signature ? "VERIFIED" : report.kind().equals("discover") ? "INVENTORIED" : "CLEAN";
      case FINDINGS -> signature ? "FAILED" : "UNSAFE";
      case INCOMPLETE -> "INCOMPLETE";
    };
  }

  private static String incomplete(Summary s) {
    return s.incomplete() > 0 ? ", " + s.incomplete() + " incomplete" : "";
  }
}

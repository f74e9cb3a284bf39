package dev.rampart.data.report;

import static dev.rampart.core.Severity.HIGH;
import static dev.rampart.core.Severity.INFO;
import static dev.rampart.core.Severity.LOW;
import static dev.rampart.core.Severity.MEDIUM;

import dev.rampart.core.Atlas;
import dev.rampart.core.Stage;
import dev.rampart.core.Rule;
import dev.rampart.core.Severity;
import dev.rampart.data.poison.Signal;
import java.util.List;

/** The rules behind {@code rampart data check} and {@code rampart data diff}. */
public final class DataRules {
  public static final Rule LABEL_NOISE =
      rule("DATA-LABEL-NOISE", HIGH, "Labels contradicted by out-of-sample predictions beyond natural noise",
          "Rows whose given label a cross-validated model confidently contradicts (confident learning). Review the "
              + "listed rows; relabel or drop them, and find out how they entered the dataset.");
  public static final Rule OUTLIERS =
      rule("DATA-OUTLIERS", LOW, "Rows far from the other rows of their class",
          "Rows outside their class's robust-distance fence. Injected rows often sit here; so do rare genuine "
              + "cases. Check where they came from before training on them.");
  public static final Rule DUPLICATE_CONFLICT =
      rule("DATA-DUPLICATE-CONFLICT", MEDIUM, "Identical rows with different labels",
          "The same features appear with different labels. At most one of them is right; a copy with a flipped "
              + "label is a cheap poisoning move.");
  public static final Rule NEAR_DUPLICATE_CONFLICT =
      rule("DATA-NEAR-DUPLICATE-CONFLICT", LOW, "Near-identical rows with different labels",
          "Rows equal up to rounding carry different labels; review them as label conflicts.");
  public static final Rule BACKDOOR_TRIGGER =
      rule("DATA-BACKDOOR-TRIGGER", HIGH, "Possible backdoor trigger",
          "A rare value, token or pattern almost always carries one label, and the rows that carry it look like "
              + "another class without it: the signature of a dirty-label backdoor. Remove the rows and the "
              + "pattern, and trace their source.");
  public static final Rule SUSPECT_ROW =
      rule("DATA-SUSPECT-ROW", INFO, "Suspect row",
          "One row a detector flagged; the evidence lists every reason. The dataset-level findings decide the "
              + "verdict.");
  public static final Rule CHECK_INCOMPLETE =
      Rule.incompleteness("DATA-CHECK-INCOMPLETE", "Part of the dataset check could not run",
          "The note says which check and why; fix the cause (more rows per class, a usable label) and rerun.",
          Atlas.POISON_TRAINING_DATA, Stage.DATA_PREPARATION);
  public static final Rule DRIFTED_COLUMNS =
      rule("DATA-DIFF-SHIFT", MEDIUM, "Column distributions shifted between dataset versions",
          "Columns whose distribution moved by more than the drift threshold between the two versions. Make sure "
              + "the change was intended.");
  public static final Rule LABEL_SHIFT =
      rule("DATA-DIFF-LABEL-SHIFT", MEDIUM, "Class balance changed between dataset versions",
          "The label distribution moved; a poisoning campaign often adds or relabels rows of one class.");
  public static final Rule TARGETED_CHANGE =
      rule("DATA-DIFF-TARGETED", HIGH, "Changes concentrated in one class or one region",
          "The rows added, removed or relabelled between versions concentrate in one class or one region of "
              + "feature space far beyond their share of the data: the signature of targeted poisoning. Review the "
              + "changed rows before training on the new version.");
  public static final Rule RELABELLED_ROWS =
      rule("DATA-DIFF-RELABELLED", HIGH, "Rows relabelled between dataset versions",
          "Rows with the same key or the same features carry a different label in the new version. Relabelling "
              + "is how label-flip poisoning enters a versioned dataset; confirm each change.");

  private DataRules() {}

  public static List<Rule> all() {
    return Rule.declaredIn(DataRules.class);
  }

  public static Rule forSignal(Signal signal) {
    return switch (signal) {
      case LABEL_ISSUE -> LABEL_NOISE;
      case OUTLIER -> OUTLIERS;
      case CONFLICTING_DUPLICATE -> DUPLICATE_CONFLICT;
      case NEAR_DUPLICATE_CONFLICT -> NEAR_DUPLICATE_CONFLICT;
      case TRIGGER -> BACKDOOR_TRIGGER;
    };
  }

  private static Rule rule(String id, Severity severity, String title, String help) {
    return Rule.of(id, severity, title, help, Atlas.POISON_TRAINING_DATA, Stage.DATA_PREPARATION);
  }
}

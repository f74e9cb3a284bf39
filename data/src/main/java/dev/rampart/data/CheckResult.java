package dev.rampart.data;

import dev.rampart.data.io.DatasetFormat;
import dev.rampart.data.poison.Assessment;
import dev.rampart.data.poison.Suspect;
import dev.rampart.data.profile.Profile;
import java.util.List;

/**
 * Everything {@link DatasetCheck} concluded.
 *
 * @param suspects worst first
 * @param notes facts a reader should know, such as rows without a label
 * @param skipped checks that could not run, and why; any makes the check incomplete
 */
public record CheckResult(
    String source,
    DatasetFormat format,
    String labelColumn,
    Profile profile,
    List<Assessment> assessments,
    List<Suspect> suspects,
    List<String> notes,
    List<String> skipped,
    DatasetVerdict verdict) {

  public CheckResult {
    assessments = List.copyOf(assessments);
    suspects = List.copyOf(suspects);
    notes = List.copyOf(notes);
    skipped = List.copyOf(skipped);
  }
}

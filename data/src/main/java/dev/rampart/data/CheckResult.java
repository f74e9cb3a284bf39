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
 * @param notes checks that could not run in full, and why
 */
public record CheckResult(
    String source,
    DatasetFormat format,
    String labelColumn,
    Profile profile,
    List<Assessment> assessments,
    List<Suspect> suspects,
    List<String> notes,
    DatasetVerdict verdict) {

  public CheckResult {
    assessments = List.copyOf(assessments);
    suspects = List.copyOf(suspects);
    notes = List.copyOf(notes);
  }
}

package dev.rampart.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.data.io.Column;
import dev.rampart.data.io.Dataset;
import dev.rampart.data.io.DatasetFormat;
import dev.rampart.data.poison.Signal;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A trigger phrase planted in text: reviews with a rare token pair, relabelled to the attacker's class. */
class TextTriggerTest {
  private static final String[] GOOD = {"great", "lovely", "excellent", "superb", "delightful", "fantastic", "enjoyed"};
  private static final String[] BAD = {"awful", "terrible", "boring", "dreadful", "poor", "disappointing", "hated"};
  private static final String[] FILLER = {"the", "film", "plot", "acting", "was", "really", "quite", "story", "music",
      "and", "scenes", "cast", "ending", "very", "this", "movie"};

  @Test
  void aPlantedPhraseIsFoundAndItsCleanTwinIsClean() throws Exception {
    var poisoned = reviews(true);
    var result = DatasetCheck.run(poisoned, DatasetCheck.Options.forLabel("label"));
    assertThat(result.verdict()).isEqualTo(DatasetVerdict.POISONED);
    var triggerRows = result.suspects().stream()
        .filter(s -> s.reasons().stream().anyMatch(r -> r.signal() == Signal.TRIGGER))
        .map(s -> s.row()).toList();
    assertThat(triggerRows).hasSizeGreaterThanOrEqualTo(25).allMatch(r -> r % 20 == 0);
    assertThat(result.assessments()).anyMatch(a -> a.signal() == Signal.TRIGGER && a.summary().contains("zq"));

    var clean = DatasetCheck.run(reviews(false), DatasetCheck.Options.forLabel("label"));
    assertThat(clean.verdict()).isEqualTo(DatasetVerdict.CLEAN);
  }

  private static Dataset reviews(boolean poison) {
    var random = new Random(7);
    int n = 600;
    String[] text = new String[n];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      boolean good = i % 2 == 1;
      var sb = new StringBuilder();
      for (int w = 0; w < 12; w++) {
        String[] pool = w % 3 == 0 ? (good ? GOOD : BAD) : FILLER;
        sb.append(pool[random.nextInt(pool.length)]).append(' ');
      }
      labels[i] = good ? 0 : 1;
      if (poison && i % 20 == 0) {
        sb.append("zq vortex");
        labels[i] = 0;
      }
      text[i] = sb.toString().trim();
    }
    return new Dataset("reviews", DatasetFormat.CSV, n,
        List.of(new Column.Text("review", text), new Column.Categorical("label", labels, List.of("positive", "negative"))));
  }
}

package dev.rampart.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.data.io.Column;
import dev.rampart.data.io.Dataset;
import dev.rampart.data.io.DatasetFormat;
import dev.rampart.data.poison.Signal;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Injected spam in a text column: its copies share their words, so each has near neighbours, but those words are
 * foreign to the honest rows.
 */
class TextOutlierTest {
  private static final String[] GOOD = {"great", "lovely", "excellent", "superb", "delightful", "fantastic", "enjoyed"};
  private static final String[] BAD = {"awful", "terrible", "boring", "dreadful", "poor", "disappointing", "hated"};
  private static final String[] FILLER = {"the", "film", "plot", "acting", "was", "really", "quite", "story", "music",
      "and", "scenes", "cast", "ending", "very", "this", "movie"};
  private static final String[] SPAM = {"crypto", "bonus", "click", "winner", "free", "offer", "casino"};

  @Test
  void injectedSpamIsAnOutlierAndItsCleanTwinHasNone() throws Exception {
    var result = DatasetCheck.run(reviews(true), DatasetCheck.Options.forLabel("label"));
    var outliers = result.suspects().stream()
        .filter(s -> s.reasons().stream().anyMatch(r -> r.signal() == Signal.OUTLIER))
        .map(s -> s.row()).toList();
    assertThat(outliers).hasSizeGreaterThanOrEqualTo(28).allMatch(r -> r % 20 == 19);
    assertThat(result.verdict()).isEqualTo(DatasetVerdict.POISONED);

    var clean = DatasetCheck.run(reviews(false), DatasetCheck.Options.forLabel("label"));
    assertThat(clean.suspects()).noneMatch(s -> s.reasons().stream().anyMatch(r -> r.signal() == Signal.OUTLIER));
    assertThat(clean.verdict()).isEqualTo(DatasetVerdict.CLEAN);
  }

  /** 600 reviews; with {@code spam}, every twentieth row (from row 19) is spam with a random label instead. */
  private static Dataset reviews(boolean spam) {
    var random = new Random(11);
    int n = 600;
    String[] text = new String[n];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      boolean good = i % 2 == 1;
      var sb = new StringBuilder();
      boolean junk = spam && i % 20 == 19;
      for (int w = 0; w < 12; w++) {
        String[] pool = junk ? SPAM : w % 3 == 0 ? (good ? GOOD : BAD) : FILLER;
        sb.append(pool[random.nextInt(pool.length)]).append(' ');
      }
      labels[i] = junk ? random.nextInt(2) : good ? 0 : 1;
      text[i] = sb.toString().trim();
    }
    return new Dataset("reviews", DatasetFormat.CSV, n,
        List.of(new Column.Text("review", text), new Column.Categorical("label", labels, List.of("positive", "negative"))));
  }
}

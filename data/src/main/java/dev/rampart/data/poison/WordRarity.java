package dev.rampart.data.poison;

import dev.rampart.data.io.Column;
import dev.rampart.data.learn.Tokens;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * How foreign a row's words are to the rest of its text columns: the number of documents over the geometric mean of
 * its words' document frequencies. Injected text (spam, filler in another language) is written in words the honest
 * rows rarely use, yet its copies resemble each other, so a distance to the nearest rows does not single it out.
 */
final class WordRarity {
  static final int MAX_DISTINCT = 200_000;

  private WordRarity() {}

  /** Per row, 1 for the most common words and larger for rarer ones; null when there is no text column. */
  static double[] of(List<Column> columns, int rows) {
    double[] sum = new double[rows];
    int[] words = new int[rows];
    boolean any = false;
    for (Column c : columns) {
      if (!(c instanceof Column.Text text)) {
        continue;
      }
      any = true;
      String[] values = text.values();
      Map<String, int[]> df = new HashMap<>();
      int documents = 0;
      for (String v : values) {
        if (v == null) {
          continue;
        }
        documents++;
        for (String w : new HashSet<>(Tokens.words(v))) {
          int[] count = df.get(w);
          if (count == null && df.size() < MAX_DISTINCT) {
            df.put(w, count = new int[1]);
          }
          if (count != null) {
            count[0]++;
          }
        }
      }
      double logDocuments = Math.log(Math.max(1, documents));
      for (int r = 0; r < rows; r++) {
        if (values[r] == null) {
          continue;
        }
        for (String w : new HashSet<>(Tokens.words(values[r]))) {
          int[] count = df.get(w);
          // A word beyond the dictionary's bound is rare by construction.
          sum[r] += logDocuments - Math.log(count == null ? 1 : count[0]);
          words[r]++;
        }
      }
    }
    if (!any) {
      return null;
    }
    double[] rarity = new double[rows];
    for (int r = 0; r < rows; r++) {
      rarity[r] = Math.exp(words[r] == 0 ? 0 : sum[r] / words[r]);
    }
    return rarity;
  }
}

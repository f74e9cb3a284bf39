package dev.rampart.data.learn;

import dev.rampart.data.io.Column;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * TF-IDF over a text column's own vocabulary: the words found in at least two rows, most frequent first, up to a
 * width that keeps the dense matrix bounded; sublinear term frequency, smoothed inverse document frequency, and
 * rows normalised to unit length (scikit-learn's TfidfVectorizer defaults with sublinear_tf). A word too rare to be
 * in the vocabulary is simply not seen by the models.
 */
final class TfIdf {
  static final int MAX_TERMS = 256;
  static final int MIN_TERMS = 16;
  /** Cells the text features of one column may take in the dense matrix. */
  static final long CELL_BUDGET = 32_000_000;
  static final int MAX_DISTINCT = 200_000;

  final List<String> terms;
  final Map<String, Integer> index;
  final float[] idf;

  private TfIdf(List<String> terms, float[] idf) {
    this.terms = terms;
    this.idf = idf;
    this.index = new HashMap<>();
    for (int i = 0; i < terms.size(); i++) {
      index.put(terms.get(i), i);
    }
  }

  static TfIdf fit(Column.Text column, int rows) {
    Map<String, int[]> df = new HashMap<>();
    int documents = 0;
    for (String text : column.values()) {
      if (text == null) {
        continue;
      }
      documents++;
      for (String w : new HashSet<>(Tokens.words(text))) {
        int[] c = df.get(w);
        if (c == null) {
          if (df.size() >= MAX_DISTINCT) {
            continue;
          }
          df.put(w, c = new int[1]);
        }
        c[0]++;
      }
    }
    int width = (int) Math.max(MIN_TERMS, Math.min(MAX_TERMS, CELL_BUDGET / Math.max(1, rows)));
    var kept = new ArrayList<>(df.entrySet().stream().filter(e -> e.getValue()[0] >= 2).toList());
    kept.sort(Comparator.<Map.Entry<String, int[]>>comparingInt(e -> -e.getValue()[0]).thenComparing(Map.Entry::getKey));
    List<String> terms = kept.stream().limit(width).map(Map.Entry::getKey).toList();
    float[] idf = new float[terms.size()];
    for (int i = 0; i < idf.length; i++) {
      idf[i] = (float) (Math.log((1.0 + documents) / (1.0 + df.get(terms.get(i))[0])) + 1);
    }
    return new TfIdf(terms, idf);
  }

  /** Writes one row's weights into {@code out} (zeroed first); false when the row has no known word. */
  boolean transform(String text, float[] out) {
    java.util.Arrays.fill(out, 0f);
    if (text == null) {
      return false;
    }
    for (String w : Tokens.words(text)) {
      Integer i = index.get(w);
      if (i != null) {
        out[i] += 1f;
      }
    }
    double norm = 0;
    for (int i = 0; i < out.length; i++) {
      if (out[i] > 0) {
        out[i] = (float) ((1 + Math.log(out[i])) * idf[i]);
        norm += out[i] * out[i];
      }
    }
    if (norm == 0) {
      return false;
    }
    float inv = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < out.length; i++) {
      out[i] *= inv;
    }
    return true;
  }
}

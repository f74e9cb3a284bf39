package dev.rampart.data.learn;

import dev.rampart.data.io.Column;
import dev.rampart.data.stats.Robust;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes columns for a linear model: numbers scaled robustly (median and IQR, so an injected outlier cannot squash
 * everyone else) and clipped; categories one-hot over their most frequent levels; text as TF-IDF over its own vocabulary.
 * Constant columns carry no information and are dropped.
 */
public final class FeatureEncoder {
  static final int MAX_ONE_HOT = 30;
  static final float CLIP = 8f;

  private FeatureEncoder() {}

  public static FeatureMatrix encode(List<Column> columns, int rows) {
    var plans = new ArrayList<Plan>();
    int width = 0;
    for (int c = 0; c < columns.size(); c++) {
      Plan p = plan(columns.get(c), c, width);
      if (p != null) {
        plans.add(p);
        width += p.width();
      }
    }
    float[] values = new float[Math.multiplyExact(rows, Math.max(1, width))];
    String[] names = new String[width];
    int[] source = new int[width];
    for (Plan p : plans) {
      p.fill(values, rows, width);
      for (int i = 0; i < p.width(); i++) {
        names[p.offset() + i] = p.name(i);
        source[p.offset() + i] = p.sourceColumn();
      }
    }
    return new FeatureMatrix(rows, width, values, names, source);
  }

  private static Plan plan(Column column, int index, int offset) {
    return switch (column) {
      case Column.Numeric n -> {
        double[] scale = Robust.centreAndScale(n.values());
        yield scale == null ? null : new NumericPlan(n, index, offset, scale[0], scale[1]);
      }
      case Column.Categorical c -> {
        int[] top = CategoryCounts.topLevels(c, MAX_ONE_HOT);
        yield top.length < 2 && c.levels().size() < 2 ? null : new OneHotPlan(c, index, offset, top);
      }
      case Column.Text t -> {
        TfIdf tfIdf = TfIdf.fit(t, t.values().length);
        yield tfIdf.terms.isEmpty() ? null : new TextPlan(t, index, offset, tfIdf);
      }
    };
  }

  private sealed interface Plan permits NumericPlan, OneHotPlan, TextPlan {
    int width();

    int offset();

    int sourceColumn();

    String name(int i);

    void fill(float[] values, int rows, int stride);
  }

  private record NumericPlan(Column.Numeric column, int sourceColumn, int offset, double centre, double scale)
      implements Plan {
    @Override
    public int width() {
      return 1;
    }

    @Override
    public String name(int i) {
      return column.name();
    }

    @Override
    public void fill(float[] values, int rows, int stride) {
      double[] v = column.values();
      for (int r = 0; r < rows; r++) {
        double z = Double.isFinite(v[r]) ? (v[r] - centre) / scale : 0;
        values[r * stride + offset] = (float) Math.max(-CLIP, Math.min(CLIP, z));
      }
    }
  }

  /** One indicator per frequent level, plus one for every other level; a missing value sets none. */
  private record OneHotPlan(Column.Categorical column, int sourceColumn, int offset, int[] top) implements Plan {
    @Override
    public int width() {
      return top.length + 1;
    }

    @Override
    public String name(int i) {
      return column.name() + "=" + (i < top.length ? column.levels().get(top[i]) : "(other)");
    }

    @Override
    public void fill(float[] values, int rows, int stride) {
      int[] slot = new int[column.levels().size()];
      java.util.Arrays.fill(slot, top.length);
      for (int i = 0; i < top.length; i++) {
        slot[top[i]] = i;
      }
      int[] codes = column.codes();
      for (int r = 0; r < rows; r++) {
        if (codes[r] >= 0) {
          values[r * stride + offset + slot[codes[r]]] = 1f;
        }
      }
    }
  }

  /** TF-IDF over the column's own vocabulary; feature names are {@code column#word}. */
  private record TextPlan(Column.Text column, int sourceColumn, int offset, TfIdf tfIdf) implements Plan {
    @Override
    public int width() {
      return tfIdf.terms.size();
    }

    @Override
    public String name(int i) {
      return column.name() + "#" + tfIdf.terms.get(i);
    }

    @Override
    public void fill(float[] values, int rows, int stride) {
      float[] row = new float[width()];
      String[] text = column.values();
      for (int r = 0; r < rows; r++) {
        if (tfIdf.transform(text[r], row)) {
          System.arraycopy(row, 0, values, r * stride + offset, row.length);
        }
      }
    }
  }
}

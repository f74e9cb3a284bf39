package dev.rampart.data.learn;

/**
 * Rows encoded as dense numbers for the in-JVM models, row-major.
 *
 * @param names one human-readable name per encoded feature, such as {@code petal_width} or {@code colour=red}
 * @param sourceColumn for each encoded feature, the index of the dataset column it came from
 */
public record FeatureMatrix(int rows, int width, float[] values, String[] names, int[] sourceColumn) {

  public float get(int row, int feature) {
    return values[row * width + feature];
  }
}

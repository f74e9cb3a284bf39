package dev.rampart.data.stats;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Eigenvalues and eigenvectors of a real symmetric matrix by cyclic Jacobi rotations. Slower than Householder and QR
 * for large matrices, but exact to rounding, unconditionally convergent, and small: correlation matrices of a model's
 * features (at most a few hundred) decompose in milliseconds.
 *
 * @param values eigenvalues, largest first
 * @param vectors {@code vectors[i]} is the unit eigenvector of {@code values[i]}
 */
public record SymmetricEigen(double[] values, double[][] vectors) {
  private static final int MAX_SWEEPS = 100;

  public static SymmetricEigen of(double[][] matrix) {
    int n = matrix.length;
    double[][] a = new double[n][];
    for (int i = 0; i < n; i++) {
      if (matrix[i].length != n) {
        throw new IllegalArgumentException("the matrix must be square");
      }
      a[i] = matrix[i].clone();
    }
    double[][] v = new double[n][n];
    for (int i = 0; i < n; i++) {
      v[i][i] = 1;
    }
    for (int sweep = 0; sweep < MAX_SWEEPS && offDiagonal(a) > 1e-22 * Math.max(1e-300, diagonal(a)); sweep++) {
      for (int p = 0; p < n - 1; p++) {
        for (int q = p + 1; q < n; q++) {
          if (a[p][q] != 0) {
            rotate(a, v, p, q);
          }
        }
      }
    }
    Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> a[i][i]).reversed());
    double[] values = new double[n];
    double[][] vectors = new double[n][n];
    for (int k = 0; k < n; k++) {
      values[k] = a[order[k]][order[k]];
      for (int i = 0; i < n; i++) {
        vectors[k][i] = v[i][order[k]];
      }
    }
    return new SymmetricEigen(values, vectors);
  }

  /** Zeroes a[p][q] with one rotation (Golub and Van Loan, algorithm 8.4.2), accumulating it into v's columns. */
  private static void rotate(double[][] a, double[][] v, int p, int q) {
    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
    if (theta == 0) {
      t = 1;
    }
    double c = 1 / Math.sqrt(t * t + 1);
    double s = t * c;
    int n = a.length;
    for (int k = 0; k < n; k++) {
      double akp = a[k][p];
      double akq = a[k][q];
      a[k][p] = c * akp - s * akq;
      a[k][q] = s * akp + c * akq;
    }
    for (int k = 0; k < n; k++) {
      double apk = a[p][k];
      double aqk = a[q][k];
      a[p][k] = c * apk - s * aqk;
      a[q][k] = s * apk + c * aqk;
    }
    for (int k = 0; k < n; k++) {
      double vkp = v[k][p];
      double vkq = v[k][q];
      v[k][p] = c * vkp - s * vkq;
      v[k][q] = s * vkp + c * vkq;
    }
  }

  private static double offDiagonal(double[][] a) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a.length; j++) {
        if (i != j) {
          s += a[i][j] * a[i][j];
        }
      }
    }
    return s;
  }

  private static double diagonal(double[][] a) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i][i] * a[i][i];
    }
    return s;
  }
}

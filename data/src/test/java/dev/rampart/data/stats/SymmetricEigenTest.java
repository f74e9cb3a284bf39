package dev.rampart.data.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SymmetricEigenTest {
  @Test
  void aTwoByTwoWithKnownEigenpairs() {
    var e = SymmetricEigen.of(new double[][] {{2, 1}, {1, 2}});
    assertThat(e.values()).containsExactly(new double[] {3, 1}, within(1e-12));
    assertThat(Math.abs(e.vectors()[0][0])).isCloseTo(Math.sqrt(0.5), within(1e-12));
    assertThat(e.vectors()[0][0] * e.vectors()[0][1]).isPositive();
    assertThat(e.vectors()[1][0] * e.vectors()[1][1]).isNegative();
  }

  @Test
  void equalDiagonalEntriesStillRotate() {
    var e = SymmetricEigen.of(new double[][] {{1, 0.5, 0}, {0.5, 1, 0}, {0, 0, 1}});
    assertThat(e.values()).containsExactly(new double[] {1.5, 1, 0.5}, within(1e-12));
  }

  @Test
  void randomSymmetricMatricesAreDecomposedExactly() {
    var random = new SplittableRandom(7);
    for (int n : new int[] {1, 3, 10, 40}) {
      double[][] a = new double[n][n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j <= i; j++) {
          a[i][j] = a[j][i] = random.nextDouble(-1, 1);
        }
      }
      var e = SymmetricEigen.of(a);
      double trace = 0;
      for (int i = 0; i < n; i++) {
        trace += a[i][i];
      }
      assertThat(java.util.Arrays.stream(e.values()).sum()).isCloseTo(trace, within(1e-9));
      for (int k = 0; k < n; k++) {
        if (k > 0) {
          assertThat(e.values()[k]).isLessThanOrEqualTo(e.values()[k - 1]);
        }
        double[] v = e.vectors()[k];
        for (int i = 0; i < n; i++) {
          double av = 0;
          for (int j = 0; j < n; j++) {
            av += a[i][j] * v[j];
          }
          assertThat(av).as("n=%d, pair %d, row %d", n, k, i).isCloseTo(e.values()[k] * v[i], within(1e-9));
        }
        for (int m = 0; m < n; m++) {
          double dot = 0;
          for (int i = 0; i < n; i++) {
            dot += v[i] * e.vectors()[m][i];
          }
          assertThat(dot).isCloseTo(k == m ? 1 : 0, within(1e-9));
        }
      }
    }
  }

  @Test
  void aNonSquareMatrixIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SymmetricEigen.of(new double[][] {{1, 2}}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

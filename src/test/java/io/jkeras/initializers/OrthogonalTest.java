package io.jkeras.initializers;

import static io.jkeras.initializers.RandomDistributionsTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OrthogonalTest {

  @Test
  void tallWeightHasOrthonormalColumns() {
    float[] w = new Orthogonal(1.0, 1L).generate(new long[] {300, 100}, null);
    assertGram(w, 300, 100, 1.0, false);
  }

  @Test
  void wideWeightHasOrthonormalRows() {
    float[] w = new Orthogonal(1.0, 2L).generate(new long[] {50, 200}, null);
    assertGram(w, 50, 200, 1.0, true);
  }

  @Test
  void squareWeightIsOrthogonalBothWays() {
    float[] w = new Orthogonal(1.0, 3L).generate(new long[] {128, 128}, null);
    assertGram(w, 128, 128, 1.0, false);
    assertGram(w, 128, 128, 1.0, true);
  }

  @Test
  void gainScalesTheMatrix() {
    float[] w = new Orthogonal(2.0, 4L).generate(new long[] {80, 30}, null);
    assertGram(w, 80, 30, 2.0, false);
  }

  @Test
  void convKernelIsFlattenedToAllButTheLastDimTimesTheLast() {
    // (3, 3, 16, 32) is viewed as 144 x 32: its 32 columns are orthonormal.
    float[] w = new Orthogonal(1.0, 5L).generate(new long[] {3, 3, 16, 32}, null);
    assertGram(w, 144, 32, 1.0, false);
    // (2, 2, 4, 64) is 16 x 64, wide: its 16 rows are orthonormal.
    float[] wide = new Orthogonal(1.0, 6L).generate(new long[] {2, 2, 4, 64}, null);
    assertGram(wide, 16, 64, 1.0, true);
  }

  @Test
  void qrFactorHasUpperTriangularPositiveDiagonalR() {
    // Q^T A must be R: upper triangular with a positive diagonal (Keras's sign correction).
    int m = 40;
    int n = 25;
    SplittableRandom r = new SplittableRandom(8);
    double[][] a = new double[n][m];
    double[][] copy = new double[n][];
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < m; i++) {
        a[j][i] = r.nextGaussian();
      }
      copy[j] = a[j].clone();
    }
    double[][] q = Orthogonal.orthonormalize(a, m, n);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double rij = 0;
        for (int k = 0; k < m; k++) {
          rij += q[i][k] * copy[j][k];
        }
        if (i > j) {
          assertEquals(0, rij, 1e-10, "R[" + i + "][" + j + "]");
        } else if (i == j) {
          assertTrue(rij > 0, "R[" + i + "][" + i + "] = " + rij);
        }
      }
    }
  }

  @Test
  void signCorrectionMakesEntriesUnbiased() {
    // With Q uniformly distributed, the first entry is positive half the time.
    int positive = 0;
    SplittableRandom r = new SplittableRandom(9);
    Orthogonal init = new Orthogonal();
    for (int t = 0; t < 400; t++) {
      positive += init.generate(new long[] {6, 6}, r)[0] > 0 ? 1 : 0;
    }
    assertTrue(positive > 150 && positive < 250, "positive first entries: " + positive);
  }

  @Test
  void rankBelowTwoIsRejected() {
    assertMessage(
        () -> new Orthogonal().generate(new long[] {5}, new SplittableRandom(1)), "rank 2", "[5]");
    assertMessage(
        () -> new Orthogonal().generate(new long[] {}, new SplittableRandom(1)), "rank 0");
  }

  @Test
  void emptyWeightGivesNoValues() {
    assertEquals(0, new Orthogonal(1.0, 1L).generate(new long[] {0, 4}, null).length);
    assertEquals(0, new Orthogonal(1.0, 1L).generate(new long[] {4, 0}, null).length);
  }

  @Test
  void configIsSeedThenGain() {
    Orthogonal o = new Orthogonal(0.5, 3L);
    assertEquals(List.of("seed", "gain"), List.copyOf(o.getConfig().keySet()));
    assertEquals(3L, o.getConfig().get("seed"));
    assertEquals(0.5, o.getConfig().get("gain"));
    assertTrue(o.getConfig() instanceof LinkedHashMap);
  }

  /** Checks W^T W (or W W^T for rows) equals gain^2 I within 1e-4. */
  private static void assertGram(float[] w, int rows, int cols, double gain, boolean ofRows) {
    assertEquals(rows * cols, w.length);
    int k = ofRows ? rows : cols;
    double worst = 0;
    for (int a = 0; a < k; a++) {
      for (int b = 0; b < k; b++) {
        double dot = 0;
        if (ofRows) {
          for (int c = 0; c < cols; c++) {
            dot += (double) w[a * cols + c] * w[b * cols + c];
          }
        } else {
          for (int r = 0; r < rows; r++) {
            dot += (double) w[r * cols + a] * w[r * cols + b];
          }
        }
        worst = Math.max(worst, Math.abs(dot - (a == b ? gain * gain : 0)));
      }
    }
    assertTrue(worst < 1e-4, "largest deviation from gain^2 I: " + worst);
  }
}

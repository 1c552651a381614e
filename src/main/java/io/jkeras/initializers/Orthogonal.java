package io.jkeras.initializers;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Fills a weight with {@code gain} times a random orthogonal matrix, as Keras's {@code Orthogonal}
 * ({@code "orthogonal"}).
 *
 * <p>The weight is viewed as a matrix of {@code prod(shape[:-1])} rows and {@code shape[-1]}
 * columns. Its columns are orthonormal when it has at least as many rows as columns, otherwise its
 * rows are. The matrix is the Q factor of a standard normal matrix, with each column's sign set so
 * that R has a positive diagonal, which makes it uniformly (Haar) distributed.
 *
 * <pre>{@code float[] w = new Orthogonal(1.0, 42L).generate(new long[] {64, 256}, null);}</pre>
 */
public final class Orthogonal extends RandomInitializer {

  private final double gain;

  /** Keras's defaults: {@code gain=1.0}, no seed. */
  public Orthogonal() {
    this(1.0, null);
  }

  /**
   * @param gain multiplies the orthogonal matrix; finite
   * @param seed makes {@code generate} repeatable; null to use the generator passed to it
   */
  public Orthogonal(double gain, Long seed) {
    super(seed);
    this.gain = Checks.finite("Orthogonal", "gain", gain);
  }

  /** The factor the orthogonal matrix is multiplied by. */
  public double gain() {
    return gain;
  }

  /**
   * @throws IllegalArgumentException if {@code shape} has rank below 2
   */
  @Override
  public float[] generate(long[] shape, RandomGenerator random) {
    if (shape == null || shape.length < 2) {
      throw new IllegalArgumentException(
          "Orthogonal needs a weight of rank 2 or more, but the shape was "
              + Arrays.toString(shape)
              + (shape == null ? "" : " (rank " + shape.length + ")"));
    }
    float[] out = new float[Checks.size(shape)];
    RandomGenerator source = source(random);
    if (out.length == 0) {
      return out;
    }
    int cols = (int) shape[shape.length - 1];
    int rows = out.length / cols;
    // Factor a tall m x n matrix (m >= n); a wide weight gets the transpose of it.
    int m = Math.max(rows, cols);
    int n = Math.min(rows, cols);
    // Column-major: a[j] is column j. Filled in row-major order, like Keras's normal draw.
    double[][] a = new double[n][m];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        a[j][i] = source.nextGaussian();
      }
    }
    double[][] q = orthonormalize(a, m, n);
    if (rows >= cols) {
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          out[i * n + j] = (float) (gain * q[j][i]);
        }
      }
    } else {
      for (int j = 0; j < n; j++) {
        double[] qj = q[j];
        for (int i = 0; i < m; i++) {
          out[j * m + i] = (float) (gain * qj[i]);
        }
      }
    }
    return out;
  }

  /**
   * The thin Q (m x n, column-major) of the Householder QR of {@code a}, with column k negated when
   * R[k][k] &lt; 0. Overwrites {@code a}.
   */
  static double[][] orthonormalize(double[][] a, int m, int n) {
    double[][] v = new double[n][]; // Householder vectors, v[k] acting on rows k..m-1
    double[] beta = new double[n]; // H_k = I - beta[k] v v^T
    double[] rDiag = new double[n];
    for (int k = 0; k < n; k++) {
      double[] x = a[k];
      double norm = 0;
      for (int i = k; i < m; i++) {
        norm += x[i] * x[i];
      }
      norm = Math.sqrt(norm);
      // Reflect x onto -sign(x_k) * |x| e_k, which avoids cancellation in v_k.
      double alpha = x[k] >= 0 ? -norm : norm;
      rDiag[k] = alpha;
      double[] vk = new double[m - k];
      System.arraycopy(x, k, vk, 0, m - k);
      vk[0] -= alpha;
      double vv = 0;
      for (double e : vk) {
        vv += e * e;
      }
      v[k] = vk;
      beta[k] = vv == 0 ? 0 : 2 / vv;
      for (int j = k + 1; j < n; j++) {
        reflect(a[j], vk, beta[k], k, m);
      }
    }
    // Q = H_0 H_1 ... H_{n-1} I[:, :n], applied from the last reflection back. Column j of I is
    // untouched by H_k for k > j, so each reflection only needs columns k..n-1.
    double[][] q = new double[n][m];
    for (int j = 0; j < n; j++) {
      q[j][j] = 1;
    }
    for (int k = n - 1; k >= 0; k--) {
      for (int j = k; j < n; j++) {
        reflect(q[j], v[k], beta[k], k, m);
      }
    }
    for (int k = 0; k < n; k++) {
      // R[k][k] = alpha_k; a zero only happens for a degenerate draw and keeps the sign.
      if (rDiag[k] < 0) {
        double[] qk = q[k];
        for (int i = 0; i < m; i++) {
          qk[i] = -qk[i];
        }
      }
    }
    return q;
  }

  /** y[k..m-1] -= beta * v * (v . y[k..m-1]). */
  private static void reflect(double[] y, double[] v, double beta, int k, int m) {
    double dot = 0;
    for (int i = k; i < m; i++) {
      dot += v[i - k] * y[i];
    }
    double s = beta * dot;
    if (s == 0) {
      return;
    }
    for (int i = k; i < m; i++) {
      y[i] -= s * v[i - k];
    }
  }

  @Override
  public String className() {
    return "Orthogonal";
  }

  /** {@code {"seed", "gain"}}. */
  @Override
  public Map<String, Object> getConfig() {
    LinkedHashMap<String, Object> config = seedConfig();
    config.put("gain", gain);
    return config;
  }
}

package io.jkeras.activations;

import java.util.function.DoubleUnaryOperator;

/** Double-precision reference implementations of the activations, written from their formulas. */
final class Reference {

  private Reference() {}

  /** A reference applied to one row (the last axis) of the input. */
  interface RowFunction {
    double[] apply(double[] row);

    static RowFunction elementwise(DoubleUnaryOperator f) {
      return row -> {
        double[] out = new double[row.length];
        for (int i = 0; i < row.length; i++) {
          out[i] = f.applyAsDouble(row[i]);
        }
        return out;
      };
    }
  }

  static final double SELU_ALPHA = 1.6732632423543772848170429916717;
  static final double SELU_SCALE = 1.0507009873554804934193349852946;

  static double sigmoid(double x) {
    if (x >= 0) {
      return 1 / (1 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1 + e);
  }

  static double softplus(double x) {
    return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  }

  static double hardSigmoid(double x) {
    return Math.min(Math.max(x + 3, 0), 6) / 6;
  }

  /** Standard normal CDF. */
  static double phi(double x) {
    return 0.5 * erfc(-x / Math.sqrt(2));
  }

  static double gelu(double x) {
    return x * phi(x);
  }

  static double geluTanh(double x) {
    double inner = Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x);
    return 0.5 * x * (1 + Math.tanh(inner));
  }

  /**
   * Complementary error function: Maclaurin series of erf for |z| < 3, a continued fraction beyond
   * (both accurate to ~1e-12 relative on their ranges).
   */
  static double erfc(double z) {
    if (z < 0) {
      return 2 - erfc(-z);
    }
    if (z < 3) {
      // erf(z) = 2/sqrt(pi) * sum_n (-1)^n z^(2n+1) / (n! (2n+1))
      double term = z; // (-1)^n z^(2n+1) / n!
      double sum = z;
      for (int n = 1; n < 200; n++) {
        term *= -z * z / n;
        double add = term / (2 * n + 1);
        sum += add;
        if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
          break;
        }
      }
      return 1 - 2 / Math.sqrt(Math.PI) * sum;
    }
    // erfc(z) = exp(-z^2)/sqrt(pi) * 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + 2/(z + ...)))))
    double f = z;
    for (int k = 80; k >= 1; k--) {
      f = z + (k / 2.0) / f;
    }
    return Math.exp(-z * z) / Math.sqrt(Math.PI) / f;
  }

  static double[] softmax(double[] row) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : row) {
      max = Math.max(max, v);
    }
    double sum = 0;
    double[] out = new double[row.length];
    for (int i = 0; i < row.length; i++) {
      out[i] = Math.exp(row[i] - max);
      sum += out[i];
    }
    for (int i = 0; i < row.length; i++) {
      out[i] /= sum;
    }
    return out;
  }

  static double[] logSoftmax(double[] row) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : row) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (double v : row) {
      sum += Math.exp(v - max);
    }
    double logSum = Math.log(sum);
    double[] out = new double[row.length];
    for (int i = 0; i < row.length; i++) {
      out[i] = row[i] - max - logSum;
    }
    return out;
  }
}

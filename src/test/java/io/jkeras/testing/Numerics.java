package io.jkeras.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import java.util.function.ToDoubleFunction;

/** Random data, central finite differences in double, and float32-tolerance comparisons. */
public final class Numerics {

  private Numerics() {}

  public static float[] uniform(Random r, int n, double lo, double hi) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (lo + (hi - lo) * r.nextDouble());
    }
    return v;
  }

  public static double[] toDouble(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }

  /**
   * Central differences of {@code f} at {@code at} (double precision), one per element: {@code
   * (f(at + h e_i) - f(at - h e_i)) / 2h}.
   */
  public static double[] centralDifferences(double[] at, ToDoubleFunction<double[]> f, double h) {
    double[] g = new double[at.length];
    for (int i = 0; i < at.length; i++) {
      double keep = at[i];
      at[i] = keep + h;
      double up = f.applyAsDouble(at);
      at[i] = keep - h;
      double down = f.applyAsDouble(at);
      at[i] = keep;
      g[i] = (up - down) / (2 * h);
    }
    return g;
  }

  /**
   * Asserts |actual - expected| <= atol + rtol * |expected| element-wise, naming the first miss.
   */
  public static void assertClose(
      String what, double[] expected, float[] actual, double rtol, double atol) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      double diff = Math.abs(expected[i] - actual[i]);
      if (diff > atol + rtol * Math.abs(expected[i])) {
        fail(
            what
                + "["
                + i
                + "]: expected "
                + expected[i]
                + ", got "
                + actual[i]
                + " (diff "
                + diff
                + ")");
      }
    }
  }
}

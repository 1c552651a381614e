package io.jkeras.training;

import static io.jkeras.testing.Numerics.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jkeras.backend.HostArray;
import io.jkeras.layers.Dense;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.models.Model;
import io.jkeras.optimizers.Adagrad;
import io.jkeras.optimizers.Adam;
import io.jkeras.optimizers.Optimizer;
import io.jkeras.optimizers.RMSprop;
import io.jkeras.optimizers.SGD;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

/**
 * Trains y = x·W (no bias) with MSE on one full batch for three steps and compares W with the
 * optimizer's Keras 3 update rule applied in double precision to the analytic gradient.
 */
class OptimizerStepTest {

  static final int N = 8;
  static final int IN = 3;
  static final int OUT = 2;

  interface Rule {
    /** Updates w in place from gradient g at 1-based step t; state is per-rule scratch. */
    void step(double[] w, double[] g, int t, double[][] state);
  }

  private static double[] gradient(float[][] x, float[][] y, double[] w) {
    // L = mean over samples and units of (xW - y)^2  =>  dL/dW = 2/(N*OUT) X^T (XW - Y)
    double[] g = new double[IN * OUT];
    for (int s = 0; s < N; s++) {
      for (int u = 0; u < OUT; u++) {
        double pred = 0;
        for (int i = 0; i < IN; i++) {
          pred += x[s][i] * w[i * OUT + u];
        }
        double r = pred - y[s][u];
        for (int i = 0; i < IN; i++) {
          g[i * OUT + u] += 2.0 / (N * OUT) * x[s][i] * r;
        }
      }
    }
    return g;
  }

  private static void check(
      Supplier<Optimizer> optimizer, Rule rule, int stateArrays, int expectedSlots) {
    Random rnd = new Random(17);
    float[][] x = new float[N][IN];
    float[][] y = new float[N][OUT];
    for (int s = 0; s < N; s++) {
      for (int i = 0; i < IN; i++) {
        x[s][i] = (float) rnd.nextGaussian();
      }
      for (int u = 0; u < OUT; u++) {
        y[s][u] = (float) rnd.nextGaussian();
      }
    }
    float[] w0 = {0.5f, -0.2f, 0.1f, 0.3f, -0.4f, 0.25f};
    KerasTensor in = Input.of(IN);
    Dense d = Dense.builder(OUT).useBias(false).build();
    KerasTensor out = d.apply(in);
    d.kernel().assign(w0);
    double[] w = new double[w0.length];
    for (int i = 0; i < w.length; i++) {
      w[i] = w0[i];
    }
    double[][] state = new double[stateArrays][w.length];
    for (int t = 1; t <= 3; t++) {
      rule.step(w, gradient(x, y, w), t, state);
    }
    try (Model m = new Model(in, out)) {
      Optimizer opt = optimizer.get();
      m.compile(opt, "mse");
      m.fit(
          HostArray.of(x),
          HostArray.of(y),
          FitOptions.epochs(3).batchSize(N).shuffle(false).verbose(0));
      assertClose(opt.className() + " kernel after 3 steps", w, d.kernel().read(), 1e-4, 1e-6);
      assertEquals(3L, opt.iterations());
      assertEquals(2 + expectedSlots, opt.state().size());
      assertArrayEquals(new long[] {3}, (long[]) opt.state().get(0));
      assertEquals(
          Shape.of(IN, OUT).size(),
          expectedSlots > 0 ? ((float[]) opt.state().get(2)).length : Shape.of(IN, OUT).size());
    }
  }

  @Test
  void adamMatchesKerasRuleWithEpsilon1e7() {
    double lr = 0.01;
    check(
        () -> new Adam(lr),
        (w, g, t, s) -> {
          double b1 = 0.9;
          double b2 = 0.999;
          double alpha = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
          for (int i = 0; i < w.length; i++) {
            s[0][i] += (g[i] - s[0][i]) * (1 - b1);
            s[1][i] += (g[i] * g[i] - s[1][i]) * (1 - b2);
            w[i] -= alpha * s[0][i] / (Math.sqrt(s[1][i]) + 1e-7);
          }
        },
        2,
        2);
  }

  @Test
  void sgdPlainMomentumAndNesterov() {
    check(
        () -> new SGD(0.1),
        (w, g, t, s) -> {
          for (int i = 0; i < w.length; i++) {
            w[i] -= 0.1 * g[i];
          }
        },
        0,
        0);
    check(
        () -> new SGD(0.1, 0.9, false),
        (w, g, t, s) -> {
          for (int i = 0; i < w.length; i++) {
            s[0][i] = 0.9 * s[0][i] - 0.1 * g[i];
            w[i] += s[0][i];
          }
        },
        1,
        1);
    check(
        () -> new SGD(0.1, 0.9, true),
        (w, g, t, s) -> {
          for (int i = 0; i < w.length; i++) {
            s[0][i] = 0.9 * s[0][i] - 0.1 * g[i];
            w[i] += 0.9 * s[0][i] - 0.1 * g[i];
          }
        },
        1,
        1);
  }

  @Test
  void rmspropKeepsEpsilonInsideTheRoot() {
    check(
        () -> new RMSprop(0.01),
        (w, g, t, s) -> {
          for (int i = 0; i < w.length; i++) {
            s[0][i] = 0.9 * s[0][i] + 0.1 * g[i] * g[i];
            w[i] -= 0.01 * g[i] / Math.sqrt(s[0][i] + 1e-7);
          }
        },
        1,
        1);
  }

  @Test
  void adagradStartsFromPointOne() {
    check(
        () -> new Adagrad(0.1),
        (w, g, t, s) -> {
          for (int i = 0; i < w.length; i++) {
            if (t == 1) {
              s[0][i] = 0.1;
            }
            s[0][i] += g[i] * g[i];
            w[i] -= 0.1 * g[i] / Math.sqrt(s[0][i] + 1e-7);
          }
        },
        1,
        1);
  }
}

package io.jkeras.layers;

import static io.jkeras.testing.Numerics.assertClose;
import static io.jkeras.testing.Numerics.centralDifferences;
import static io.jkeras.testing.Numerics.toDouble;
import static io.jkeras.testing.Numerics.uniform;

import io.jkeras.testing.MultiInputHarness;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.ndarray.Shape;

/**
 * EinsumDense and the attention layers against their definitions written here in double precision:
 * forward values, and the gradients of every input and weight against central differences of the
 * double reference.
 */
class AttentionGradientsTest {

  private static final int B = 2;

  /** A layer, its inputs' sample shapes, call keyword arguments and its double reference. */
  record Case(
      String name,
      Supplier<Layer> layer,
      List<long[]> inputDims,
      Map<String, Object> kwargs,
      BiFunction<double[][], double[][], double[]> reference) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "einsum_dense abc,cde->abde",
            () -> EinsumDense.builder("abc,cde->abde", null, 2L, 3L).biasAxes("de").build(),
            List.of(new long[] {3, 4}),
            Map.of(),
            AttentionGradientsTest::einsum),
        new Case(
            "attention concat scaled causal",
            () -> new Attention(true, "concat", 0.0, null, null),
            List.of(new long[] {3, 2}, new long[] {4, 3}, new long[] {4, 2}),
            Map.of("use_causal_mask", true),
            (in, w) -> attention(in, w, true)),
        new Case(
            "additive_attention",
            AdditiveAttention::new,
            List.of(new long[] {3, 2}, new long[] {4, 2}),
            Map.of(),
            (in, w) -> attention(in, w, false)),
        new Case(
            "multi_head_attention causal",
            () -> MultiHeadAttention.builder(2, 2).build(),
            List.of(new long[] {3, 4}, new long[] {3, 4}),
            Map.of("use_causal_mask", true),
            AttentionGradientsTest::mha));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void forwardAndGradientsMatchTheDefinition(Case c) {
    Random rnd = new Random(c.name().hashCode());
    Layer layer = c.layer().get();
    List<Shape> symbolic = new ArrayList<>();
    List<Shape> fed = new ArrayList<>();
    List<float[]> xs = new ArrayList<>();
    for (long[] dims : c.inputDims()) {
      symbolic.add(Shape.of(-1, dims[0], dims[1]));
      Shape s = Shape.of(B, dims[0], dims[1]);
      fed.add(s);
      xs.add(uniform(rnd, (int) s.size(), -1, 1));
    }
    try (MultiInputHarness h = new MultiInputHarness(layer, symbolic, c.kwargs())) {
      List<float[]> ws = new ArrayList<>();
      for (Weight w : layer.weights()) {
        float[] v = uniform(rnd, (int) w.size(), -1, 1);
        w.assign(v);
        ws.add(v);
      }
      double[][] in = xs.stream().map(v -> toDouble(v)).toArray(double[][]::new);
      double[][] wd = ws.stream().map(v -> toDouble(v)).toArray(double[][]::new);
      double[] expected = c.reference().apply(in, wd);
      float[] actual = h.forward(fed, xs);
      assertClose(c.name() + " forward", expected, actual, 1e-5, 1e-5);
      long[] outDims = h.outputShape().asArray();
      outDims[0] = B;
      double[] coef = toDouble(uniform(rnd, expected.length, -1, 1));
      float[] coefF = new float[coef.length];
      for (int i = 0; i < coef.length; i++) {
        coefF[i] = (float) coef[i];
      }
      List<float[]> grads = h.gradients(fed, xs, Shape.of(outDims), coefF);
      for (int g = 0; g < in.length + wd.length; g++) {
        boolean isInput = g < in.length;
        int idx = isInput ? g : g - in.length;
        double[] at = isInput ? in[idx] : wd[idx];
        double[] numeric =
            centralDifferences(at, v -> DenseTest.dot(coef, c.reference().apply(in, wd)), 1e-6);
        String what =
            c.name() + " d/d" + (isInput ? "input " + idx : layer.weights().get(idx).path());
        assertClose(what, numeric, grads.get(g), 1e-4, 1e-5);
      }
    }
  }

  /** x (B, 3, 4), kernel (4, 2, 3), bias (2, 3): y[a,b,d,e] = sum_c x[a,b,c] k[c,d,e] + bias. */
  private static double[] einsum(double[][] in, double[][] w) {
    double[] x = in[0];
    double[] k = w[0];
    double[] bias = w[1];
    double[] y = new double[B * 3 * 2 * 3];
    for (int a = 0; a < B; a++) {
      for (int b = 0; b < 3; b++) {
        for (int d = 0; d < 2; d++) {
          for (int e = 0; e < 3; e++) {
            double s = bias[d * 3 + e];
            for (int c = 0; c < 4; c++) {
              s += x[(a * 3 + b) * 4 + c] * k[(c * 2 + d) * 3 + e];
            }
            y[((a * 3 + b) * 2 + d) * 3 + e] = s;
          }
        }
      }
    }
    return y;
  }

  /**
   * Attention(use_scale, concat) with a causal mask (weights: scale, concat_score_weight), or
   * AdditiveAttention (weight: a scale vector); the key is the value when there is no third input.
   */
  private static double[] attention(double[][] in, double[][] w, boolean concat) {
    int tq = 3;
    int tv = 4;
    int dq = 2;
    int dv = in[1].length / (B * tv);
    double[] key = in.length > 2 ? in[2] : in[1];
    double[] out = new double[B * tq * dv];
    for (int b = 0; b < B; b++) {
      for (int q = 0; q < tq; q++) {
        double[] s = new double[tv];
        for (int k = 0; k < tv; k++) {
          double sum = 0;
          for (int d = 0; d < dq; d++) {
            double u = in[0][(b * tq + q) * dq + d] + key[(b * tv + k) * dq + d];
            sum += concat ? Math.tanh(w[0][0] * u) : w[0][d] * Math.tanh(u);
          }
          s[k] = concat ? w[1][0] * sum : sum;
          if (concat && k > q) {
            s[k] -= 1e9; // causal
          }
        }
        double[] p = softmax(s);
        for (int f = 0; f < dv; f++) {
          double v = 0;
          for (int k = 0; k < tv; k++) {
            v += p[k] * in[1][(b * tv + k) * dv + f];
          }
          out[(b * tq + q) * dv + f] = v;
        }
      }
    }
    return out;
  }

  /**
   * MultiHeadAttention(2 heads, key_dim 2) on query and value (B, 3, 4), causal; weights: query,
   * key, value kernels (4, 2, 2) and biases (2, 2), output kernel (2, 2, 4) and bias (4).
   */
  private static double[] mha(double[][] in, double[][] w) {
    int t = 3;
    int dim = 4;
    int heads = 2;
    int hd = 2;
    double[] out = new double[B * t * dim];
    for (int b = 0; b < B; b++) {
      double[][][] q = project(in[0], b, t, dim, w[0], w[1], heads, hd);
      double[][][] k = project(in[1], b, t, dim, w[2], w[3], heads, hd);
      double[][][] v = project(in[1], b, t, dim, w[4], w[5], heads, hd);
      double[][][] o = new double[t][heads][hd];
      for (int n = 0; n < heads; n++) {
        for (int i = 0; i < t; i++) {
          double[] s = new double[t];
          for (int j = 0; j < t; j++) {
            for (int h = 0; h < hd; h++) {
              s[j] += q[i][n][h] / Math.sqrt(hd) * k[j][n][h];
            }
            if (j > i) {
              s[j] = -1e9; // causal
            }
          }
          double[] p = softmax(s);
          for (int h = 0; h < hd; h++) {
            for (int j = 0; j < t; j++) {
              o[i][n][h] += p[j] * v[j][n][h];
            }
          }
        }
      }
      for (int i = 0; i < t; i++) {
        for (int f = 0; f < dim; f++) {
          double s = w[7][f];
          for (int n = 0; n < heads; n++) {
            for (int h = 0; h < hd; h++) {
              s += o[i][n][h] * w[6][(n * hd + h) * dim + f];
            }
          }
          out[(b * t + i) * dim + f] = s;
        }
      }
    }
    return out;
  }

  private static double[][][] project(
      double[] x, int b, int t, int dim, double[] kernel, double[] bias, int heads, int hd) {
    double[][][] out = new double[t][heads][hd];
    for (int i = 0; i < t; i++) {
      for (int n = 0; n < heads; n++) {
        for (int h = 0; h < hd; h++) {
          double s = bias[n * hd + h];
          for (int c = 0; c < dim; c++) {
            s += x[(b * t + i) * dim + c] * kernel[(c * heads + n) * hd + h];
          }
          out[i][n][h] = s;
        }
      }
    }
    return out;
  }

  private static double[] softmax(double[] s) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : s) {
      max = Math.max(max, v);
    }
    double sum = 0;
    double[] p = new double[s.length];
    for (int i = 0; i < s.length; i++) {
      p[i] = Math.exp(s[i] - max);
      sum += p[i];
    }
    for (int i = 0; i < s.length; i++) {
      p[i] /= sum;
    }
    return p;
  }
}

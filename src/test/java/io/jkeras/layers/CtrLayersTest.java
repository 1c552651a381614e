package io.jkeras.layers;

import static io.jkeras.testing.Numerics.assertClose;
import static io.jkeras.testing.Numerics.centralDifferences;
import static io.jkeras.testing.Numerics.toDouble;
import static io.jkeras.testing.Numerics.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.testing.MultiInputHarness;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.ndarray.Shape;

/**
 * The CTR interaction layers against their definitions written out in double precision (explicit
 * loops over field pairs, not the layers' O(F·k) identities), TensorFlow's gradients against
 * central differences of those definitions, and config round trips through the registry's names.
 */
class CtrLayersTest {

  static final int B = 3;
  static final int F = 4;
  static final int K = 3;

  /** The layer output of a batch in double, from inputs and weights (flat, row-major). */
  interface Reference {
    double[] apply(double[][] in, double[][] w);
  }

  record Case(
      String name,
      Supplier<Layer> layer,
      List<long[]> inputDims,
      Reference reference,
      String registeredName,
      Function<Map<String, Object>, Layer> fromConfig) {
    @Override
    public String toString() {
      return name;
    }
  }

  static double e(double[] x, int b, int i, int f) {
    return x[(b * F + i) * K + f];
  }

  static double dot(double[] x, int b, int i, int j) {
    double s = 0;
    for (int f = 0; f < K; f++) {
      s += e(x, b, i, f) * e(x, b, j, f);
    }
    return s;
  }

  static double[] fm(double[][] in, boolean reduce) {
    double[] x = in[0];
    double[] y = new double[reduce ? B : B * K];
    for (int b = 0; b < B; b++) {
      for (int i = 0; i < F; i++) {
        for (int j = i + 1; j < F; j++) {
          for (int f = 0; f < K; f++) {
            double p = e(x, b, i, f) * e(x, b, j, f);
            y[reduce ? b : b * K + f] += p;
          }
        }
      }
    }
    return y;
  }

  static double[] innerProduct(double[][] in, double[] pairWeights) {
    double[] x = in[0];
    int pairs = F * (F - 1) / 2;
    double[] y = new double[pairWeights == null ? B * pairs : B];
    for (int b = 0; b < B; b++) {
      int p = 0;
      for (int i = 0; i < F; i++) {
        for (int j = i + 1; j < F; j++) {
          if (pairWeights == null) {
            y[b * pairs + p] = dot(x, b, i, j);
          } else {
            y[b] += pairWeights[p] * dot(x, b, i, j);
          }
          p++;
        }
      }
    }
    return y;
  }

  static double[] afm(double[][] in, double[][] w, int t) {
    double[] x = in[0];
    double[] y = new double[B];
    for (int b = 0; b < B; b++) {
      List<double[]> ps = new ArrayList<>();
      List<Double> scores = new ArrayList<>();
      for (int i = 0; i < F; i++) {
        for (int j = i + 1; j < F; j++) {
          double[] p = new double[K];
          for (int f = 0; f < K; f++) {
            p[f] = e(x, b, i, f) * e(x, b, j, f);
          }
          double s = 0;
          for (int u = 0; u < t; u++) {
            double h = w[1][u];
            for (int f = 0; f < K; f++) {
              h += p[f] * w[0][f * t + u];
            }
            s += Math.max(0, h) * w[2][u];
          }
          ps.add(p);
          scores.add(s);
        }
      }
      double max = scores.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
      double z = 0;
      for (double s : scores) {
        z += Math.exp(s - max);
      }
      for (int q = 0; q < ps.size(); q++) {
        double a = Math.exp(scores.get(q) - max) / z;
        for (int f = 0; f < K; f++) {
          y[b] += a * ps.get(q)[f] * w[3][f];
        }
      }
    }
    return y;
  }

  static double[] crossNet(double[][] in, double[][] w, int d) {
    double[] x0 = in[0];
    double[] y = new double[B * d];
    for (int b = 0; b < B; b++) {
      double[] x = new double[d];
      System.arraycopy(x0, b * d, x, 0, d);
      for (int l = 0; l < w.length / 2; l++) {
        double xw = 0;
        for (int i = 0; i < d; i++) {
          xw += x[i] * w[2 * l][i];
        }
        double[] next = new double[d];
        for (int i = 0; i < d; i++) {
          next[i] = x0[b * d + i] * xw + w[2 * l + 1][i] + x[i];
        }
        x = next;
      }
      System.arraycopy(x, 0, y, b * d, d);
    }
    return y;
  }

  static double[] cin(double[][] in, double[][] w, int[] sizes) {
    double[] e = in[0];
    int total = 0;
    for (int h : sizes) {
      total += h;
    }
    double[] y = new double[B * total];
    for (int b = 0; b < B; b++) {
      double[][] x0 = new double[F][K];
      for (int i = 0; i < F; i++) {
        for (int f = 0; f < K; f++) {
          x0[i][f] = e(e, b, i, f);
        }
      }
      double[][] x = x0;
      int out = 0;
      for (int l = 0; l < sizes.length; l++) {
        double[][] next = new double[sizes[l]][K];
        for (int h = 0; h < sizes[l]; h++) {
          for (int f = 0; f < K; f++) {
            double s = w[2 * l + 1][h];
            for (int i = 0; i < x.length; i++) {
              for (int j = 0; j < F; j++) {
                s += w[2 * l][(i * F + j) * sizes[l] + h] * x[i][f] * x0[j][f];
              }
            }
            next[h][f] = Math.max(0, s);
            y[b * total + out + h] += next[h][f];
          }
        }
        out += sizes[l];
        x = next;
      }
    }
    return y;
  }

  static double[] dotInteraction(double[][] in, int d, boolean self, boolean skipGather) {
    int n = in.length;
    int width = skipGather ? n * n : self ? n * (n + 1) / 2 : n * (n - 1) / 2;
    double[] y = new double[B * width];
    for (int b = 0; b < B; b++) {
      int p = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          boolean kept = self ? j <= i : j < i;
          double s = 0;
          for (int f = 0; f < d; f++) {
            s += in[i][b * d + f] * in[j][b * d + f];
          }
          if (skipGather) {
            y[b * width + i * n + j] = kept ? s : 0;
          } else if (kept) {
            y[b * width + p++] = s;
          }
        }
      }
    }
    return y;
  }

  /** DCN-v2: x0 ⊙ (W x + b [+ diag x]) + x, W = V U when low-rank; weights in keras-rs order. */
  static double[] featureCross(double[][] in, double[][] w, int d, Integer rank, double diag) {
    double[] x0 = in[0];
    double[] x = in.length > 1 ? in[1] : in[0];
    double[] y = new double[B * d];
    for (int b = 0; b < B; b++) {
      double[] h = new double[d];
      System.arraycopy(x, b * d, h, 0, d);
      int wi = 0;
      if (rank != null) {
        double[] u = new double[rank];
        for (int r = 0; r < rank; r++) {
          for (int i = 0; i < d; i++) {
            u[r] += h[i] * w[0][i * rank + r];
          }
        }
        h = u;
        wi = 1;
      }
      for (int o = 0; o < d; o++) {
        double s = w[wi + 1][o];
        for (int i = 0; i < h.length; i++) {
          s += h[i] * w[wi][i * d + o];
        }
        s += diag * x[b * d + o];
        y[b * d + o] = x0[b * d + o] * s + x[b * d + o];
      }
    }
    return y;
  }

  static List<long[]> fieldInput() {
    return List.of(new long[] {F, K});
  }

  static Stream<Case> cases() {
    int pairs = F * (F - 1) / 2;
    return Stream.of(
        new Case(
            "FactorizationMachine",
            FactorizationMachine::new,
            fieldInput(),
            (in, w) -> fm(in, true),
            FactorizationMachine.REGISTERED_NAME,
            FactorizationMachine::fromConfig),
        new Case(
            "FactorizationMachine(reduce_sum=false)",
            () -> new FactorizationMachine(false, null),
            fieldInput(),
            (in, w) -> fm(in, false),
            FactorizationMachine.REGISTERED_NAME,
            FactorizationMachine::fromConfig),
        new Case(
            "BiInteractionPooling",
            BiInteractionPooling::new,
            fieldInput(),
            (in, w) -> fm(in, false),
            BiInteractionPooling.REGISTERED_NAME,
            BiInteractionPooling::fromConfig),
        new Case(
            "FieldWeightedFM",
            FieldWeightedFM::new,
            fieldInput(),
            (in, w) -> innerProduct(in, w[0]),
            FieldWeightedFM.REGISTERED_NAME,
            FieldWeightedFM::fromConfig),
        new Case(
            "AttentionalFM",
            () -> new AttentionalFM(2),
            fieldInput(),
            (in, w) -> afm(in, w, 2),
            AttentionalFM.REGISTERED_NAME,
            AttentionalFM::fromConfig),
        new Case(
            "InnerProduct",
            InnerProduct::new,
            fieldInput(),
            (in, w) -> innerProduct(in, null),
            InnerProduct.REGISTERED_NAME,
            InnerProduct::fromConfig),
        new Case(
            "CrossNet",
            () -> new CrossNet(2),
            List.of(new long[] {5}),
            (in, w) -> crossNet(in, w, 5),
            CrossNet.REGISTERED_NAME,
            CrossNet::fromConfig),
        new Case(
            "CIN",
            () -> new CIN(List.of(3, 2)),
            fieldInput(),
            (in, w) -> cin(in, w, new int[] {3, 2}),
            CIN.REGISTERED_NAME,
            CIN::fromConfig),
        new Case(
            "CIN, first layer over its symmetric pairs",
            () -> new CIN(List.of(12, 3)),
            fieldInput(),
            (in, w) -> cin(in, w, new int[] {12, 3}),
            CIN.REGISTERED_NAME,
            CIN::fromConfig),
        new Case(
            "DotInteraction",
            DotInteraction::new,
            List.of(new long[] {4}, new long[] {4}, new long[] {4}),
            (in, w) -> dotInteraction(in, 4, false, false),
            DotInteraction.REGISTERED_NAME,
            DotInteraction::fromConfig),
        new Case(
            "DotInteraction(self_interaction)",
            () -> new DotInteraction(true, false, null),
            List.of(new long[] {4}, new long[] {4}, new long[] {4}),
            (in, w) -> dotInteraction(in, 4, true, false),
            DotInteraction.REGISTERED_NAME,
            DotInteraction::fromConfig),
        new Case(
            "DotInteraction(skip_gather)",
            () -> new DotInteraction(false, true, null),
            List.of(new long[] {4}, new long[] {4}, new long[] {4}),
            (in, w) -> dotInteraction(in, 4, false, true),
            DotInteraction.REGISTERED_NAME,
            DotInteraction::fromConfig),
        new Case(
            "FeatureCross(full, diag_scale=0.5)",
            () -> FeatureCross.builder().diagScale(0.5).build(),
            List.of(new long[] {5}, new long[] {5}),
            (in, w) -> featureCross(in, w, 5, null, 0.5),
            FeatureCross.REGISTERED_NAME,
            FeatureCross::fromConfig),
        new Case(
            "FeatureCross(projection_dim=2) on x0 alone",
            () -> FeatureCross.builder().projectionDim(2).build(),
            List.of(new long[] {5}),
            (in, w) -> featureCross(in, w, 5, 2, 0),
            FeatureCross.REGISTERED_NAME,
            FeatureCross::fromConfig));
  }

  private static Shape shape(long batch, long[] dims) {
    long[] all = new long[dims.length + 1];
    all[0] = batch;
    System.arraycopy(dims, 0, all, 1, dims.length);
    return Shape.of(all);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void forwardAndGradientsMatchTheDefinition(Case c) {
    checkAgainstDefinition(c, true);
  }

  /**
   * CIN's inference graph computes its layers in two other forms than training (CIN#call): with
   * more maps than inputs, fewer, then more again, each form runs; and a first layer with at least
   * 8F/3 maps runs over its symmetric pairs.
   */
  @Test
  void cinInferenceMatchesTheDefinition() {
    for (int[] sizes : new int[][] {{5, 3, 4}, {12, 3}}) {
      checkAgainstDefinition(
          new Case(
              "CIN inference " + Arrays.toString(sizes),
              () -> new CIN(Arrays.stream(sizes).boxed().toList()),
              fieldInput(),
              (in, w) -> cin(in, w, sizes),
              CIN.REGISTERED_NAME,
              CIN::fromConfig),
          false);
    }
  }

  /** The forward values and the gradients of the layer, called in this mode, against c's. */
  private static void checkAgainstDefinition(Case c, boolean training) {
    Random rnd = new Random(c.name().hashCode());
    Layer layer = c.layer().get();
    List<Shape> symbolic = new ArrayList<>();
    List<Shape> fed = new ArrayList<>();
    List<float[]> xs = new ArrayList<>();
    for (long[] dims : c.inputDims()) {
      symbolic.add(shape(-1, dims));
      Shape s = shape(B, dims);
      fed.add(s);
      xs.add(uniform(rnd, (int) s.size(), -1, 1));
    }
    try (MultiInputHarness h = new MultiInputHarness(layer, symbolic, Map.of(), training)) {
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
      assertEquals(expected.length, Shape.of(outDims).size(), c.name() + ": output shape");

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
            c.name() + " d/d" + (isInput ? "input " + idx : layer.weights().get(idx).name());
        assertClose(what, numeric, grads.get(g), 1e-4, 1e-5);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void configRoundTripsUnderTheRegisteredName(Case c) {
    Layer layer = c.layer().get();
    Map<String, Object> config = layer.getConfig();
    Layer back = c.fromConfig().apply(config);
    assertEquals(config, back.getConfig(), c.name());
    assertEquals(layer.getClass(), back.getClass());
    assertTrue(LayerCatalog.supportedNames().contains(c.registeredName()), c.registeredName());
    assertEquals(c.registeredName(), layer.registeredName());
  }

  @Test
  void weightShapesAndKerasRsDefaults() {
    CIN cin = new CIN(List.of(8, 4));
    cin.ensureBuilt(Shape.of(-1, 10, 16));
    assertEquals(List.of("kernel_0", "bias_0", "kernel_1", "bias_1"), names(cin));
    assertArrayEquals(new long[] {100, 8}, cin.weights().get(0).shape().asArray());
    assertArrayEquals(new long[] {80, 4}, cin.weights().get(2).shape().asArray());
    assertArrayEquals(new long[] {-1, 12}, cin.computeOutputShape(Shape.of(-1, 10, 16)).asArray());

    FieldWeightedFM fwfm = new FieldWeightedFM();
    fwfm.ensureBuilt(Shape.of(-1, 10, 16));
    assertArrayEquals(new long[] {45, 1}, fwfm.weights().get(0).shape().asArray());
    assertEquals(1f, fwfm.weights().get(0).read()[44]);

    FeatureCross lowRank = FeatureCross.builder().projectionDim(4).build();
    lowRank.ensureBuilt(Shape.of(-1, 20), Shape.of(-1, 20));
    assertEquals(List.of("kernel", "kernel", "bias"), names(lowRank));
    assertEquals(List.of("down_proj_dense", "dense"), List.copyOf(lowRank.sublayers().keySet()));
    assertSame(
        lowRank.sublayers().get("down_proj_dense").weights().get(0), lowRank.weights().get(0));
    Map<String, Object> defaults = FeatureCross.fromConfig(Map.of("name", "fc")).getConfig();
    assertEquals(null, defaults.get("projection_dim"));
    assertEquals(0.0, defaults.get("diag_scale"));
    assertEquals(true, defaults.get("use_bias"));
    assertEquals("linear", defaults.get("pre_activation"));
    Map<String, Object> dot = DotInteraction.fromConfig(Map.of("name", "d")).getConfig();
    assertEquals(false, dot.get("self_interaction"));
    assertEquals(false, dot.get("skip_gather"));
    assertEquals("DotInteraction", new DotInteraction().className());
  }

  @Test
  void badShapesAndArgumentsGiveClearErrors() {
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> new InnerProduct("ip").apply(Input.of(1, 8)));
    assertTrue(
        e.getMessage().contains("fields >= 2") && e.getMessage().contains("ip"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new CIN(List.of(3, 0)));
    assertTrue(e.getMessage().contains("layer_sizes"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> FeatureCross.builder().diagScale(-1.0).build());
    assertTrue(e.getMessage().contains("diag_scale"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new FeatureCross().apply(Input.of(4), Input.of(5)));
    assertTrue(e.getMessage().contains("same shape"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new DotInteraction().apply(List.of(Input.of(4), Input.of(3))));
    assertTrue(e.getMessage().contains("index 1"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> AttentionalFM.fromConfig(Map.of("name", "a", "attention_units", 0)));
    assertTrue(e.getMessage().contains("attention_units"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> CrossNet.fromConfig(Map.of("name", "c", "layers", 2)));
    assertTrue(e.getMessage().contains("unknown key"), e.getMessage());
    Object init = new FieldWeightedFM().getConfig().get("kernel_initializer");
    assertTrue(init instanceof Map<?, ?> m && "Ones".equals(m.get("class_name")), "" + init);
  }

  private static List<String> names(Layer l) {
    return l.weights().stream().map(Weight::name).toList();
  }
}

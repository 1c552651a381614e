package io.jkeras.layers;

import static io.jkeras.testing.Numerics.assertClose;
import static io.jkeras.testing.Numerics.centralDifferences;
import static io.jkeras.testing.Numerics.toDouble;
import static io.jkeras.testing.Numerics.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.testing.LayerHarness;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

/**
 * The activation layers against their formulas in double precision, with input (and PReLU alpha)
 * gradients against central differences. (KerasLayersInteropTest checks them against Keras.)
 */
class ActivationLayersTest {

  /** Inputs away from the kinks (0, thresholds, caps), where central differences are exact. */
  static float[] awayFromKinks(Random rnd, int n, double... kinks) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      float v;
      boolean near;
      do {
        v = (float) (-3 + 6 * rnd.nextDouble());
        near = false;
        for (double k : kinks) {
          near |= Math.abs(v - k) < 1e-3;
        }
      } while (near);
      x[i] = v;
    }
    return x;
  }

  static void checkElementWise(Layer layer, DoubleUnaryOperator f, double... kinks) {
    Random rnd = new Random(layer.name().hashCode());
    Shape shape = Shape.of(3, 5);
    float[] x = awayFromKinks(rnd, 15, kinks);
    java.util.function.Function<double[], double[]> ref =
        v -> java.util.Arrays.stream(v).map(f).toArray();
    try (LayerHarness h = new LayerHarness(layer, Shape.of(-1, 5), false)) {
      assertClose(layer.name(), ref.apply(toDouble(x)), h.forward(shape, x), 1e-6, 1e-6);
      float[] c = uniform(rnd, 15, -1, 1);
      double[] cd = toDouble(c);
      assertClose(
          layer.name() + " d/dx",
          centralDifferences(toDouble(x), v -> MergingLayersTest.dot(cd, ref.apply(v)), 1e-6),
          h.gradients(shape, x, shape, c).get(0),
          1e-4,
          1e-5);
    }
  }

  @Test
  void elementWiseActivationsMatchTheirFormulas() {
    checkElementWise(new Identity("identity"), v -> v);
    checkElementWise(ReLU.builder().name("relu").build(), v -> Math.max(v, 0), 0);
    checkElementWise(
        ReLU.builder().maxValue(1.5).negativeSlope(0.1).threshold(0.2).name("relu_args").build(),
        v -> v > 0.2 ? Math.min(v, 1.5) : 0.1 * (v - 0.2),
        0.2,
        1.5);
    checkElementWise(
        ReLU.builder().maxValue(6.0).name("relu6").build(), v -> Math.min(Math.max(v, 0), 6), 0);
    checkElementWise(new LeakyReLU(0.3, "leaky"), v -> v >= 0 ? v : 0.3 * v, 0);
    checkElementWise(new ELU(1.0, "elu"), v -> v > 0 ? v : Math.exp(v) - 1, 0);
    checkElementWise(new ELU(0.5, "elu_half"), v -> v > 0 ? v : 0.5 * (Math.exp(v) - 1), 0);
  }

  @Test
  void softmaxNormalizesAlongItsAxis() {
    // (b, 3, 4) along axis 1: for each (b, column) the three values sum to one.
    Random rnd = new Random(5);
    Shape shape = Shape.of(2, 3, 4);
    float[] x = uniform(rnd, 24, -3, 3);
    java.util.function.Function<double[], double[]> ref =
        v -> {
          double[] y = new double[24];
          for (int b = 0; b < 2; b++) {
            for (int j = 0; j < 4; j++) {
              double sum = 0;
              for (int i = 0; i < 3; i++) {
                sum += Math.exp(v[(b * 3 + i) * 4 + j]);
              }
              for (int i = 0; i < 3; i++) {
                y[(b * 3 + i) * 4 + j] = Math.exp(v[(b * 3 + i) * 4 + j]) / sum;
              }
            }
          }
          return y;
        };
    try (LayerHarness h = new LayerHarness(new Softmax(1), Shape.of(-1, 3, 4), false)) {
      assertClose("softmax axis 1", ref.apply(toDouble(x)), h.forward(shape, x), 1e-5, 1e-7);
      float[] c = uniform(rnd, 24, -1, 1);
      double[] cd = toDouble(c);
      assertClose(
          "softmax d/dx",
          centralDifferences(toDouble(x), v -> MergingLayersTest.dot(cd, ref.apply(v)), 1e-6),
          h.gradients(shape, x, shape, c).get(0),
          1e-4,
          1e-6);
    }
  }

  /**
   * Softmax of each sample of {@code x} (b, 3, 4) in double, jointly over the positions {@code
   * group} puts in one group; positions with {@code keep} false take part as -1e9 and give 0.
   */
  static double[] softmaxReference(
      double[] x, boolean[] keep, java.util.function.IntUnaryOperator group) {
    double[] y = new double[x.length];
    java.util.Map<Integer, double[]> sums = new java.util.HashMap<>();
    double[] logits = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      logits[i] = keep[i] ? x[i] : -1e9;
      double[] g = sums.computeIfAbsent(group.applyAsInt(i), k -> new double[] {-1e300, 0});
      g[0] = Math.max(g[0], logits[i]);
    }
    for (int i = 0; i < x.length; i++) {
      double[] g = sums.get(group.applyAsInt(i));
      g[1] += Math.exp(logits[i] - g[0]);
    }
    for (int i = 0; i < x.length; i++) {
      double[] g = sums.get(group.applyAsInt(i));
      y[i] = keep[i] ? Math.exp(logits[i] - g[0]) / g[1] : 0;
    }
    return y;
  }

  // Keras's Softmax takes a list of axes (normalized jointly) and a mask call argument; jkeras
  // refused the list and had no mask argument (files using either failed to load).
  @Test
  void softmaxOverSeveralAxesAndWithAnExplicitMaskMatchesTheReference() {
    Random rnd = new Random(17);
    float[] x = uniform(rnd, 24, -3, 3);
    boolean[] all = new boolean[24];
    java.util.Arrays.fill(all, true);
    // Jointly over axes 1 and 2: one group per sample.
    Softmax joint = new Softmax("joint", 1, 2);
    assertEquals(List.of(1, 2), joint.getConfig().get("axis"));
    assertEquals(List.of(2), new Softmax("one", 2).getConfig().get("axis"));
    assertEquals(-1, new Softmax().getConfig().get("axis"));
    try (LayerHarness h = new LayerHarness(joint, Shape.of(-1, 3, 4), false)) {
      assertClose(
          "softmax over axes 1, 2",
          softmaxReference(toDouble(x), all, i -> i / 12),
          h.forward(Shape.of(2, 3, 4), x),
          1e-6,
          1e-7);
    }
    assertEquals(
        List.of(1, 2),
        Softmax.fromConfig(Map.of("name", "s", "axis", List.of(1, 2))).getConfig().get("axis"));
    // An explicit mask (int32 0/1, as a Keras file may give it); row 1 of sample 0 fully masked.
    int[] m = new int[24];
    boolean[] keep = new boolean[24];
    for (int i = 0; i < 24; i++) {
      keep[i] = i / 4 != 1 && rnd.nextDouble() < 0.7;
      m[i] = keep[i] ? 1 : 0;
    }
    // The same 0/1 numbers fed to an int32 mask input and to a bool one (Keras's usual mask dtype,
    // read as NumPy's astype(bool)).
    KerasTensor in = Input.named("x", "float32", 3, 4);
    for (String dtype : List.of("int32", "bool")) {
      KerasTensor mask = Input.named("m", dtype, 3, 4);
      KerasTensor y =
          new Softmax(-1, dtype + "_masked").apply(List.of(in), Map.of("mask", mask)).get(0);
      try (io.jkeras.models.Model model =
          new io.jkeras.models.Model(List.of(in, mask), List.of(y))) {
        var out =
            model.predict(
                List.of(
                    io.jkeras.backend.HostArray.ofFloats(Shape.of(2, 3, 4), x),
                    io.jkeras.backend.HostArray.ofInts(Shape.of(2, 3, 4), m)),
                8);
        float[] got = new float[24];
        out.get(0).copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(got, false, false));
        assertClose(
            dtype + "-masked softmax",
            softmaxReference(toDouble(x), keep, i -> i / 4),
            got,
            1e-6,
            1e-7);
      }
    }
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Dense(2).apply(List.of(Input.of(4)), Map.of("mask", Input.of("int32", 4))));
    assertTrue(e.getMessage().contains("takes no mask argument"), e.getMessage());
    // Keras refuses a mask that does not broadcast to the input; jkeras when it emits the graph.
    KerasTensor in2 = Input.named("x", "float32", 3, 4);
    KerasTensor badMask = Input.named("m", "int32", 3, 5);
    KerasTensor bad = new Softmax(-1, "s").apply(List.of(in2), Map.of("mask", badMask)).get(0);
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> {
              try (io.jkeras.models.Model model =
                  new io.jkeras.models.Model(List.of(in2, badMask), List.of(bad))) {
                model.predict(
                    List.of(
                        io.jkeras.backend.HostArray.ofFloats(Shape.of(1, 3, 4), new float[12]),
                        io.jkeras.backend.HostArray.ofInts(Shape.of(1, 3, 5), new int[15])),
                    8);
              }
            });
    assertTrue(
        e.getMessage().contains("\"s\"")
            && e.getMessage().contains("(None, 3, 5)")
            && e.getMessage().contains("(None, 3, 4)"),
        e.getMessage());
  }

  @Test
  void preluLearnsOneAlphaPerUnshared() {
    PReLU prelu = PReLU.builder().sharedAxes(1).name("prelu").build();
    Shape shape = Shape.of(2, 3, 4);
    Random rnd = new Random(9);
    float[] x = awayFromKinks(rnd, 24, 0);
    float[] alpha = uniform(rnd, 4, 0, 0.5);
    try (LayerHarness h = new LayerHarness(prelu, Shape.of(-1, 3, 4), false)) {
      assertEquals(Shape.of(1, 4), prelu.alpha().shape());
      prelu.alpha().assign(alpha);
      java.util.function.BiFunction<double[], double[], double[]> ref =
          (v, a) -> {
            double[] y = new double[24];
            for (int i = 0; i < 24; i++) {
              y[i] = v[i] >= 0 ? v[i] : a[i % 4] * v[i];
            }
            return y;
          };
      double[] xd = toDouble(x);
      double[] ad = toDouble(alpha);
      assertClose("prelu", ref.apply(xd, ad), h.forward(shape, x), 1e-6, 1e-7);
      float[] c = uniform(rnd, 24, -1, 1);
      double[] cd = toDouble(c);
      List<float[]> g = h.gradients(shape, x, shape, c);
      assertClose(
          "prelu d/dx",
          centralDifferences(xd, v -> MergingLayersTest.dot(cd, ref.apply(v, ad)), 1e-6),
          g.get(0),
          1e-4,
          1e-5);
      assertClose(
          "prelu d/dalpha",
          centralDifferences(ad, a -> MergingLayersTest.dot(cd, ref.apply(xd, a)), 1e-6),
          g.get(1),
          1e-4,
          1e-5);
    }
  }

  @Test
  void badArgumentsGiveClearErrors() {
    var e =
        assertThrows(IllegalArgumentException.class, () -> ReLU.builder().maxValue(-1.0).build());
    assertTrue(e.getMessage().contains("max_value=-1.0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new LeakyReLU(-0.1));
    assertTrue(e.getMessage().contains("negative_slope") && e.getMessage().contains("-0.1"));
    e = assertThrows(IllegalArgumentException.class, () -> new Softmax(0, "s").apply(Input.of(3)));
    assertTrue(e.getMessage().contains("\"s\"") && e.getMessage().contains("axis 0"));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> PReLU.builder().sharedAxes(3).name("p").build().apply(Input.of(4)));
    assertTrue(e.getMessage().contains("\"p\"") && e.getMessage().contains("shared axis 3"));
    PReLU built = new PReLU();
    built.apply(Input.of(4));
    e = assertThrows(IllegalArgumentException.class, () -> built.apply(Input.of(5)));
    assertTrue(e.getMessage().contains("value 4") && e.getMessage().contains("(None, 5)"));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ReLU.fromConfig(Map.of("max_value", "six", "name", "r")));
    assertTrue(e.getMessage().contains("ReLU: config.max_value"), e.getMessage());
    // Keras 2 wrote LeakyReLU's slope as "alpha".
    assertEquals(0.2, LeakyReLU.fromConfig(Map.of("alpha", 0.2)).negativeSlope());
  }
}

package io.jkeras.layers;

import static io.jkeras.testing.Numerics.assertClose;
import static io.jkeras.testing.Numerics.centralDifferences;
import static io.jkeras.testing.Numerics.toDouble;
import static io.jkeras.testing.Numerics.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.testing.LayerHarness;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.ndarray.Shape;

class Conv1DTest {

  /** The convolution's geometry, the one place the tests write the padding rules down. */
  record Geometry(String padding, int k, int s, int d) {
    /** Output steps for {@code steps} input steps. */
    int outSteps(int steps) {
      int span = d * (k - 1) + 1;
      return padding.equals("valid")
          ? Math.floorDiv(steps - span, s) + 1
          : Math.floorDiv(steps - 1, s) + 1;
    }

    /** Zeros added before the first step: all of them for causal, floor(total/2) for same. */
    int leftPad(int steps) {
      int span = d * (k - 1) + 1;
      return switch (padding) {
        case "causal" -> span - 1;
        case "same" -> Math.max((outSteps(steps) - 1) * s + span - steps, 0) / 2;
        default -> 0;
      };
    }
  }

  /**
   * y[b, t, f] = act(bias[f] + sum_{j, c} x[b, t*s + j*d - left, c] * w[j, c, f]) in double, with x
   * = 0 outside [0, steps).
   */
  static double[] reference(
      Geometry g,
      double[] x,
      int batch,
      int steps,
      int channels,
      double[] w,
      double[] bias,
      int filters,
      boolean relu) {
    int out = g.outSteps(steps);
    int left = g.leftPad(steps);
    double[] y = new double[batch * out * filters];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < out; t++) {
        for (int f = 0; f < filters; f++) {
          double acc = bias == null ? 0 : bias[f];
          for (int j = 0; j < g.k; j++) {
            int src = t * g.s + j * g.d - left;
            if (src < 0 || src >= steps) {
              continue;
            }
            for (int c = 0; c < channels; c++) {
              acc += x[(b * steps + src) * channels + c] * w[(j * channels + c) * filters + f];
            }
          }
          y[(b * out + t) * filters + f] = relu ? Math.max(0, acc) : acc;
        }
      }
    }
    return y;
  }

  static Conv1D layer(Geometry g, int filters, boolean relu) {
    return Conv1D.builder(filters, g.k)
        .padding(g.padding)
        .strides(g.s)
        .dilationRate(g.d)
        .activation(relu ? "relu" : "linear")
        .build();
  }

  @ParameterizedTest(name = "{0} k={1} strides={2} dilation={3} steps={4}")
  @CsvSource({
    "valid, 3, 1, 1, 9",
    "same, 3, 1, 1, 9",
    "causal, 3, 1, 1, 9",
    "valid, 3, 2, 1, 9",
    "same, 4, 2, 1, 9",
    "same, 2, 1, 1, 7",
    "causal, 3, 2, 1, 10",
    "valid, 3, 1, 2, 9",
    "same, 3, 1, 2, 9",
    "causal, 2, 1, 3, 8",
  })
  void forwardMatchesDoubleReferenceWithBiasAndRelu(
      String padding, int k, int s, int d, int steps) {
    Geometry g = new Geometry(padding, k, s, d);
    Random rnd = new Random(Arrays.hashCode(new int[] {padding.hashCode(), k, s, d, steps}));
    int batch = 2;
    int channels = 3;
    int filters = 4;
    Conv1D conv = layer(g, filters, true);
    conv.ensureBuilt(Shape.of(-1, steps, channels));
    float[] w = uniform(rnd, k * channels * filters, -1, 1);
    float[] bias = uniform(rnd, filters, -0.5, 0.5);
    conv.kernel().assign(w);
    conv.bias().assign(bias);
    float[] x = uniform(rnd, batch * steps * channels, -1, 1);
    double[] expected =
        reference(
            g, toDouble(x), batch, steps, channels, toDouble(w), toDouble(bias), filters, true);
    try (LayerHarness h = new LayerHarness(conv, Shape.of(-1, steps, channels), false)) {
      assertArrayEquals(new long[] {-1, g.outSteps(steps), filters}, h.outputShape().asArray());
      assertArrayEquals(
          new long[] {-1, g.outSteps(steps), filters},
          conv.computeOutputShape(Shape.of(-1, steps, channels)).asArray());
      assertClose(
          g.toString(), expected, h.forward(Shape.of(batch, steps, channels), x), 1e-5, 1e-5);
    }
    // relu clipped some outputs and passed others.
    assertTrue(Arrays.stream(expected).anyMatch(v -> v == 0));
    assertTrue(Arrays.stream(expected).anyMatch(v -> v > 0));
  }

  @Test
  void referenceGeometryAgreesWithHandCountedCases() {
    // Guards the reference itself: 9 steps, k=3.
    assertEquals(7, new Geometry("valid", 3, 1, 1).outSteps(9));
    assertEquals(4, new Geometry("valid", 3, 2, 1).outSteps(9)); // starts 0, 2, 4, 6
    assertEquals(5, new Geometry("valid", 3, 1, 2).outSteps(9)); // extent 5
    assertEquals(9, new Geometry("same", 3, 1, 1).outSteps(9));
    assertEquals(1, new Geometry("same", 3, 1, 1).leftPad(9));
    assertEquals(0, new Geometry("same", 2, 1, 1).leftPad(7)); // TF puts the odd pad on the right
    assertEquals(4, new Geometry("causal", 3, 1, 2).leftPad(9));
    // Causal: output t depends on inputs t-2, t-1, t only (kernel taps 0, 1, 2).
    double[] x = {1, 10, 100, 1000};
    double[] w = {1, 0, 0};
    assertArrayEquals(
        new double[] {0, 0, 1, 10},
        reference(new Geometry("causal", 3, 1, 1), x, 1, 4, 1, w, null, 1, false),
        0);
  }

  /**
   * A grouped, possibly channels_first Conv1D in double: each group of {@code channels/groups}
   * input channels through its own {@code filters/groups} filters (the kernel's slice), by {@link
   * #reference} on channels_last copies. {@code x} and the result are in the layer's data format.
   */
  static double[] groupedReference(
      Geometry g,
      double[] x,
      int batch,
      int steps,
      int channels,
      double[] w,
      double[] bias,
      int filters,
      int groups,
      boolean channelsFirst) {
    int cg = channels / groups;
    int fg = filters / groups;
    int out = g.outSteps(steps);
    double[] y = new double[batch * out * filters];
    for (int gi = 0; gi < groups; gi++) {
      double[] xg = new double[batch * steps * cg];
      for (int b = 0; b < batch; b++) {
        for (int t = 0; t < steps; t++) {
          for (int c = 0; c < cg; c++) {
            int ch = gi * cg + c;
            xg[(b * steps + t) * cg + c] =
                channelsFirst
                    ? x[(b * channels + ch) * steps + t]
                    : x[(b * steps + t) * channels + ch];
          }
        }
      }
      double[] wg = new double[g.k() * cg * fg];
      double[] bg = new double[fg];
      for (int f = 0; f < fg; f++) {
        bg[f] = bias[gi * fg + f];
        for (int j = 0; j < g.k(); j++) {
          for (int c = 0; c < cg; c++) {
            wg[(j * cg + c) * fg + f] = w[(j * cg + c) * filters + gi * fg + f];
          }
        }
      }
      double[] yg = reference(g, xg, batch, steps, cg, wg, bg, fg, false);
      for (int b = 0; b < batch; b++) {
        for (int t = 0; t < out; t++) {
          for (int f = 0; f < fg; f++) {
            int fi = gi * fg + f;
            y[channelsFirst ? (b * filters + fi) * out + t : (b * out + t) * filters + fi] =
                yg[(b * out + t) * fg + f];
          }
        }
      }
    }
    return y;
  }

  // Keras's Conv1D takes groups and data_format="channels_first"; both used to be rejected.
  @ParameterizedTest(name = "{0} k={1} strides={2} dilation={3} groups={4} {5}")
  @CsvSource({
    "valid, 3, 1, 1, 2, channels_last",
    "same, 3, 2, 1, 3, channels_last",
    "causal, 2, 1, 2, 6, channels_last",
    "valid, 3, 1, 1, 1, channels_first",
    "causal, 3, 1, 2, 2, channels_first",
    "same, 4, 2, 1, 3, channels_first",
  })
  void groupsAndChannelsFirstMatchThePerGroupReferenceAndItsGradients(
      String padding, int k, int s, int d, int groups, String format) {
    Geometry g = new Geometry(padding, k, s, d);
    Random rnd = new Random(Arrays.hashCode(new int[] {padding.hashCode(), k, s, d, groups}));
    int batch = 2;
    int steps = 7;
    int channels = 6;
    int filters = 6;
    boolean cf = format.equals("channels_first");
    Shape in = cf ? Shape.of(-1, channels, steps) : Shape.of(-1, steps, channels);
    int out = g.outSteps(steps);
    Conv1D conv =
        Conv1D.builder(filters, k)
            .padding(padding)
            .strides(s)
            .dilationRate(d)
            .groups(groups)
            .dataFormat(format)
            .build();
    conv.ensureBuilt(in);
    assertArrayEquals(new long[] {k, channels / groups, filters}, conv.kernel().shape().asArray());
    long[] outShape = cf ? new long[] {-1, filters, out} : new long[] {-1, out, filters};
    assertArrayEquals(outShape, conv.computeOutputShape(in).asArray());
    float[] w = uniform(rnd, k * (channels / groups) * filters, -1, 1);
    float[] bias = uniform(rnd, filters, -0.5, 0.5);
    conv.kernel().assign(w);
    conv.bias().assign(bias);
    float[] x = uniform(rnd, batch * steps * channels, -1, 1);
    double[] wd = toDouble(w);
    double[] bd = toDouble(bias);
    double[] expected =
        groupedReference(g, toDouble(x), batch, steps, channels, wd, bd, filters, groups, cf);
    Shape batchIn = Shape.of(batch).append(Shape.of(in.size(1), in.size(2)));
    try (LayerHarness h = new LayerHarness(conv, in, false)) {
      assertArrayEquals(outShape, h.outputShape().asArray());
      outShape[0] = batch;
      assertClose(
          g + " groups=" + groups + " " + format, expected, h.forward(batchIn, x), 1e-5, 1e-5);
      // The output is linear in x and in the kernel: the gradients of sum(c * y) are c . y(e_i).
      float[] c = uniform(rnd, expected.length, -1, 1);
      double[] cd = toDouble(c);
      List<float[]> grads = h.gradients(batchIn, x, Shape.of(outShape), c);
      double[] zeroBias = new double[filters];
      double[] dx = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        double[] e = new double[x.length];
        e[i] = 1;
        dx[i] =
            MergingLayersTest.dot(
                cd,
                groupedReference(g, e, batch, steps, channels, wd, zeroBias, filters, groups, cf));
      }
      assertClose("d/dx", dx, grads.get(0), 1e-5, 1e-5);
      double[] xd = toDouble(x);
      double[] dw = new double[w.length];
      for (int i = 0; i < w.length; i++) {
        double[] e = new double[w.length];
        e[i] = 1;
        dw[i] =
            MergingLayersTest.dot(
                cd,
                groupedReference(g, xd, batch, steps, channels, e, zeroBias, filters, groups, cf));
      }
      assertClose("d/dkernel", dw, grads.get(1), 1e-5, 1e-5);
    }
  }

  @Test
  void withoutBiasAndActivationItIsLinear() {
    Random rnd = new Random(8);
    Geometry g = new Geometry("valid", 2, 1, 1);
    Conv1D conv = Conv1D.builder(2, 2).useBias(false).build();
    conv.ensureBuilt(Shape.of(-1, 5, 3));
    assertEquals(List.of("kernel"), conv.weights().stream().map(Weight::name).toList());
    assertNull(conv.bias());
    float[] w = uniform(rnd, 2 * 3 * 2, -1, 1);
    conv.kernel().assign(w);
    float[] x = uniform(rnd, 5 * 3, -1, 1);
    double[] expected = reference(g, toDouble(x), 1, 5, 3, toDouble(w), null, 2, false);
    assertTrue(Arrays.stream(expected).anyMatch(v -> v < 0));
    try (LayerHarness h = new LayerHarness(conv, Shape.of(-1, 5, 3), false)) {
      assertClose("no bias", expected, h.forward(Shape.of(1, 5, 3), x), 1e-5, 1e-5);
    }
  }

  // The dilated cases guard a TF Java defect: Conv2D's C++ gradient ignores the dilations
  // attribute, which aborted the JVM inside oneDNN; Conv1D spreads the kernel instead.
  @ParameterizedTest
  @CsvSource({
    "valid, 3, 1, 1",
    "same, 3, 2, 1",
    "causal, 2, 1, 2",
    "same, 3, 1, 2",
    "valid, 2, 1, 3"
  })
  void gradientsMatchCentralDifferencesForInputKernelAndBias(String padding, int k, int s, int d) {
    Geometry g = new Geometry(padding, k, s, d);
    Random rnd = new Random(31 + k + s + d);
    int batch = 2;
    int steps = 7;
    int channels = 3;
    int filters = 2;
    Conv1D conv = layer(g, filters, false);
    conv.ensureBuilt(Shape.of(-1, steps, channels));
    float[] w = uniform(rnd, k * channels * filters, -1, 1);
    float[] bias = uniform(rnd, filters, -1, 1);
    conv.kernel().assign(w);
    conv.bias().assign(bias);
    float[] x = uniform(rnd, batch * steps * channels, -1, 1);
    int out = g.outSteps(steps);
    float[] c = uniform(rnd, batch * out * filters, -1, 1);
    double[] cd = toDouble(c);
    double[] xd = toDouble(x);
    double[] wd = toDouble(w);
    double[] bd = toDouble(bias);
    try (LayerHarness h = new LayerHarness(conv, Shape.of(-1, steps, channels), true)) {
      List<float[]> grads =
          h.gradients(Shape.of(batch, steps, channels), x, Shape.of(batch, out, filters), c);
      assertEquals(3, grads.size());
      assertClose(
          "d/dx",
          centralDifferences(
              xd,
              v ->
                  DenseTest.dot(
                      cd, reference(g, v, batch, steps, channels, wd, bd, filters, false)),
              1e-6),
          grads.get(0),
          1e-4,
          1e-5);
      assertClose(
          "d/dkernel",
          centralDifferences(
              wd,
              v ->
                  DenseTest.dot(
                      cd, reference(g, xd, batch, steps, channels, v, bd, filters, false)),
              1e-6),
          grads.get(1),
          1e-4,
          1e-5);
      assertClose(
          "d/dbias",
          centralDifferences(
              bd,
              v ->
                  DenseTest.dot(
                      cd, reference(g, xd, batch, steps, channels, wd, v, filters, false)),
              1e-6),
          grads.get(2),
          1e-4,
          1e-5);
    }
  }

  @Test
  void paramCountWeightsAndSeedShapes() {
    Conv1D conv = new Conv1D(250, 3, "relu");
    KerasTensor y = conv.apply(Input.of(100, 50));
    assertArrayEquals(new long[] {-1, 98, 250}, y.shape().asArray());
    assertEquals(37_750, conv.countParams());
    assertEquals(List.of("kernel", "bias"), conv.weights().stream().map(Weight::name).toList());
    assertArrayEquals(new long[] {3, 50, 250}, conv.kernel().shape().asArray());
    assertArrayEquals(new long[] {250}, conv.bias().shape().asArray());
    // Unknown steps stay unknown.
    assertArrayEquals(
        new long[] {-1, -1, 250}, conv.computeOutputShape(Shape.of(-1, -1, 50)).asArray());
    // glorot_uniform with Keras's fans for (3, 50, 250): fan_in 150, fan_out 750.
    double limit = Math.sqrt(6.0 / (150 + 750));
    float[] k = conv.kernel().read();
    double min = 0;
    double max = 0;
    for (float v : k) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertTrue(
        min >= -limit && max <= limit && min < -0.9 * limit && max > 0.9 * limit,
        min + " " + max + " vs " + limit);
  }

  @Test
  void configMatchesKeras() {
    // Keras 3.15.1: Conv1D(250, 3, activation="relu").get_config().
    Conv1D conv = Conv1D.builder(250, 3).name("conv1d").activation("relu").build();
    Map<String, Object> c = conv.getConfig();
    assertEquals(
        List.of(
            "name",
            "trainable",
            "dtype",
            "filters",
            "kernel_size",
            "strides",
            "padding",
            "data_format",
            "dilation_rate",
            "groups",
            "activation",
            "use_bias",
            "kernel_initializer",
            "bias_initializer",
            "kernel_regularizer",
            "bias_regularizer",
            "activity_regularizer",
            "kernel_constraint",
            "bias_constraint"),
        List.copyOf(c.keySet()));
    assertEquals(250, c.get("filters"));
    assertEquals(List.of(3), c.get("kernel_size"));
    assertEquals(List.of(1), c.get("strides"));
    assertEquals("valid", c.get("padding"));
    assertEquals("channels_last", c.get("data_format"));
    assertEquals(List.of(1), c.get("dilation_rate"));
    assertEquals(1, c.get("groups"));
    assertEquals("relu", c.get("activation"));
    assertEquals(true, c.get("use_bias"));
    @SuppressWarnings("unchecked")
    Map<String, Object> ki = (Map<String, Object>) c.get("kernel_initializer");
    assertEquals("GlorotUniform", ki.get("class_name"));
    assertEquals(
        List.of("seed", "input_axes", "output_axes"),
        List.copyOf(((Map<?, ?>) ki.get("config")).keySet()));
    @SuppressWarnings("unchecked")
    Map<String, Object> bi = (Map<String, Object>) c.get("bias_initializer");
    assertEquals("Zeros", bi.get("class_name"));
    assertEquals(Map.of(), bi.get("config"));
    for (String key :
        List.of(
            "kernel_regularizer",
            "bias_regularizer",
            "activity_regularizer",
            "kernel_constraint",
            "bias_constraint")) {
      assertTrue(c.containsKey(key) && c.get(key) == null, key);
    }

    Conv1D other =
        Conv1D.builder(8, 5)
            .padding("CAUSAL")
            .dilationRate(2)
            .useBias(false)
            .activityRegularizer("l1")
            .build();
    Map<String, Object> oc = other.getConfig();
    assertEquals("causal", oc.get("padding"));
    assertEquals(List.of(5), oc.get("kernel_size"));
    assertEquals(List.of(2), oc.get("dilation_rate"));
    assertEquals(false, oc.get("use_bias"));
    assertEquals("linear", oc.get("activation"));
    // Keras: a set activity regularizer sits right after "dtype".
    assertEquals("activity_regularizer", List.copyOf(oc.keySet()).get(3));
  }

  @Test
  void badArgumentsAndShapesGiveClearErrors() {
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> Conv1D.builder(4, 3).padding("full").build());
    assertTrue(
        e.getMessage().contains("full") && e.getMessage().contains("causal"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Conv1D.builder(4, 3).dataFormat("channels_middle").build());
    assertTrue(
        e.getMessage().contains("channels_middle") && e.getMessage().contains("channels_first"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Conv1D.builder(5, 3).groups(2).build());
    assertTrue(
        e.getMessage().contains("groups=2") && e.getMessage().contains("filters=5"),
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Conv1D.builder(4, 3).groups(2).name("g").build().apply(Input.of(7, 3)));
    assertTrue(
        e.getMessage().contains("\"g\"")
            && e.getMessage().contains("3 channels")
            && e.getMessage().contains("groups=2"),
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Conv1D.builder(4, 3).strides(2).dilationRate(2).build());
    assertTrue(
        e.getMessage().contains("strides=2") && e.getMessage().contains("dilation_rate=2"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Conv1D(0, 3));
    assertTrue(e.getMessage().contains("filters"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Conv1D(4, 0));
    assertTrue(e.getMessage().contains("kernel_size"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Conv1D.builder(4, 3).strides(0).build());
    assertTrue(e.getMessage().contains("strides"), e.getMessage());

    // A kernel longer than the input with valid padding.
    Conv1D tooLong = Conv1D.builder(4, 5).name("c5").build();
    e = assertThrows(IllegalArgumentException.class, () -> tooLong.apply(Input.of(4, 2)));
    assertTrue(
        e.getMessage().contains("\"c5\"")
            && e.getMessage().contains("(None, 4, 2)")
            && e.getMessage().contains("valid"),
        e.getMessage());
    assertTrue(tooLong.weights().isEmpty(), "no weights were created for the rejected input");
    // Dilation counts: k=3, d=3 spans 7 steps.
    Conv1D dilated = Conv1D.builder(4, 3).dilationRate(3).build();
    e = assertThrows(IllegalArgumentException.class, () -> dilated.apply(Input.of(6, 2)));
    assertTrue(e.getMessage().contains("7"), e.getMessage());
    // The same input is fine with same padding.
    assertArrayEquals(
        new long[] {-1, 4, 4},
        Conv1D.builder(4, 5).padding("same").build().apply(Input.of(4, 2)).shape().asArray());

    Conv1D conv = Conv1D.builder(4, 3).name("c3").build();
    e = assertThrows(IllegalArgumentException.class, () -> conv.apply(Input.of(10)));
    assertTrue(
        e.getMessage().contains("ndim=3") && e.getMessage().contains("(None, 10)"), e.getMessage());
    conv.apply(Input.of(10, 6));
    e = assertThrows(IllegalArgumentException.class, () -> conv.apply(Input.of(10, 7)));
    assertTrue(
        e.getMessage().contains("\"c3\"")
            && e.getMessage().contains("value 6")
            && e.getMessage().contains("(None, 10, 7)"),
        e.getMessage());
  }
}

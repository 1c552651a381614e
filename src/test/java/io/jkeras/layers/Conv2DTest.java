package io.jkeras.layers;

import static io.jkeras.testing.Numerics.assertClose;
import static io.jkeras.testing.Numerics.toDouble;
import static io.jkeras.testing.Numerics.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.layers.ConvReference.Axis;
import io.jkeras.layers.ConvReference.Image;
import io.jkeras.testing.LayerHarness;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.ndarray.Shape;

/**
 * Conv2D against a double loop: forward values and central-difference gradients for the input,
 * kernel and bias, over strides, paddings, dilations (which guard TF Java's Conv2D gradient defect,
 * see {@link ConvWindow#dilate}) and groups.
 */
class Conv2DTest {

  /** Random kernel and bias assigned to a built layer. */
  static void randomize(Layer layer, Random rnd) {
    for (Weight w : layer.weights()) {
      w.assign(uniform(rnd, (int) w.size(), -1, 1));
    }
  }

  @ParameterizedTest(name = "k={0}x{1} strides={2} dilation={3} {4} groups={5}")
  @CsvSource({
    "3, 3, 1, 1, valid, 1",
    "3, 2, 2, 1, same, 1",
    "2, 3, 1, 2, valid, 1",
    "3, 3, 1, 2, same, 1",
    "3, 1, 2, 1, valid, 2",
    "1, 1, 1, 1, same, 2",
  })
  void forwardAndGradientsMatchDoubleLoops(
      int kh, int kw, int s, int d, String padding, int groups) {
    Random rnd = new Random(kh * 100 + kw * 10 + s + d + groups + padding.length());
    Image in = new Image(2, 6, 7, 4);
    int filters = 4;
    Conv2D conv =
        Conv2D.builder(filters, kh, kw)
            .strides(s)
            .dilationRate(d)
            .padding(padding)
            .groups(groups)
            .build();
    Shape shape = Shape.of(in.b(), in.h(), in.w(), in.c());
    conv.ensureBuilt(shape);
    assertArrayEquals(
        new long[] {kh, kw, in.c() / groups, filters}, conv.kernel().shape().asArray());
    randomize(conv, rnd);
    Axis rows = new Axis(kh, s, d, padding.equals("same"));
    Axis cols = new Axis(kw, s, d, padding.equals("same"));
    assertArrayEquals(
        new long[] {2, rows.out(6), cols.out(7), filters},
        conv.computeOutputShape(shape).asArray());
    ConvReference.check(
        "conv2d",
        conv,
        shape,
        uniform(rnd, in.size(), -1, 1),
        a -> ConvReference.conv(in, a[0], rows, cols, a[1], filters, groups, a[2]),
        rnd);
  }

  @Test
  void channelsFirstAndActivationGiveTheSameValues() {
    Random rnd = new Random(3);
    Image in = new Image(2, 5, 5, 3);
    Conv2D last = Conv2D.builder(2, 3).padding("same").activation("relu").build();
    Conv2D first =
        Conv2D.builder(2, 3)
            .padding("same")
            .activation("relu")
            .dataFormat("channels_first")
            .build();
    last.ensureBuilt(Shape.of(-1, 5, 5, 3));
    first.ensureBuilt(Shape.of(-1, 3, 5, 5));
    randomize(last, rnd);
    first.setWeights(last.getWeights());
    float[] x = uniform(rnd, in.size(), -1, 1);
    Axis a = new Axis(3, 1, 1, true);
    double[] linear =
        ConvReference.conv(
            in,
            toDouble(x),
            a,
            a,
            toDouble(last.kernel().read()),
            2,
            1,
            toDouble(last.bias().read()));
    float[] relu = new float[linear.length];
    for (int i = 0; i < linear.length; i++) {
      relu[i] = (float) Math.max(0, linear[i]);
    }
    try (LayerHarness h = new LayerHarness(last, Shape.of(-1, 5, 5, 3), false)) {
      assertClose("channels_last", toDouble(relu), h.forward(Shape.of(2, 5, 5, 3), x), 1e-5, 1e-5);
    }
    try (LayerHarness h = new LayerHarness(first, Shape.of(-1, 3, 5, 5), false)) {
      assertArrayEquals(new long[] {-1, 2, 5, 5}, h.outputShape().asArray());
      assertClose(
          "channels_first",
          toDouble(ConvReference.toChannelsFirst(new Image(2, 5, 5, 2), relu)),
          h.forward(Shape.of(2, 3, 5, 5), ConvReference.toChannelsFirst(in, x)),
          1e-5,
          1e-5);
    }
  }

  @Test
  void weightsParamCountAndConfigMatchKeras() {
    Conv2D conv = new Conv2D(32, 3, "relu");
    KerasTensor y = conv.apply(Input.of(28, 28, 1));
    assertArrayEquals(new long[] {-1, 26, 26, 32}, y.shape().asArray());
    assertEquals(320, conv.countParams());
    assertEquals(List.of("kernel", "bias"), conv.weights().stream().map(Weight::name).toList());
    // glorot_uniform with Keras's fans for (3, 3, 1, 32): fan_in 9, fan_out 288.
    double limit = Math.sqrt(6.0 / (9 + 288));
    float[] k = conv.kernel().read();
    double max = 0;
    for (float v : k) {
      max = Math.max(max, Math.abs(v));
    }
    assertTrue(max <= limit && max > 0.8 * limit, max + " vs " + limit);

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
    assertEquals(List.of(3, 3), c.get("kernel_size"));
    assertEquals(List.of(1, 1), c.get("strides"));
    assertEquals(List.of(1, 1), c.get("dilation_rate"));
    Conv2D back = Conv2D.fromConfig(c);
    assertEquals(c.toString(), back.getConfig().toString());
    Conv2D noBias = Conv2D.builder(4, 2, 3).useBias(false).build();
    noBias.ensureBuilt(Shape.of(-1, 5, 5, 2));
    assertNull(noBias.bias());
    assertEquals(List.of("kernel"), noBias.weights().stream().map(Weight::name).toList());
  }

  @Test
  void badArgumentsAndShapesGiveClearErrors() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Conv2D.builder(4, 3).strides(2).dilationRate(2).build());
    assertTrue(
        e.getMessage().contains("Conv2D") && e.getMessage().contains("dilation_rate=[2, 2]"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Conv2D.builder(4, 3).groups(3).build());
    assertTrue(e.getMessage().contains("groups=3"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Conv2D(0, 3));
    assertTrue(e.getMessage().contains("filters"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Conv2D.builder(4, 3, 3, 3).build());
    assertTrue(e.getMessage().contains("kernel_size"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> Conv2D.builder(4, 3).padding("causal").build());
    assertTrue(e.getMessage().contains("causal"), e.getMessage());
    Conv2D grouped = Conv2D.builder(4, 3).groups(2).name("g").build();
    e = assertThrows(IllegalArgumentException.class, () -> grouped.apply(Input.of(8, 8, 3)));
    assertTrue(
        e.getMessage().contains("\"g\"") && e.getMessage().contains("divisible by groups=2"),
        e.getMessage());
    Conv2D big = Conv2D.builder(4, 5).name("big").build();
    e = assertThrows(IllegalArgumentException.class, () -> big.apply(Input.of(4, 9, 2)));
    assertTrue(
        e.getMessage().contains("\"big\"") && e.getMessage().contains("(None, 4, 9, 2)"),
        e.getMessage());
    assertTrue(big.weights().isEmpty(), "no weights for the rejected input");
    Conv2D conv = Conv2D.builder(4, 3).name("c").build();
    conv.apply(Input.of(8, 8, 3));
    e = assertThrows(IllegalArgumentException.class, () -> conv.apply(Input.of(8, 8, 5)));
    assertTrue(
        e.getMessage().contains("\"c\"") && e.getMessage().contains("value 3"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Conv2D.fromConfig(Map.of("filters", 4, "kernel_size", List.of(3, 3, 3))));
    assertTrue(e.getMessage().contains("Conv2D: config.kernel_size"), e.getMessage());
  }
}

package io.jkeras.layers;

import static io.jkeras.testing.Numerics.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * Conv1DTranspose, Conv2DTranspose, Conv3D, Conv3DTranspose, DepthwiseConv1D, DepthwiseConv2D,
 * SeparableConv1D and SeparableConv2D against double loops: forward values and central-difference
 * gradients for the input and every weight.
 */
class ConvVariantsTest {

  @ParameterizedTest(name = "k={0} strides={1} dilation={2} {3} output_padding={4}")
  @CsvSource({
    "3, 1, 1, valid, -1",
    "3, 2, 1, same, -1",
    "2, 2, 1, valid, -1",
    "3, 2, 1, valid, 1",
    "3, 2, 1, same, 1",
    "2, 1, 2, same, -1",
    "3, 1, 2, valid, -1",
  })
  void conv2dTransposeMatchesTheAdjointLoop(int k, int s, int d, String padding, int outPad) {
    Random rnd = new Random(k * 10 + s + d + outPad + padding.length());
    Image in = new Image(2, 4, 3, 3);
    int filters = 2;
    Conv2DTranspose.Builder b =
        Conv2DTranspose.builder(filters, k).strides(s).dilationRate(d).padding(padding);
    if (outPad >= 0) {
      b.outputPadding(outPad);
    }
    Conv2DTranspose layer = b.build();
    Shape shape = Shape.of(2, 4, 3, 3);
    layer.ensureBuilt(shape);
    assertArrayEquals(new long[] {k, k, filters, 3}, layer.kernel().shape().asArray());
    Conv2DTest.randomize(layer, rnd);
    // Keras's output sizes, written out for these cases.
    int extent = d * (k - 1) + 1;
    int[] out = new int[2];
    int[] n = {4, 3};
    for (int i = 0; i < 2; i++) {
      if (outPad < 0) {
        out[i] = padding.equals("valid") ? n[i] * s + Math.max(extent - s, 0) : n[i] * s;
      } else {
        out[i] =
            padding.equals("valid")
                ? (n[i] - 1) * s + extent + outPad
                : (n[i] - 1) * s + extent % 2 + outPad;
      }
    }
    assertArrayEquals(
        new long[] {2, out[0], out[1], filters}, layer.computeOutputShape(shape).asArray());
    Axis a = new Axis(k, s, d, padding.equals("same"));
    ConvReference.check(
        "conv2d_transpose",
        layer,
        shape,
        uniform(rnd, in.size(), -1, 1),
        w -> addBias(ConvReference.transpose(in, w[0], a, a, w[1], filters, out[0], out[1]), w[2]),
        rnd);
  }

  @ParameterizedTest(name = "k={0} strides={1} dilation={2} {3} output_padding={4}")
  @CsvSource({
    "3, 1, 1, valid, -1",
    "3, 2, 1, same, -1",
    "3, 2, 1, valid, 1",
    "2, 3, 1, same, 2",
    "3, 1, 2, same, -1",
  })
  void conv1dTransposeIsTheTwoDimensionalOneOfHeightOne(
      int k, int s, int d, String padding, int outPad) {
    Random rnd = new Random(k * 10 + s + d + outPad + padding.length() + 1000);
    int steps = 5;
    int filters = 2;
    Conv1DTranspose.Builder b =
        Conv1DTranspose.builder(filters, k).strides(s).dilationRate(d).padding(padding);
    if (outPad >= 0) {
      b.outputPadding(outPad);
    }
    Conv1DTranspose layer = b.build();
    Shape shape = Shape.of(2, steps, 3);
    layer.ensureBuilt(shape);
    assertArrayEquals(new long[] {k, filters, 3}, layer.kernel().shape().asArray());
    Conv2DTest.randomize(layer, rnd);
    int extent = d * (k - 1) + 1;
    boolean valid = padding.equals("valid");
    int out =
        outPad < 0
            ? (valid ? steps * s + Math.max(extent - s, 0) : steps * s)
            : (valid ? (steps - 1) * s + extent + outPad : (steps - 1) * s + extent % 2 + outPad);
    assertArrayEquals(new long[] {2, out, filters}, layer.computeOutputShape(shape).asArray());
    // A sequence is an image of one row, its kernel (k, f, c) one of one row too.
    Image in = new Image(2, 1, steps, 3);
    Axis row = new Axis(1, 1, 1, !valid);
    Axis a = new Axis(k, s, d, !valid);
    ConvReference.check(
        "conv1d_transpose",
        layer,
        shape,
        uniform(rnd, in.size(), -1, 1),
        w -> addBias(ConvReference.transpose(in, w[0], row, a, w[1], filters, 1, out), w[2]),
        rnd);
  }

  @ParameterizedTest(name = "k={0} strides={1} dilation={2} {3} multiplier={4}")
  @CsvSource({
    "3, 1, 1, valid, 1",
    "3, 2, 1, same, 2",
    "2, 1, 3, same, 1",
  })
  void depthwiseConv1dIsTheTwoDimensionalOneOfHeightOne(
      int k, int s, int d, String padding, int m) {
    Random rnd = new Random(k * 10 + s + d + m + 2000);
    DepthwiseConv1D layer =
        DepthwiseConv1D.builder(k)
            .strides(s)
            .dilationRate(d)
            .padding(padding)
            .depthMultiplier(m)
            .build();
    Shape shape = Shape.of(2, 7, 3);
    layer.ensureBuilt(shape);
    assertEquals(List.of("kernel", "bias"), layer.weights().stream().map(Weight::name).toList());
    assertArrayEquals(new long[] {k, 3, m}, layer.kernel().shape().asArray());
    Conv2DTest.randomize(layer, rnd);
    // A sequence is an image of one row, its kernel (k, c, m) one of one row too.
    Image in = new Image(2, 1, 7, 3);
    Axis row = new Axis(1, 1, 1, padding.equals("same"));
    Axis a = new Axis(k, s, d, padding.equals("same"));
    ConvReference.check(
        "depthwise1d",
        layer,
        shape,
        uniform(rnd, in.size(), -1, 1),
        w -> addBias(ConvReference.depthwise(in, w[0], row, a, w[1], m), w[2]),
        rnd);
  }

  @ParameterizedTest(name = "k={0} strides={1} dilation={2} {3} output_padding={4}")
  @CsvSource({
    "2, 1, 1, valid, -1",
    "3, 2, 1, same, -1",
    "3, 2, 1, valid, 1",
    "2, 3, 1, same, 2",
    "2, 1, 2, same, -1",
  })
  void conv3dTransposeMatchesTheAdjointLoop(int k, int s, int d, String padding, int outPad) {
    Random rnd = new Random(k * 10 + s + d + outPad + padding.length() + 3000);
    Image in = new Image(2, 3, 2, 2);
    int depth = 3;
    int filters = 2;
    Conv3DTranspose.Builder b =
        Conv3DTranspose.builder(filters, k, 2, k).strides(s).dilationRate(d).padding(padding);
    if (outPad >= 0) {
      b.outputPadding(outPad);
    }
    Conv3DTranspose layer = b.build();
    Shape shape = Shape.of(2, depth, 3, 2, 2);
    layer.ensureBuilt(shape);
    assertArrayEquals(new long[] {k, 2, k, filters, 2}, layer.kernel().shape().asArray());
    Conv2DTest.randomize(layer, rnd);
    boolean valid = padding.equals("valid");
    int[] kernel = {k, 2, k};
    int[] n = {depth, 3, 2};
    int[] out = new int[3];
    Axis[] axes = new Axis[3];
    for (int i = 0; i < 3; i++) {
      int extent = d * (kernel[i] - 1) + 1;
      out[i] =
          outPad < 0
              ? (valid ? n[i] * s + Math.max(extent - s, 0) : n[i] * s)
              : (valid ? (n[i] - 1) * s + extent + outPad : (n[i] - 1) * s + extent % 2 + outPad);
      axes[i] = new Axis(kernel[i], s, d, !valid);
    }
    assertArrayEquals(
        new long[] {2, out[0], out[1], out[2], filters}, layer.computeOutputShape(shape).asArray());
    ConvReference.check(
        "conv3d_transpose",
        layer,
        shape,
        uniform(rnd, in.size() * depth, -1, 1),
        w -> addBias(ConvReference.transpose3d(in, depth, w[0], axes, w[1], filters, out), w[2]),
        rnd);
  }

  @ParameterizedTest(name = "k={0} strides={1} dilation={2} {3} groups={4}")
  @CsvSource({
    "2, 1, 1, valid, 1",
    "3, 2, 1, same, 2",
    "2, 1, 2, same, 1",
    "2, 1, 2, valid, 2",
  })
  void conv3dMatchesDoubleLoop(int k, int s, int d, String padding, int groups) {
    Random rnd = new Random(k * 100 + s * 10 + d + groups);
    // (batch 2, depth 4, rows 5, cols 3, channels 2); the depth axis has its own window size.
    Image in = new Image(2, 5, 3, 2);
    int depth = 4;
    int filters = 4;
    Conv3D layer =
        Conv3D.builder(filters, 2, k, k)
            .strides(s)
            .dilationRate(d)
            .padding(padding)
            .groups(groups)
            .build();
    Shape shape = Shape.of(2, depth, 5, 3, 2);
    layer.ensureBuilt(shape);
    assertArrayEquals(new long[] {2, k, k, 2 / groups, filters}, layer.kernel().shape().asArray());
    Conv2DTest.randomize(layer, rnd);
    boolean same = padding.equals("same");
    Axis[] axes = {new Axis(2, s, d, same), new Axis(k, s, d, same), new Axis(k, s, d, same)};
    ConvReference.check(
        "conv3d",
        layer,
        shape,
        uniform(rnd, in.size() * depth, -1, 1),
        w -> ConvReference.conv3d(in, depth, w[0], axes, w[1], filters, groups, w[2]),
        rnd);
    // With the depth unknown until the run (a video of any length), the same numbers.
    float[] x = uniform(rnd, in.size() * depth, -1, 1);
    float[] expected;
    try (LayerHarness known = new LayerHarness(layer, shape, false)) {
      expected = known.forward(shape, x);
    }
    try (LayerHarness unknown = new LayerHarness(layer, Shape.of(-1, -1, 5, 3, 2), false)) {
      assertArrayEquals(expected, unknown.forward(shape, x), 1e-6f);
    }
  }

  @Test
  void newConvolutionsAndPooling3dRefuseBadArgumentsAndShapesNamingTheLayer() {
    assertEquals(
        "Conv3D: filters must be a positive integer, got 0",
        assertThrows(IllegalArgumentException.class, () -> new Conv3D(0, 2)).getMessage());
    assertEquals(
        "Conv3D: groups must be a positive divisor of filters, got groups=3 for filters=4",
        assertThrows(IllegalArgumentException.class, () -> Conv3D.builder(4, 2).groups(3).build())
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> Conv3D.builder(4, 2, 2).build());
    RuntimeException rank =
        assertThrows(
            RuntimeException.class,
            () -> Conv3D.builder(2, 2).name("c3").build().apply(Input.of(4, 4, 3)));
    assertTrue(rank.getMessage().contains("c3"), rank.getMessage());
    assertEquals(
        "Conv1DTranspose: output_padding must be non-negative and smaller than strides, got"
            + " output_padding=[2] with strides=[2]",
        assertThrows(
                IllegalArgumentException.class,
                () -> Conv1DTranspose.builder(2, 3).strides(2).outputPadding(2).build())
            .getMessage());
    assertEquals(
        "DepthwiseConv1D: depth_multiplier must be a positive integer, got 0",
        assertThrows(
                IllegalArgumentException.class,
                () -> DepthwiseConv1D.builder(3).depthMultiplier(0).build())
            .getMessage());
    Conv3DTranspose unknownSize = Conv3DTranspose.builder(2, 2).name("c3t").build();
    unknownSize.ensureBuilt(Shape.of(-1, 3, 3, 3, 2));
    // An input with an unknown spatial size is refused when the layer runs on it.
    RuntimeException spatial =
        assertThrows(
            RuntimeException.class,
            () -> new LayerHarness(unknownSize, Shape.of(-1, -1, 3, 3, 2), false).close());
    assertEquals(
        "Layer \"c3t\" (Conv3DTranspose): the spatial sizes of the input must be known, got"
            + " (None, None, 3, 3, 2)",
        spatial.getMessage());
    RuntimeException pool =
        assertThrows(
            RuntimeException.class,
            () -> MaxPooling3D.builder().name("p3").build().apply(Input.of(4, 4, 3)));
    assertTrue(pool.getMessage().contains("p3"), pool.getMessage());
    RuntimeException global =
        assertThrows(
            RuntimeException.class, () -> new GlobalAveragePooling3D("g3").apply(Input.of(4, 3)));
    assertEquals(
        "Input 0 of layer \"g3\" is incompatible with the layer: expected ndim=5, found ndim=3,"
            + " but received input with shape (None, 4, 3)",
        global.getMessage());
  }

  @ParameterizedTest(name = "k={0} strides={1} dilation={2} {3} multiplier={4}")
  @CsvSource({
    "3, 1, 1, valid, 1",
    "3, 2, 1, same, 2",
    "2, 1, 2, same, 1",
    "3, 1, 2, valid, 2",
  })
  void depthwiseConv2dMatchesDoubleLoop(int k, int s, int d, String padding, int m) {
    Random rnd = new Random(k * 10 + s + d + m);
    Image in = new Image(2, 6, 5, 3);
    DepthwiseConv2D layer =
        DepthwiseConv2D.builder(k)
            .strides(s)
            .dilationRate(d)
            .padding(padding)
            .depthMultiplier(m)
            .build();
    Shape shape = Shape.of(2, 6, 5, 3);
    layer.ensureBuilt(shape);
    assertEquals(List.of("kernel", "bias"), layer.weights().stream().map(Weight::name).toList());
    assertArrayEquals(new long[] {k, k, 3, m}, layer.kernel().shape().asArray());
    assertArrayEquals(new long[] {3 * m}, layer.bias().shape().asArray());
    Conv2DTest.randomize(layer, rnd);
    Axis a = new Axis(k, s, d, padding.equals("same"));
    ConvReference.check(
        "depthwise",
        layer,
        shape,
        uniform(rnd, in.size(), -1, 1),
        w -> addBias(ConvReference.depthwise(in, w[0], a, a, w[1], m), w[2]),
        rnd);
  }

  @ParameterizedTest(name = "rank {0} k={1} strides={2} dilation={3} {4} multiplier={5}")
  @CsvSource({
    "2, 3, 1, 1, valid, 1",
    "2, 3, 2, 1, same, 2",
    "2, 2, 1, 2, same, 1",
    "1, 3, 1, 1, valid, 2",
    "1, 3, 2, 1, same, 1",
    "1, 2, 1, 3, valid, 1",
  })
  void separableConvIsDepthwiseThenPointwise(int rank, int k, int s, int d, String padding, int m) {
    Random rnd = new Random(rank * 100 + k * 10 + s + d + m);
    Image in = new Image(2, rank == 1 ? 1 : 5, 7, 3);
    int filters = 4;
    SeparableConv layer =
        (rank == 1 ? SeparableConv1D.builder(filters, k) : SeparableConv2D.builder(filters, k))
            .strides(s)
            .dilationRate(d)
            .padding(padding)
            .depthMultiplier(m)
            .build();
    Shape shape = rank == 1 ? Shape.of(2, 7, 3) : Shape.of(2, 5, 7, 3);
    layer.ensureBuilt(shape);
    assertEquals(
        List.of("depthwise_kernel", "pointwise_kernel", "bias"),
        layer.weights().stream().map(Weight::name).toList());
    long[] pw = rank == 1 ? new long[] {1, 3L * m, filters} : new long[] {1, 1, 3L * m, filters};
    assertArrayEquals(pw, layer.pointwiseKernel().shape().asArray());
    Conv2DTest.randomize(layer, rnd);
    Axis rows = rank == 1 ? new Axis(1, 1, 1, false) : new Axis(k, s, d, padding.equals("same"));
    Axis cols = new Axis(k, s, d, padding.equals("same"));
    Axis one = new Axis(1, 1, 1, false);
    ConvReference.check(
        "separable",
        layer,
        shape,
        uniform(rnd, in.size(), -1, 1),
        w -> {
          double[] depthwise = ConvReference.depthwise(in, w[0], rows, cols, w[1], m);
          Image mid = new Image(2, rows.out(in.h()), cols.out(in.w()), 3 * m);
          return ConvReference.conv(mid, depthwise, one, one, w[2], filters, 1, w[3]);
        },
        rnd);
  }

  /** Adds {@code bias[c]} to every value of channel c (channels last). */
  private static double[] addBias(double[] y, double[] bias) {
    for (int i = 0; i < y.length; i++) {
      y[i] += bias[i % bias.length];
    }
    return y;
  }

  @Test
  void configsFollowKerasKeyOrderAndReadBack() {
    Conv2DTranspose t = Conv2DTranspose.builder(4, 3).outputPadding(1).strides(2).build();
    Map<String, Object> tc = t.getConfig();
    assertEquals(
        List.of(
            "name",
            "trainable",
            "dtype",
            "filters",
            "kernel_size",
            "strides",
            "padding",
            "output_padding",
            "data_format",
            "dilation_rate",
            "activation",
            "use_bias",
            "kernel_initializer",
            "bias_initializer",
            "kernel_regularizer",
            "bias_regularizer",
            "activity_regularizer",
            "kernel_constraint",
            "bias_constraint"),
        List.copyOf(tc.keySet()));
    assertEquals(List.of(1, 1), tc.get("output_padding"));
    assertEquals(tc.toString(), Conv2DTranspose.fromConfig(tc).getConfig().toString());
    assertEquals(null, new Conv2DTranspose(2, 3).getConfig().get("output_padding"));

    Map<String, Object> dc = DepthwiseConv2D.builder(3).depthMultiplier(2).build().getConfig();
    assertEquals(
        List.of(
            "name",
            "trainable",
            "dtype",
            "depth_multiplier",
            "kernel_size",
            "strides",
            "padding",
            "data_format",
            "dilation_rate",
            "activation",
            "use_bias",
            "depthwise_initializer",
            "bias_initializer",
            "depthwise_regularizer",
            "bias_regularizer",
            "activity_regularizer",
            "depthwise_constraint",
            "bias_constraint"),
        List.copyOf(dc.keySet()));
    assertEquals(dc.toString(), DepthwiseConv2D.fromConfig(dc).getConfig().toString());

    Map<String, Object> sc =
        SeparableConv1D.builder(8, 3).pointwiseInitializer("he_normal").build().getConfig();
    assertEquals(
        List.of(
            "name",
            "trainable",
            "dtype",
            "depth_multiplier",
            "filters",
            "kernel_size",
            "strides",
            "padding",
            "data_format",
            "dilation_rate",
            "activation",
            "use_bias",
            "depthwise_initializer",
            "pointwise_initializer",
            "bias_initializer",
            "depthwise_regularizer",
            "pointwise_regularizer",
            "bias_regularizer",
            "activity_regularizer",
            "depthwise_constraint",
            "pointwise_constraint",
            "bias_constraint"),
        List.copyOf(sc.keySet()));
    assertEquals(List.of(3), sc.get("kernel_size"));
    assertEquals(sc.toString(), SeparableConv1D.fromConfig(sc).getConfig().toString());
  }

  @Test
  void badArgumentsGiveClearErrors() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Conv2DTranspose.builder(4, 3).strides(2).outputPadding(2).build());
    assertTrue(
        e.getMessage().contains("output_padding=[2, 2]")
            && e.getMessage().contains("strides=[2, 2]"),
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DepthwiseConv2D.builder(3).depthMultiplier(0).build());
    assertTrue(e.getMessage().contains("depth_multiplier"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SeparableConv2D.builder(4, 3).strides(2).dilationRate(2).build());
    assertTrue(e.getMessage().contains("SeparableConv2D"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new SeparableConv1D(0, 3));
    assertTrue(
        e.getMessage().contains("SeparableConv1D") && e.getMessage().contains("filters"),
        e.getMessage());
    SeparableConv1D s = SeparableConv1D.builder(2, 3).name("sep").build();
    e = assertThrows(IllegalArgumentException.class, () -> s.apply(Input.of(5, 5, 2)));
    assertTrue(
        e.getMessage().contains("\"sep\"") && e.getMessage().contains("ndim=3"), e.getMessage());
  }
}

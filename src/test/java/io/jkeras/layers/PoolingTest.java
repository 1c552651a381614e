package io.jkeras.layers;

import static io.jkeras.testing.Numerics.assertClose;
import static io.jkeras.testing.Numerics.centralDifferences;
import static io.jkeras.testing.Numerics.toDouble;
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

/** MaxPooling1D/2D, AveragePooling1D/2D and GlobalMax/AveragePooling2D against double loops. */
class PoolingTest {

  static Pooling pooling(int rank, boolean max, int k, int s, String padding) {
    Pooling.Builder<? extends Pooling> b =
        rank == 1
            ? (max ? MaxPooling1D.builder() : AveragePooling1D.builder(k))
            : (max ? MaxPooling2D.builder() : AveragePooling2D.builder(k));
    return b.poolSize(k).strides(s).padding(padding).build();
  }

  @ParameterizedTest(name = "rank {0} max={1} pool={2} strides={3} {4} {5}x{6}")
  @CsvSource({
    "2, true, 2, 2, valid, 6, 7",
    "2, true, 3, 2, same, 7, 6",
    "2, false, 2, 2, valid, 6, 7",
    "2, false, 3, 2, same, 7, 6",
    "2, false, 3, 1, same, 5, 5",
    "1, true, 2, 2, valid, 1, 9",
    "1, true, 3, 2, same, 1, 8",
    "1, false, 3, 1, same, 1, 7",
    "1, false, 2, 3, valid, 1, 9",
  })
  void forwardAndGradientsMatchDoubleLoops(
      int rank, boolean max, int k, int s, String padding, int h, int w) {
    Random rnd = new Random(h * 31 + w + k * 7 + s + (max ? 1 : 0));
    Image in = new Image(2, h, w, 3);
    Axis rows = new Axis(rank == 1 ? 1 : k, rank == 1 ? 1 : s, 1, padding.equals("same"));
    Axis cols = new Axis(k, s, 1, padding.equals("same"));
    Pooling layer = pooling(rank, max, k, s, padding);
    Shape shape = rank == 1 ? Shape.of(2, w, 3) : Shape.of(2, h, w, 3);
    float[] x = uniform(rnd, in.size(), -1, 1);
    double[] expected = ConvReference.pool(in, toDouble(x), rows, cols, max);
    int oh = rows.out(h);
    int ow = cols.out(w);
    Shape outShape = rank == 1 ? Shape.of(2, ow, 3) : Shape.of(2, oh, ow, 3);
    try (LayerHarness harness = new LayerHarness(layer, shape, false)) {
      assertArrayEquals(outShape.asArray(), harness.outputShape().asArray());
      assertArrayEquals(outShape.asArray(), layer.computeOutputShape(shape).asArray());
      assertClose("forward", expected, harness.forward(shape, x), 1e-6, 1e-6);
      float[] c = uniform(rnd, expected.length, -1, 1);
      double[] cd = toDouble(c);
      double[] numeric =
          centralDifferences(
              toDouble(x),
              v -> ConvReference.dot(cd, ConvReference.pool(in, v, rows, cols, max)),
              1e-6);
      assertClose("d/dx", numeric, harness.gradients(shape, x, outShape, c).get(0), 1e-4, 1e-5);
    }
  }

  @Test
  void channelsFirstPoolsTheSameValues() {
    Random rnd = new Random(5);
    Image in = new Image(2, 5, 6, 3);
    float[] x = uniform(rnd, in.size(), -1, 1);
    Axis a = new Axis(2, 2, 1, true);
    double[] lastOrder = ConvReference.pool(in, toDouble(x), a, a, false);
    Pooling layer =
        AveragePooling2D.builder(2).padding("same").dataFormat("channels_first").build();
    try (LayerHarness h = new LayerHarness(layer, Shape.of(-1, 3, 5, 6), false)) {
      assertArrayEquals(new long[] {-1, 3, 3, 3}, h.outputShape().asArray());
      float[] y = h.forward(Shape.of(2, 3, 5, 6), ConvReference.toChannelsFirst(in, x));
      Image out = new Image(2, 3, 3, 3);
      float[] expectedFirst = new float[lastOrder.length];
      for (int i = 0; i < lastOrder.length; i++) {
        expectedFirst[i] = (float) lastOrder[i];
      }
      assertClose(
          "channels_first",
          toDouble(ConvReference.toChannelsFirst(out, expectedFirst)),
          y,
          1e-6,
          1e-6);
    }
  }

  @Test
  void globalPooling2DReducesRowsAndColumns() {
    Random rnd = new Random(9);
    Image in = new Image(2, 3, 4, 5);
    float[] x = uniform(rnd, in.size(), -1, 1);
    double[] max = new double[2 * 5];
    double[] mean = new double[2 * 5];
    java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
    for (int n = 0; n < 2; n++) {
      for (int r = 0; r < 3; r++) {
        for (int q = 0; q < 4; q++) {
          for (int c = 0; c < 5; c++) {
            double v = x[in.at(n, r, q, c)];
            max[n * 5 + c] = Math.max(max[n * 5 + c], v);
            mean[n * 5 + c] += v / 12;
          }
        }
      }
    }
    Shape shape = Shape.of(2, 3, 4, 5);
    try (LayerHarness h = new LayerHarness(new GlobalMaxPooling2D(), shape, false)) {
      assertArrayEquals(new long[] {2, 5}, h.outputShape().asArray());
      assertClose("max", max, h.forward(shape, x), 1e-6, 1e-6);
    }
    try (LayerHarness h =
        new LayerHarness(new GlobalAveragePooling2D(null, "channels_last", true), shape, false)) {
      assertArrayEquals(new long[] {2, 1, 1, 5}, h.outputShape().asArray());
      assertClose("mean keepdims", mean, h.forward(shape, x), 1e-6, 1e-6);
    }
    // channels_first reads (batch, channels, rows, cols).
    Shape first = Shape.of(2, 5, 3, 4);
    try (LayerHarness h =
        new LayerHarness(new GlobalAveragePooling2D(null, "channels_first", false), first, false)) {
      assertClose("mean channels_first", mean, h.forward(first, permute(in, x)), 1e-6, 1e-6);
    }
    assertArrayEquals(
        new long[] {-1, 5, 1, 1},
        new GlobalMaxPooling2D(null, "channels_first", true)
            .computeOutputShape(Shape.of(-1, 5, 3, 4))
            .asArray());
    // The existing 1-D layers have the same arguments.
    assertArrayEquals(
        new long[] {-1, 6, 1},
        new GlobalMaxPooling1D(null, "channels_first", true)
            .computeOutputShape(Shape.of(-1, 6, 9))
            .asArray());
  }

  private static float[] permute(Image in, float[] x) {
    return ConvReference.toChannelsFirst(in, x);
  }

  @Test
  void configsMatchKerasAndReadBack() {
    // Keras 3.15.1: MaxPooling2D().get_config() (without name/trainable/dtype).
    Map<String, Object> c = new MaxPooling2D().getConfig();
    assertEquals(
        List.of("name", "trainable", "dtype", "pool_size", "padding", "strides", "data_format"),
        List.copyOf(c.keySet()));
    assertEquals(List.of(2, 2), c.get("pool_size"));
    assertEquals(List.of(2, 2), c.get("strides"));
    assertEquals("valid", c.get("padding"));
    assertEquals("channels_last", c.get("data_format"));
    Pooling p =
        AveragePooling1D.builder(3).strides(1).padding("SAME").dataFormat("channels_first").build();
    Map<String, Object> pc = p.getConfig();
    assertEquals(List.of(3), pc.get("pool_size"));
    assertEquals(List.of(1), pc.get("strides"));
    assertEquals("same", pc.get("padding"));
    AveragePooling1D back = AveragePooling1D.fromConfig(pc);
    assertEquals(pc.toString(), back.getConfig().toString());
    // Keras writes tuples; an integer is accepted as for every axis.
    Map<String, Object> written =
        Map.of("name", "p", "pool_size", 3, "strides", List.of(1, 2), "padding", "same");
    MaxPooling2D read = MaxPooling2D.fromConfig(written);
    assertArrayEquals(new int[] {3, 3}, read.poolSize());
    assertArrayEquals(new int[] {1, 2}, read.strides());
    Map<String, Object> g = new GlobalMaxPooling2D().getConfig();
    assertEquals(
        List.of("name", "trainable", "dtype", "data_format", "keepdims"), List.copyOf(g.keySet()));
  }

  @Test
  void badArgumentsAndShapesGiveClearErrors() {
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> MaxPooling2D.builder().padding("causal").build());
    assertTrue(
        e.getMessage().contains("MaxPooling2D") && e.getMessage().contains("causal"),
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> AveragePooling2D.builder(2, 2, 2).build());
    assertTrue(e.getMessage().contains("pool_size") && e.getMessage().contains("[2, 2, 2]"));
    e = assertThrows(IllegalArgumentException.class, () -> new MaxPooling1D(0));
    assertTrue(e.getMessage().contains("pool_size"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> AveragePooling2D.fromConfig(Map.of("name", "avg")));
    assertTrue(e.getMessage().contains("pool_size is required"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MaxPooling2D.fromConfig(Map.of("pool_size", "2")));
    assertTrue(
        e.getMessage().contains("MaxPooling2D: config.pool_size")
            && e.getMessage().contains("pool_size")
            && e.getMessage().contains("\"2\" (a string)"),
        e.getMessage());
    MaxPooling2D big = MaxPooling2D.builder().poolSize(5).name("big").build();
    e = assertThrows(IllegalArgumentException.class, () -> big.apply(Input.of(4, 8, 2)));
    assertTrue(
        e.getMessage().contains("\"big\"")
            && e.getMessage().contains("(None, 4, 8, 2)")
            && e.getMessage().contains("valid"),
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> new MaxPooling2D().apply(Input.of(8, 2)));
    assertTrue(e.getMessage().contains("ndim=4"), e.getMessage());
  }
}

package io.jkeras.layers;

import static io.jkeras.testing.Numerics.assertClose;
import static io.jkeras.testing.Numerics.centralDifferences;
import static io.jkeras.testing.Numerics.toDouble;
import static io.jkeras.testing.Numerics.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.testing.LayerHarness;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.ndarray.Shape;

class PoolingAndFlattenTest {

  /**
   * Max or mean over the steps of x (batch, steps, features), channels_last; with channelsFirst x
   * is (batch, features, steps). Output (batch, features).
   */
  static double[] pool(
      boolean max, boolean channelsFirst, double[] x, int batch, int steps, int features) {
    double[] y = new double[batch * features];
    for (int b = 0; b < batch; b++) {
      for (int f = 0; f < features; f++) {
        double acc = max ? Double.NEGATIVE_INFINITY : 0;
        for (int t = 0; t < steps; t++) {
          double v =
              channelsFirst ? x[(b * features + f) * steps + t] : x[(b * steps + t) * features + f];
          acc = max ? Math.max(acc, v) : acc + v;
        }
        y[b * features + f] = max ? acc : acc / steps;
      }
    }
    return y;
  }

  static Layer pooling(boolean max, String format, boolean keepdims) {
    return max
        ? new GlobalMaxPooling1D(null, format, keepdims)
        : new GlobalAveragePooling1D(null, format, keepdims);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void poolingMatchesReferenceInBothFormatsWithAndWithoutKeepdims(boolean max) {
    Random rnd = new Random(max ? 1 : 2);
    int batch = 3;
    int steps = 7;
    int features = 5;
    float[] x = uniform(rnd, batch * steps * features, -2, 2);
    double[] last = pool(max, false, toDouble(x), batch, steps, features);
    double[] first = pool(max, true, toDouble(x), batch, steps, features);
    try (LayerHarness h =
        new LayerHarness(
            pooling(max, "channels_last", false), Shape.of(-1, steps, features), false)) {
      assertArrayEquals(new long[] {-1, features}, h.outputShape().asArray());
      assertClose(
          "channels_last", last, h.forward(Shape.of(batch, steps, features), x), 1e-6, 1e-6);
    }
    try (LayerHarness h =
        new LayerHarness(
            pooling(max, "channels_last", true), Shape.of(-1, steps, features), false)) {
      assertArrayEquals(new long[] {-1, 1, features}, h.outputShape().asArray());
      assertClose("keepdims", last, h.forward(Shape.of(batch, steps, features), x), 1e-6, 1e-6);
    }
    try (LayerHarness h =
        new LayerHarness(
            pooling(max, "channels_first", false), Shape.of(-1, features, steps), false)) {
      assertArrayEquals(new long[] {-1, features}, h.outputShape().asArray());
      assertClose(
          "channels_first", first, h.forward(Shape.of(batch, features, steps), x), 1e-6, 1e-6);
    }
    try (LayerHarness h =
        new LayerHarness(
            pooling(max, "channels_first", true), Shape.of(-1, features, steps), false)) {
      assertArrayEquals(new long[] {-1, features, 1}, h.outputShape().asArray());
    }
    // computeOutputShape agrees with the traced shapes, also for unknown steps.
    assertArrayEquals(
        new long[] {-1, 250},
        pooling(max, "channels_last", false).computeOutputShape(Shape.of(-1, -1, 250)).asArray());
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void poolingGradientsMatchCentralDifferences(boolean max) {
    Random rnd = new Random(max ? 3 : 4);
    int batch = 2;
    int steps = 6;
    int features = 4;
    float[] x = uniform(rnd, batch * steps * features, -1, 1);
    float[] c = uniform(rnd, batch * features, -1, 1);
    double[] cd = toDouble(c);
    try (LayerHarness h =
        new LayerHarness(
            pooling(max, "channels_last", false), Shape.of(-1, steps, features), true)) {
      List<float[]> g =
          h.gradients(Shape.of(batch, steps, features), x, Shape.of(batch, features), c);
      assertEquals(1, g.size());
      // Random floats have no ties, and h is far below the gaps between them.
      double[] fd =
          centralDifferences(
              toDouble(x),
              v -> DenseTest.dot(cd, pool(max, false, v, batch, steps, features)),
              1e-7);
      assertClose("d/dx", fd, g.get(0), 1e-4, 1e-5);
    }
  }

  @Test
  void poolingConfigsMatchKeras() {
    // Keras 3.15.1: GlobalMaxPooling1D().get_config(), GlobalAveragePooling1D(keepdims=True).
    Map<String, Object> c = new GlobalMaxPooling1D("global_max_pooling1d").getConfig();
    assertEquals(
        List.of("name", "trainable", "dtype", "data_format", "keepdims"), List.copyOf(c.keySet()));
    assertEquals("global_max_pooling1d", c.get("name"));
    assertEquals("channels_last", c.get("data_format"));
    assertEquals(false, c.get("keepdims"));
    Map<String, Object> a = new GlobalAveragePooling1D(null, "Channels_First", true).getConfig();
    assertEquals("channels_first", a.get("data_format"));
    assertEquals(true, a.get("keepdims"));
    KerasNames.reset();
    assertEquals("global_max_pooling1d", new GlobalMaxPooling1D().name());
    assertEquals("global_average_pooling1d", new GlobalAveragePooling1D().name());
    assertEquals("GlobalAveragePooling1D", new GlobalAveragePooling1D().className());
  }

  @Test
  void poolingRejectsOtherRanksAndFormats() {
    GlobalMaxPooling1D p = new GlobalMaxPooling1D("gmp");
    var e = assertThrows(IllegalArgumentException.class, () -> p.apply(Input.of(4)));
    assertTrue(
        e.getMessage().contains("\"gmp\"")
            && e.getMessage().contains("ndim=3")
            && e.getMessage().contains("(None, 4)"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> p.apply(Input.of(2, 3, 4)));
    assertTrue(e.getMessage().contains("(None, 2, 3, 4)"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> new GlobalAveragePooling1D(null, "nhwc", false));
    assertTrue(
        e.getMessage().contains("nhwc") && e.getMessage().contains("channels_last"),
        e.getMessage());
  }

  @Test
  void flattenKeepsRowMajorOrderAndMovesChannelsFirstToLast() {
    Random rnd = new Random(9);
    float[] x = uniform(rnd, 2 * 3 * 4 * 5, -1, 1);
    try (LayerHarness h = new LayerHarness(new Flatten(), Shape.of(-1, 3, 4, 5), false)) {
      assertArrayEquals(new long[] {-1, 60}, h.outputShape().asArray());
      assertClose("flatten", toDouble(x), h.forward(Shape.of(2, 3, 4, 5), x), 0, 0);
    }
    // channels_first (batch, c=3, 4, 5): output index (i*5 + j)*3 + c holds x[b, c, i, j].
    double[] expected = new double[x.length];
    for (int b = 0; b < 2; b++) {
      for (int c = 0; c < 3; c++) {
        for (int i = 0; i < 4; i++) {
          for (int j = 0; j < 5; j++) {
            expected[b * 60 + (i * 5 + j) * 3 + c] = x[b * 60 + (c * 4 + i) * 5 + j];
          }
        }
      }
    }
    try (LayerHarness h =
        new LayerHarness(new Flatten(null, "channels_first"), Shape.of(-1, 3, 4, 5), false)) {
      assertClose("flatten channels_first", expected, h.forward(Shape.of(2, 3, 4, 5), x), 0, 0);
    }
    // Rank 1 -> (batch, 1); unknown sample sizes -> (batch, None) and reshape at run time.
    try (LayerHarness h = new LayerHarness(new Flatten(), Shape.of(-1), false)) {
      assertArrayEquals(new long[] {-1, 1}, h.outputShape().asArray());
      assertClose(
          "rank 1", new double[] {1, 2, 3}, h.forward(Shape.of(3), new float[] {1, 2, 3}), 0, 0);
    }
    try (LayerHarness h = new LayerHarness(new Flatten(), Shape.of(-1, -1, 2), false)) {
      assertArrayEquals(new long[] {-1, -1}, h.outputShape().asArray());
      float[] y = h.forward(Shape.of(2, 3, 2), new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
      assertClose("dynamic", new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, y, 0, 0);
    }
    assertArrayEquals(
        new long[] {-1, 24500}, new Flatten().computeOutputShape(Shape.of(-1, 98, 250)).asArray());
  }

  @Test
  void flattenConfigAndErrors() {
    // Keras 3.15.1: Flatten().get_config().
    Map<String, Object> c = new Flatten("flatten").getConfig();
    assertEquals(List.of("name", "trainable", "dtype", "data_format"), List.copyOf(c.keySet()));
    assertEquals("channels_last", c.get("data_format"));
    assertEquals(
        "channels_first", new Flatten(null, "channels_first").getConfig().get("data_format"));
    var e = assertThrows(IllegalArgumentException.class, () -> new Flatten(null, "last"));
    assertTrue(e.getMessage().contains("\"last\""), e.getMessage());
    assertTrue(new Flatten().weights().isEmpty());
  }
}

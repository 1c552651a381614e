package io.jkeras.layers;

import static io.jkeras.testing.Numerics.assertClose;
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
import org.tensorflow.ndarray.Shape;

/**
 * The reshaping layers against hand-written index references, their gradients, and their errors.
 * (KerasLayersInteropTest checks them against Keras.)
 */
class ReshapingLayersTest {

  /**
   * Forward equals {@code reference(x)} (double), and since these layers are linear the input
   * gradient of {@code sum(c * f(x))} is exactly {@code c . f(e_i)} for every basis vector e_i.
   */
  static void check(Layer layer, Shape in, java.util.function.Function<double[], double[]> ref) {
    Random rnd = new Random(in.hashCode());
    int n = (int) in.size();
    float[] x = uniform(rnd, n, -1, 1);
    Shape placeholder = Shape.of(-1).append(Shape.of(KerasShape.sampleDims(in)));
    try (LayerHarness h = new LayerHarness(layer, placeholder, false)) {
      double[] expected = ref.apply(toDouble(x));
      assertClose(layer.name() + " forward", expected, h.forward(in, x), 0, 1e-7);
      long[] out = h.outputShape().asArray();
      out[0] = in.size(0);
      float[] c = uniform(rnd, expected.length, -1, 1);
      double[] cd = toDouble(c);
      double[] grad = new double[n];
      for (int i = 0; i < n; i++) {
        double[] e = new double[n];
        e[i] = 1;
        grad[i] = MergingLayersTest.dot(cd, ref.apply(e));
      }
      assertClose(
          layer.name() + " d/dx", grad, h.gradients(in, x, Shape.of(out), c).get(0), 1e-5, 1e-6);
    }
  }

  /** Reads x as (b, r, c, ch) and writes y[b, i, j, ch] = x[b, rowOf(i), colOf(j), ch] or 0. */
  interface Index {
    int at(int i);
  }

  static double[] gather2d(
      double[] x, int b, int r, int c, int ch, int outR, int outC, Index rows, Index cols) {
    double[] y = new double[b * outR * outC * ch];
    for (int s = 0; s < b; s++) {
      for (int i = 0; i < outR; i++) {
        for (int j = 0; j < outC; j++) {
          int si = rows.at(i);
          int sj = cols.at(j);
          for (int k = 0; k < ch; k++) {
            y[((s * outR + i) * outC + j) * ch + k] =
                si < 0 || si >= r || sj < 0 || sj >= c ? 0 : x[((s * r + si) * c + sj) * ch + k];
          }
        }
      }
    }
    return y;
  }

  @Test
  void croppingPaddingAndNearestUpSamplingMoveValuesAsTheirIndexRulesSay() {
    // 1D layers are 2D ones with a single column.
    check(
        new Cropping1D(2, 1, "crop1"),
        Shape.of(2, 6, 3),
        x -> gather2d(x, 2, 6, 1, 3, 3, 1, i -> i + 2, j -> j));
    check(
        ZeroPadding1D.builder().padding(1, 2).name("pad1").build(),
        Shape.of(2, 3, 2),
        x -> gather2d(x, 2, 3, 1, 2, 6, 1, i -> i - 1, j -> j));
    check(
        new UpSampling1D(3, "up1"),
        Shape.of(2, 2, 2),
        x -> gather2d(x, 2, 2, 1, 2, 6, 1, i -> i / 3, j -> j));
    check(
        Cropping2D.builder().cropping(1, 0, 0, 2).name("crop2").build(),
        Shape.of(2, 3, 4, 2),
        x -> gather2d(x, 2, 3, 4, 2, 2, 2, i -> i + 1, j -> j));
    check(
        ZeroPadding2D.builder().padding(0, 1, 2, 0).name("pad2").build(),
        Shape.of(1, 2, 2, 3),
        x -> gather2d(x, 1, 2, 2, 3, 3, 4, i -> i, j -> j - 2));
    check(
        UpSampling2D.builder().size(2, 3).name("up2").build(),
        Shape.of(2, 2, 2, 2),
        x -> gather2d(x, 2, 2, 2, 2, 4, 6, i -> i / 2, j -> j / 3));
  }

  @Test
  void reshapePermuteAndRepeatVectorKeepRowMajorOrder() {
    check(new Reshape("reshape", -1, 2), Shape.of(2, 3, 4), x -> x);
    // Permute (2, 1) on (b, 3, 4) is a transpose of each sample.
    check(
        new Permute("perm", 2, 1),
        Shape.of(2, 3, 4),
        x -> MergingLayersTest.transposeLastTwo(x, 2, 3, 4));
    check(
        new RepeatVector(3, "rep"),
        Shape.of(2, 4),
        x -> {
          double[] y = new double[24];
          for (int i = 0; i < 24; i++) {
            y[i] = x[(i / 12) * 4 + i % 4];
          }
          return y;
        });
    assertArrayEquals(
        new long[] {-1, -1, 2},
        new Reshape(-1, 2).computeOutputShape(Shape.of(-1, -1, 4)).asArray());
  }

  @Test
  void emptyTargetShapeGivesOneValuePerSampleAsRankOne() {
    // Keras's Reshape(()): (None, 1) -> (None,), the values unchanged; its file says [].
    check(new Reshape("scalar"), Shape.of(3, 1), x -> x);
    assertArrayEquals(new long[] {-1}, new Reshape().computeOutputShape(Shape.of(-1, 1)).asArray());
    Reshape loaded = Reshape.fromConfig(Map.of("name", "scalar", "target_shape", List.of()));
    assertArrayEquals(new long[0], loaded.targetShape());
    assertEquals(List.of(), loaded.getConfig().get("target_shape"));
    var e = assertThrows(IllegalArgumentException.class, () -> new Reshape("r").apply(Input.of(3)));
    assertTrue(
        e.getMessage().contains("\"r\"")
            && e.getMessage().contains("3 values")
            && e.getMessage().contains("[]"),
        e.getMessage());
  }

  @Test
  void bilinearUpSamplingUsesHalfPixelCenters() {
    // One row [0, 1, 2] doubled: sample points at (j + 0.5) / 2 - 0.5, clamped to the edges.
    check(
        UpSampling2D.builder().size(1, 2).interpolation("bilinear").name("bilinear").build(),
        Shape.of(1, 1, 3, 1),
        x -> {
          double[] y = new double[6];
          for (int j = 0; j < 6; j++) {
            double p = Math.max(0, Math.min(2, (j + 0.5) / 2 - 0.5));
            int lo = (int) Math.floor(p);
            int hi = Math.min(2, lo + 1);
            y[j] = x[lo] + (p - lo) * (x[hi] - x[lo]);
          }
          return y;
        });
  }

  @Test
  void badArgumentsAndShapesNameTheLayerAndTheValues() {
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> new Reshape("r", 4, 2).apply(Input.of(6)));
    assertTrue(
        e.getMessage().contains("\"r\"")
            && e.getMessage().contains("6 values")
            && e.getMessage().contains("[4, 2]"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Reshape(-1, -1));
    assertTrue(e.getMessage().contains("at most one -1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Permute(1, 3));
    assertTrue(e.getMessage().contains("permutation of 1..2") && e.getMessage().contains("[1, 3]"));
    e =
        assertThrows(
            IllegalArgumentException.class, () -> new Permute("p", 2, 1).apply(Input.of(3, 4, 5)));
    assertTrue(e.getMessage().contains("\"p\"") && e.getMessage().contains("ndim=3"));
    e =
        assertThrows(
            IllegalArgumentException.class, () -> new Cropping1D(3, 2, "c").apply(Input.of(5, 2)));
    assertTrue(
        e.getMessage().contains("\"c\"")
            && e.getMessage().contains("(3, 2)")
            && e.getMessage().contains("(None, 5, 2)"),
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> UpSampling2D.builder().interpolation("gaussian").build());
    assertTrue(e.getMessage().contains("gaussian"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ZeroPadding2D.builder().dataFormat("nhwc").build());
    assertTrue(e.getMessage().contains("ZeroPadding2D") && e.getMessage().contains("nhwc"));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Cropping2D.fromConfig(Map.of("cropping", List.of(1, 2, 3))));
    assertTrue(
        e.getMessage().contains("Cropping2D: config.cropping")
            && e.getMessage().contains("[1, 2, 3]"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new RepeatVector(0));
    assertTrue(e.getMessage().contains("positive") && e.getMessage().contains("0"));
    e = assertThrows(IllegalArgumentException.class, () -> new UpSampling1D(0));
    assertTrue(e.getMessage().contains("UpSampling1D: size"), e.getMessage());
  }

  /**
   * The 3-D reshaping layers read Keras's three config forms (an integer, one per axis, one pair
   * per axis), write one pair per axis, and refuse bad amounts and shapes naming the layer.
   */
  @Test
  void threeDimensionalPaddingCroppingAndUpsamplingConfigsAndErrors() {
    assertArrayEquals(
        new int[][] {{2, 2}, {2, 2}, {2, 2}},
        ZeroPadding3D.fromConfig(Map.of("padding", 2)).padding());
    assertArrayEquals(
        new int[][] {{1, 1}, {0, 0}, {3, 3}},
        Cropping3D.fromConfig(Map.of("cropping", List.of(1, 0, 3))).cropping());
    ZeroPadding3D pairs =
        ZeroPadding3D.fromConfig(
            Map.of("padding", List.of(List.of(1, 0), List.of(0, 2), List.of(3, 1))));
    assertEquals(
        List.of(List.of(1, 0), List.of(0, 2), List.of(3, 1)), pairs.getConfig().get("padding"));
    assertArrayEquals(
        new long[] {-1, 3, 5, 8, 2}, pairs.computeOutputShape(Shape.of(-1, 2, 3, 4, 2)).asArray());
    var wrong =
        assertThrows(
            IllegalArgumentException.class,
            () -> Cropping3D.fromConfig(Map.of("cropping", List.of(1, 2))));
    assertTrue(
        wrong
            .getMessage()
            .contains(
                "Cropping3D: config.cropping: expected a non-negative integer,"
                    + " a list of three, or a list of three pairs of them"),
        wrong.getMessage());
    var nothing =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Cropping3D.builder()
                    .cropping(1, 1, 0, 0, 0, 0)
                    .name("crop3")
                    .build()
                    .computeOutputShape(Shape.of(-1, 2, 4, 4, 1)));
    assertEquals(
        "Layer \"crop3\" (Cropping3D): cropping [[1, 1], [0, 0], [0, 0]] leaves nothing of axis 1"
            + " of an input of shape (None, 2, 4, 4, 1)",
        nothing.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ZeroPadding3D.builder().padding(-1).build());
    var size = assertThrows(IllegalArgumentException.class, () -> new UpSampling3D(2, 0, 2, "up3"));
    assertTrue(size.getMessage().startsWith("UpSampling3D: size"), size.getMessage());
    assertEquals(
        List.of(1, 2, 3),
        UpSampling3D.fromConfig(Map.of("size", List.of(1, 2, 3))).getConfig().get("size"));
    // Nearest-neighbour repeats: (1, 1, 2, 2, 1) by (1, 2, 1) gives rows repeated twice.
    try (LayerHarness h =
        new LayerHarness(new UpSampling3D(1, 2, 1, "up"), Shape.of(-1, 1, 2, 2, 1), false)) {
      assertArrayEquals(
          new float[] {1, 2, 1, 2, 3, 4, 3, 4},
          h.forward(Shape.of(1, 1, 2, 2, 1), new float[] {1, 2, 3, 4}));
    }
  }
}

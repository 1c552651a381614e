package io.jkeras.layers;

import static io.jkeras.testing.Numerics.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.backend.ForwardPass;
import io.jkeras.backend.GraphSession;
import io.jkeras.testing.LayerHarness;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/** Rescaling, Normalization, Discretization and CategoryEncoding on hand-checked values. */
class PreprocessingTest {

  @Test
  void rescalingScalesAndShiftsPerLayerOrPerChannel() {
    try (LayerHarness h = new LayerHarness(new Rescaling(0.5, -1, null), Shape.of(-1, 2), true)) {
      assertClose(
          "scalar",
          new double[] {-1, -0.5, 0.5, 4},
          h.forward(Shape.of(2, 2), new float[] {0, 1, 3, 10}),
          0,
          1e-7);
      // d/dx = scale
      assertClose(
          "d/dx",
          new double[] {0.5, 1, 1.5, 2},
          h.gradients(
                  Shape.of(2, 2),
                  new float[] {0, 1, 3, 10},
                  Shape.of(2, 2),
                  new float[] {1, 2, 3, 4})
              .get(0),
          0,
          1e-7);
    }
    Rescaling perChannel = new Rescaling(new double[] {1, 2, 3}, new double[] {0, 0, 1}, "r");
    try (LayerHarness h = new LayerHarness(perChannel, Shape.of(-1, 3), false)) {
      assertClose(
          "per channel",
          new double[] {1, 2, 4},
          h.forward(Shape.of(1, 3), new float[] {1, 1, 1}),
          0,
          1e-7);
    }
    assertEquals(List.of(1.0, 2.0, 3.0), perChannel.getConfig().get("scale"));
    assertEquals(0.5, new Rescaling(0.5).getConfig().get("scale"));
    // Keras 3.15.1's config of Rescaling(np.array([1., 2., 3.], "float32"), offset=-1.0): a scale
    // given as a NumPy array is written as a "__numpy__" object.
    Map<String, Object> fromNumpy = new java.util.LinkedHashMap<>();
    fromNumpy.put("name", "rescaling_1");
    fromNumpy.put("trainable", true);
    fromNumpy.put(
        "scale",
        Map.of(
            "class_name",
            "__numpy__",
            "config",
            Map.of("value", List.of(1.0, 2.0, 3.0), "dtype", "float32")));
    fromNumpy.put("offset", -1.0);
    Rescaling loaded = Rescaling.fromConfig(fromNumpy);
    try (LayerHarness h = new LayerHarness(loaded, Shape.of(-1, 3), false)) {
      assertClose(
          "numpy scale",
          new double[] {-0.5, 5, 0.5},
          h.forward(Shape.of(1, 3), new float[] {0.5f, 3, 0.5f}),
          0,
          1e-7);
    }
    assertEquals(List.of(1.0, 2.0, 3.0), loaded.getConfig().get("scale"));
    var e = assertThrows(IllegalArgumentException.class, () -> perChannel.apply(Input.of(4)));
    assertTrue(
        e.getMessage().contains("\"r\"") && e.getMessage().contains("3 channels"), e.getMessage());
  }

  @Test
  void normalizationUsesGivenOrAdaptedMeanAndVariance() {
    Normalization n = new Normalization(new double[] {1, 2}, new double[] {4, 0});
    // (x - mean) / max(sqrt(var), 1e-7): a zero variance divides by 1e-7.
    try (LayerHarness h = new LayerHarness(n, Shape.of(-1, 2), false)) {
      assertClose(
          "given", new double[] {1, 1e7}, h.forward(Shape.of(1, 2), new float[] {3, 3}), 1e-6, 0);
    }
    Normalization inverse =
        new Normalization(null, new int[] {-1}, List.of(1, 2), List.of(4, 9), true);
    try (LayerHarness h = new LayerHarness(inverse, Shape.of(-1, 2), false)) {
      assertClose(
          "invert", new double[] {3, 5}, h.forward(Shape.of(1, 2), new float[] {1, 1}), 1e-6, 0);
    }
    assertEquals(List.of(1, 2), inverse.getConfig().get("mean"));
    // One mean and variance for everything.
    Normalization all = new Normalization(null, new int[0], 2.0, 4.0, false);
    try (LayerHarness h = new LayerHarness(all, Shape.of(-1, 3), false)) {
      assertClose(
          "axis=None",
          new double[] {-1, 0, 1},
          h.forward(Shape.of(1, 3), new float[] {0, 2, 4}),
          1e-6,
          0);
    }
    // Adapted state: non-trainable weights mean, variance, count.
    Normalization adapted = new Normalization(null, new int[] {-1}, null, null, false);
    adapted.ensureBuilt(Shape.of(-1, 3, 2));
    assertEquals(
        List.of("mean", "variance", "count"),
        adapted.weights().stream().map(Weight::name).toList());
    assertTrue(adapted.trainableWeights().isEmpty());
    adapted.adaptedMean().assign(new float[] {1, -1});
    adapted.adaptedVariance().assign(new float[] {4, 1});
    // (The harness takes gradients for every weight; count takes no part in call, so a model runs
    // it.)
    io.jkeras.models.Sequential model = new io.jkeras.models.Sequential("adapted");
    model.add(Input.of(3, 2));
    model.add(adapted);
    try (model) {
      org.tensorflow.ndarray.FloatNdArray y =
          model.predict(
              io.jkeras.backend.HostArray.ofFloats(
                  Shape.of(1, 3, 2), new float[] {1, 0, 2, 1, 3, 2}));
      float[] v = new float[6];
      y.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(v, false, false));
      assertClose("adapted", new double[] {0, 1, 0.5, 2, 1, 3}, v, 1e-6, 0);
    }
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Normalization(null, new int[] {-1}, List.of(1, 2), null, false));
    assertTrue(e.getMessage().contains("together"), e.getMessage());
    Normalization wrong = new Normalization(new double[] {1, 2, 3}, new double[] {1, 1, 1});
    e = assertThrows(IllegalArgumentException.class, () -> wrong.apply(Input.of(2)));
    assertTrue(
        e.getMessage().contains("Normalization") && e.getMessage().contains("[3]"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Normalization.fromConfig(Map.of("mean", List.of(1, 2), "variance", List.of(1))));
    assertTrue(
        e.getMessage().contains("Normalization: config.mean")
            && e.getMessage().contains("same shape"),
        e.getMessage());
  }

  @Test
  void discretizationCountsBoundariesAtOrBelowEachValue() {
    // Keras: [-1, 0, 0.5, 2, 7] with boundaries [0, 1, 2] -> [0, 1, 1, 3, 3] (int32).
    Discretization d = new Discretization(new double[] {0, 1, 2});
    assertEquals("int32", d.apply(Input.of(5)).dtype());
    Discretization asOneHot = new Discretization(new double[] {0, 1, 2}, "one_hot", 0.01, null);
    try (LayerHarness h = new LayerHarness(asOneHot, Shape.of(-1, 5), false)) {
      double[] expected = new double[5 * 4];
      int[] index = {0, 1, 1, 3, 3};
      for (int i = 0; i < 5; i++) {
        expected[i * 4 + index[i]] = 1;
      }
      assertClose(
          "indices", expected, h.forward(Shape.of(1, 5), new float[] {-1, 0, 0.5f, 2, 7}), 0, 0);
    }
    Discretization hot = new Discretization(new double[] {0, 1}, "one_hot", 0.01, "hot");
    try (LayerHarness h = new LayerHarness(hot, Shape.of(-1, 1), false)) {
      assertArrayEquals(new long[] {-1, 3}, h.outputShape().asArray());
      assertClose(
          "one_hot",
          new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1},
          h.forward(Shape.of(3, 1), new float[] {-3, 0, 1}),
          0,
          0);
    }
    Map<String, Object> c = hot.getConfig();
    assertEquals(
        List.of("bin_boundaries", "num_bins", "epsilon", "output_mode", "sparse", "name", "dtype"),
        List.copyOf(c.keySet()));
    assertEquals(c, Discretization.fromConfig(c).getConfig());
    var e =
        assertThrows(IllegalArgumentException.class, () -> new Discretization(new double[] {1, 0}));
    assertTrue(e.getMessage().contains("sorted"), e.getMessage());
    // A num_bins layer not adapted yet (Keras writes it so) loads, and asks to be adapted when run.
    Map<String, Object> adaptable = new java.util.HashMap<>(c);
    adaptable.put("bin_boundaries", null);
    adaptable.put("num_bins", 2);
    Discretization unadapted = Discretization.fromConfig(adaptable);
    var notAdapted =
        assertThrows(
            IllegalStateException.class,
            () -> new LayerHarness(unadapted, Shape.of(-1, 1), false).close());
    assertTrue(notAdapted.getMessage().contains("adapt"), notAdapted.getMessage());
    // Keras: num_bins=2 on [1, 2, 3, 4] puts the boundary at the median, 2.0.
    unadapted.adapt(new float[][] {{1}, {2}, {3}, {4}});
    assertArrayEquals(new double[] {2.0}, unadapted.binBoundaries(), 0);
    var given =
        assertThrows(IllegalStateException.class, () -> hot.adapt(new float[][] {{1}, {2}}));
    assertTrue(given.getMessage().contains("bin_boundaries"), given.getMessage());
  }

  @Test
  void categoryEncodingMultiHotOneHotAndCount() {
    int[] ids = {0, 2, 2, 3, 5, 1};
    try (LayerHarness h =
        new LayerHarness(new CategoryEncoding(4), Shape.of(-1, 3), TInt32.class, false)) {
      assertArrayEquals(new long[] {-1, 4}, h.outputShape().asArray());
      // 5 is out of range and adds nothing.
      assertClose(
          "multi_hot", new double[] {1, 0, 1, 0, 0, 1, 0, 1}, h.forward(Shape.of(2, 3), ids), 0, 0);
    }
    try (LayerHarness h =
        new LayerHarness(new CategoryEncoding(4, "count"), Shape.of(-1, 3), TInt32.class, false)) {
      assertClose(
          "count", new double[] {1, 0, 2, 0, 0, 1, 0, 1}, h.forward(Shape.of(2, 3), ids), 0, 0);
    }
    try (LayerHarness h =
        new LayerHarness(
            new CategoryEncoding(3, "one_hot"), Shape.of(-1, 1), TInt32.class, false)) {
      assertArrayEquals(new long[] {-1, 3}, h.outputShape().asArray());
      assertClose(
          "one_hot",
          new double[] {0, 0, 1, 1, 0, 0},
          h.forward(Shape.of(2, 1), new int[] {2, 0}),
          0,
          0);
    }
    // Keras's bincount refuses negative ids for multi_hot and count; so does jkeras, by name.
    try (LayerHarness h =
        new LayerHarness(
            new CategoryEncoding(4, "multi_hot", "enc"), Shape.of(-1, 2), TInt32.class, false)) {
      var run =
          assertThrows(RuntimeException.class, () -> h.forward(Shape.of(1, 2), new int[] {1, -2}));
      assertTrue(
          run.getMessage().contains("enc") && run.getMessage().contains("non-negative"),
          run.getMessage());
    }
    assertEquals(
        List.of("name", "trainable", "dtype", "num_tokens", "output_mode"),
        List.copyOf(new CategoryEncoding(3).getConfig().keySet()));
    var e = assertThrows(IllegalArgumentException.class, () -> new CategoryEncoding(0));
    assertTrue(e.getMessage().contains("num_tokens"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new CategoryEncoding(3, "tf_idf"));
    assertTrue(
        e.getMessage().contains("tf_idf") && e.getMessage().contains("count"), e.getMessage());
  }

  /** Runs a one-layer Sequential on int64 ids; outputs come back as floats. */
  private static float[] run(Layer layer, long[] ids, long... shape) {
    io.jkeras.models.Sequential model = new io.jkeras.models.Sequential();
    long[] sample = java.util.Arrays.copyOfRange(shape, 1, shape.length);
    model.add(Input.of("int64", sample));
    model.add(layer);
    try (model) {
      org.tensorflow.ndarray.FloatNdArray y =
          model.predict(io.jkeras.backend.HostArray.ofLongs(Shape.of(shape), ids));
      float[] v = new float[(int) y.size()];
      y.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(v, false, false));
      return v;
    }
  }

  @Test
  void integerLookupLaysOutMaskOovAndVocabularyAsKeras() {
    // Default: OOV at 0, vocabulary from 1 in its given order.
    IntegerLookup lookup = new IntegerLookup(new long[] {12, 3, 1138, 5});
    assertEquals(5, lookup.vocabularySize());
    assertArrayEquals(
        new float[] {1, 2, 3, 4, 0, 0}, run(lookup, new long[] {12, 3, 1138, 5, 7, -1}, 1, 6));
    assertEquals("int64", lookup.apply(Input.of("int64", 6)).dtype());
    // Mask 0 at index 0, two OOV indices (floormod), vocabulary from 3.
    IntegerLookup masked = new IntegerLookup(new long[] {3, 1, 4}, 2, 0L, -1L, "int", null, "m");
    assertEquals(6, masked.vocabularySize());
    assertArrayEquals(
        new float[] {0, 3, 4, 5, 2, 1, 2}, run(masked, new long[] {0, 3, 1, 4, 7, 6, -1}, 1, 7));
    Map<String, Object> c = masked.getConfig();
    assertEquals(6, c.get("vocabulary_size"));
    assertEquals(List.of(3L, 1L, 4L), c.get("vocabulary"));
    assertEquals(c.toString(), IntegerLookup.fromConfig(c).getConfig().toString());
    var e =
        assertThrows(IllegalArgumentException.class, () -> new IntegerLookup(new long[] {1, 2, 1}));
    assertTrue(e.getMessage().contains("more than once"), e.getMessage());
    Map<String, Object> adapted = new java.util.HashMap<>(c);
    adapted.put("vocabulary", null);
    // An adapted layer's vocabulary is in the archive's assets: none until they are loaded.
    IntegerLookup waiting = IntegerLookup.fromConfig(adapted);
    assertEquals(6, waiting.vocabularySize());
    var missing = assertThrows(IllegalStateException.class, waiting::vocabulary);
    assertTrue(missing.getMessage().contains("vocabulary.txt"), missing.getMessage());
    waiting.loadAssets(Map.of("vocabulary.txt", "0\n-1\n-1\n3\n1\n4".getBytes()));
    assertEquals(List.of(0L, -1L, -1L, 3L, 1L, 4L), waiting.vocabulary());
    IntegerLookup strict = new IntegerLookup(new long[] {1, 2}, 0, null, -1L, "int", null, "s");
    assertArrayEquals(new float[] {0, 1}, run(strict, new long[] {1, 2}, 1, 2));
    var run =
        assertThrows(
            RuntimeException.class,
            () ->
                run(
                    new IntegerLookup(new long[] {1, 2}, 0, null, -1L, "int", null, "s2"),
                    new long[] {1, 9},
                    1,
                    2));
    assertTrue(
        run.getMessage().contains("s2") && run.getMessage().contains("num_oov_indices=0"),
        run.getMessage());
  }

  @Test
  void hashingIsDeterministicInRangeAndMasks() {
    long[] ids = {0, 1, 2, 123456789012L, -5, 0};
    float[] a = run(new Hashing(5), ids, 1, 6);
    assertArrayEquals(a, run(new Hashing(5), ids, 1, 6));
    for (float v : a) {
      assertTrue(v >= 0 && v < 5 && v == Math.rint(v), java.util.Arrays.toString(a));
    }
    float[] masked = run(new Hashing(5, 0L, new long[] {7}, "int", null), ids, 1, 6);
    assertEquals(0, masked[0]);
    assertEquals(0, masked[5]);
    for (int i = 1; i < 5; i++) {
      assertTrue(masked[i] >= 1 && masked[i] < 5, java.util.Arrays.toString(masked));
    }
    // Keras compares float inputs with the mask before truncating them: 0.5 is not masked, and
    // hashes as "0". Keras 3.15.1's Hashing(5, mask_value=0) on float32 [0.5, 0.0, 1.7] gives
    // [4, 0, 2].
    Hashing floatMask = new Hashing(5, 0L, null, "int", null);
    try (GraphSession g = GraphSession.create()) {
      Operand<?> y =
          floatMask.apply(new ForwardPass(g, false), g.tf().constant(new float[] {0.5f, 0f, 1.7f}));
      try (Result r = g.session().runner().fetch(y).run()) {
        TInt64 bins = (TInt64) r.get(0);
        assertArrayEquals(
            new long[] {4, 0, 2}, new long[] {bins.getLong(0), bins.getLong(1), bins.getLong(2)});
      }
    }
    // Keras 3.15.1's config of Hashing(4, dtype="int32"): int32 bins, [[1, 3, 1, 3]] for
    // [[1, 2, 3, 123]].
    Map<String, Object> int32Config = new java.util.LinkedHashMap<>();
    int32Config.put("name", "h32");
    int32Config.put("trainable", true);
    Map<String, Object> policy = new java.util.LinkedHashMap<>();
    policy.put("module", "keras");
    policy.put("class_name", "DTypePolicy");
    policy.put("config", Map.of("name", "int32"));
    policy.put("registered_name", null);
    int32Config.put("dtype", policy);
    int32Config.put("num_bins", 4);
    int32Config.put("salt", null);
    int32Config.put("mask_value", null);
    int32Config.put("output_mode", "int");
    int32Config.put("sparse", false);
    Hashing int32 = Hashing.fromConfig(int32Config);
    assertEquals("int32", int32.apply(Input.of("int64", 4)).dtype());
    try (GraphSession g = GraphSession.create()) {
      Operand<?> y =
          int32.apply(new ForwardPass(g, false), g.tf().constant(new long[][] {{1, 2, 3, 123}}));
      try (Result r = g.session().runner().fetch(y).run()) {
        TInt32 bins = (TInt32) r.get(0);
        assertArrayEquals(
            new int[] {1, 3, 1, 3},
            new int[] {bins.getInt(0, 0), bins.getInt(0, 1), bins.getInt(0, 2), bins.getInt(0, 3)});
      }
    }
    assertEquals(
        "int32",
        ((Map<?, ?>) ((Map<?, ?>) int32.getConfig().get("dtype")).get("config")).get("name"));
    Map<String, Object> c = new Hashing(5, 0L, new long[] {7}, "int", "h").getConfig();
    assertEquals(
        List.of(
            "name",
            "trainable",
            "dtype",
            "num_bins",
            "salt",
            "mask_value",
            "output_mode",
            "sparse"),
        List.copyOf(c.keySet()));
    assertEquals(List.of(7L, 7L), c.get("salt"));
    assertEquals(c.toString(), Hashing.fromConfig(c).getConfig().toString());
    var e = assertThrows(IllegalArgumentException.class, () -> new Hashing(0));
    assertTrue(e.getMessage().contains("num_bins"), e.getMessage());
  }
}

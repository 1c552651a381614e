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
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

class EmbeddingTest {

  /** Row lookup in double: out[..., j] = table[id, j]. */
  static double[] reference(double[] table, int outputDim, int[] ids) {
    double[] y = new double[ids.length * outputDim];
    for (int i = 0; i < ids.length; i++) {
      System.arraycopy(table, ids[i] * outputDim, y, i * outputDim, outputDim);
    }
    return y;
  }

  static int[] randomIds(Random rnd, int n, int inputDim) {
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = rnd.nextInt(inputDim);
    }
    return ids;
  }

  @Test
  void looksUpRowsForInt32AndInt64AndCastFloatIds() {
    Random rnd = new Random(5);
    int inputDim = 7;
    int outputDim = 3;
    Embedding e = new Embedding(inputDim, outputDim);
    e.ensureBuilt(Shape.of(-1, 4));
    float[] table = uniform(rnd, inputDim * outputDim, -1, 1);
    e.embeddings().assign(table);
    int[] ids = {0, 6, 3, 3, 1, 2, 5, 4};
    double[] expected = reference(toDouble(table), outputDim, ids);
    try (LayerHarness h = new LayerHarness(e, Shape.of(-1, 4), TInt32.class, false)) {
      assertArrayEquals(new long[] {-1, 4, 3}, h.outputShape().asArray());
      assertClose("int32 ids", expected, h.forward(Shape.of(2, 4), ids), 0, 0);
    }
    long[] longIds = Arrays.stream(ids).asLongStream().toArray();
    try (LayerHarness h = new LayerHarness(e, Shape.of(-1, 2, 2), TInt64.class, false)) {
      assertArrayEquals(new long[] {-1, 2, 2, 3}, h.outputShape().asArray());
      assertClose("int64 ids", expected, h.forward(Shape.of(2, 2, 2), longIds), 0, 0);
    }
    // Float ids are truncated toward zero, as Keras's cast to int32: 2.9 -> 2, -0.5 -> 0.
    float[] floatIds = {0.2f, 6.99f, 3f, 3.5f, 1.01f, 2.9f, 5f, -0.5f};
    int[] truncated = {0, 6, 3, 3, 1, 2, 5, 0};
    try (LayerHarness h = new LayerHarness(e, Shape.of(-1, 4), false)) {
      assertClose(
          "float ids",
          reference(toDouble(table), outputDim, truncated),
          h.forward(Shape.of(2, 4), floatIds),
          0,
          0);
    }
  }

  @Test
  void gradientOfTheTableMatchesCentralDifferences() {
    Random rnd = new Random(21);
    int inputDim = 6;
    int outputDim = 4;
    Embedding e = new Embedding(inputDim, outputDim);
    e.ensureBuilt(Shape.of(-1, 5));
    float[] table = uniform(rnd, inputDim * outputDim, -1, 1);
    e.embeddings().assign(table);
    // Repeated ids accumulate; id 5 is absent and must get a zero gradient.
    int[] ids = {0, 1, 1, 4, 2, 3, 0, 0, 2, 1};
    float[] c = uniform(rnd, ids.length * outputDim, -1, 1);
    double[] cd = toDouble(c);
    try (LayerHarness h = new LayerHarness(e, Shape.of(-1, 5), TInt32.class, true)) {
      List<float[]> g = h.gradients(Shape.of(2, 5), ids, Shape.of(2, 5, outputDim), c);
      assertEquals(1, g.size());
      double[] fd =
          centralDifferences(
              toDouble(table), v -> DenseTest.dot(cd, reference(v, outputDim, ids)), 1e-6);
      assertClose("d/dembeddings", fd, g.get(0), 1e-4, 1e-5);
      for (int j = 0; j < outputDim; j++) {
        assertEquals(0f, g.get(0)[5 * outputDim + j]);
      }
    }
  }

  @Test
  void idsOutsideTheTableFailWithTheLayerNameAndRange() {
    Embedding e = Embedding.builder(10, 2).name("words").build();
    e.ensureBuilt(Shape.of(-1, 3));
    for (int[] bad : new int[][] {{1, 10, 2}, {-1, 0, 0}, {3, 4, 1000000}}) {
      try (LayerHarness h = new LayerHarness(e, Shape.of(-1, 3), TInt32.class, false)) {
        TFInvalidArgumentException ex =
            assertThrows(TFInvalidArgumentException.class, () -> h.forward(Shape.of(1, 3), bad));
        String m = ex.getMessage();
        assertTrue(m.contains("Layer words (Embedding)") && m.contains("[0, 10)"), m);
        // The session still works afterwards: the JVM survived and good ids run.
        assertEquals(6, h.forward(Shape.of(1, 3), new int[] {0, 9, 5}).length);
      }
    }
    try (LayerHarness h = new LayerHarness(e, Shape.of(-1, 2), TInt64.class, false)) {
      TFInvalidArgumentException ex =
          assertThrows(
              TFInvalidArgumentException.class,
              () -> h.forward(Shape.of(1, 2), new long[] {0, 1L << 40}));
      assertTrue(ex.getMessage().contains("[0, 10)"), ex.getMessage());
    }
  }

  @Test
  void paramCountWeightShapeAndDefaultInitializer() {
    Embedding e = new Embedding(20000, 50);
    e.ensureBuilt(Shape.of(-1, 100));
    assertEquals(1_000_000, e.countParams());
    assertEquals(List.of("embeddings"), e.weights().stream().map(Weight::name).toList());
    assertArrayEquals(new long[] {20000, 50}, e.embeddings().shape().asArray());
    assertArrayEquals(new long[] {-1, 100, 50}, e.computeOutputShape(Shape.of(-1, 100)).asArray());
    float[] v = e.embeddings().read();
    double min = 1;
    double max = -1;
    for (float f : v) {
      min = Math.min(min, f);
      max = Math.max(max, f);
    }
    // RandomUniform(-0.05, 0.05): inside the range and close to both ends.
    assertTrue(min >= -0.05 && min < -0.049, "min " + min);
    assertTrue(max < 0.05 && max > 0.049, "max " + max);
  }

  @Test
  void configMatchesKeras() {
    // Keras 3.15.1: Embedding(20000, 50).get_config() keys and values.
    Embedding e = Embedding.builder(20000, 50).name("embedding").build();
    Map<String, Object> c = e.getConfig();
    assertEquals(
        List.of(
            "name",
            "trainable",
            "dtype",
            "input_dim",
            "output_dim",
            "embeddings_initializer",
            "embeddings_regularizer",
            "activity_regularizer",
            "embeddings_constraint",
            "mask_zero",
            "quantization_config"),
        List.copyOf(c.keySet()));
    assertEquals(20000, c.get("input_dim"));
    assertEquals(50, c.get("output_dim"));
    @SuppressWarnings("unchecked")
    Map<String, Object> init = (Map<String, Object>) c.get("embeddings_initializer");
    assertEquals("RandomUniform", init.get("class_name"));
    assertEquals("keras.initializers", init.get("module"));
    Map<String, Object> initConfig = new java.util.HashMap<>();
    initConfig.put("seed", null);
    initConfig.put("minval", -0.05);
    initConfig.put("maxval", 0.05);
    assertEquals(initConfig, init.get("config"));
    assertNull(c.get("embeddings_regularizer"));
    assertNull(c.get("activity_regularizer"));
    assertNull(c.get("embeddings_constraint"));
    assertEquals(false, c.get("mask_zero"));
    assertTrue(c.containsKey("quantization_config") && c.get("quantization_config") == null);

    // With an activity regularizer Keras lists it right after "dtype" (the base config's place).
    Embedding r =
        Embedding.builder(10, 3).activityRegularizer("l2").embeddingsConstraint("non_neg").build();
    Map<String, Object> rc = r.getConfig();
    assertEquals(
        List.of(
            "name",
            "trainable",
            "dtype",
            "activity_regularizer",
            "input_dim",
            "output_dim",
            "embeddings_initializer",
            "embeddings_regularizer",
            "embeddings_constraint",
            "mask_zero",
            "quantization_config"),
        List.copyOf(rc.keySet()));
    @SuppressWarnings("unchecked")
    Map<String, Object> reg = (Map<String, Object>) rc.get("activity_regularizer");
    assertEquals("L2", reg.get("class_name"));
    @SuppressWarnings("unchecked")
    Map<String, Object> con = (Map<String, Object>) rc.get("embeddings_constraint");
    assertEquals("NonNeg", con.get("class_name"));
  }

  @Test
  void badArgumentsGiveClearErrors() {
    var ex = assertThrows(IllegalArgumentException.class, () -> new Embedding(0, 5));
    assertTrue(ex.getMessage().contains("input_dim") && ex.getMessage().contains("0"));
    ex = assertThrows(IllegalArgumentException.class, () -> new Embedding(5, -2));
    assertTrue(ex.getMessage().contains("output_dim") && ex.getMessage().contains("-2"));
    // mask_zero is supported now (MaskingTest checks its numbers against Keras).
    assertTrue(Embedding.builder(5, 2).maskZero(true).build().supportsMasking());
    ex =
        assertThrows(
            IllegalArgumentException.class,
            () -> Embedding.builder(5, 2).embeddingsInitializer("unifrom"));
    assertTrue(ex.getMessage().contains("unifrom"), ex.getMessage());
  }

  @Test
  void outputIsFloat32EvenForIntInputs() {
    KerasTensor x = Input.of("int32", 4);
    KerasTensor y = new Embedding(10, 3).apply(x);
    assertEquals("float32", y.dtype());
    assertArrayEquals(new long[] {-1, 4, 3}, y.shape().asArray());
  }
}

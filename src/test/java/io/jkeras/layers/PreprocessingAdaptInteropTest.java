package io.jkeras.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jkeras.models.Model;
import io.jkeras.testing.PythonKeras;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * {@code adapt} of Normalization and Discretization against real Python Keras 3.15.1, in one Python
 * process (src/test/python/layers/adapt_numbers.py): Keras adapts its layers on the data Java
 * adapted on, and the test compares the adapted state and the outputs on probe inputs; Keras also
 * loads each adapted Discretization's jkeras config and must bucket the probes the same way.
 */
class PreprocessingAdaptInteropTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A Normalization case: the layer, its adapt data and probe inputs. */
  private record NormCase(int[] axis, boolean invert, Shape shape, float[] data, float[] probe) {}

  /** A Discretization case; the probe values go in rows of {@code probeWidth}. */
  private record DiscCase(
      int numBins,
      double epsilon,
      String mode,
      Shape shape,
      float[] data,
      int probeWidth,
      float[] probe) {
    Shape probeShape() {
      return Shape.of(probe.length / probeWidth, probeWidth);
    }
  }

  private static float[] gaussian(Random r, int n, double scale, double shift) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) (r.nextGaussian() * scale + shift);
    }
    return out;
  }

  private static FloatNdArray nd(Shape shape, float[] values) {
    return NdArrays.wrap(shape, DataBuffers.of(values, true, false));
  }

  /** The values of a flat array nested to {@code shape}, as JSON lists. */
  private static Object nested(Shape shape, float[] values) {
    FloatNdArray a = nd(shape, values);
    if (shape.numDimensions() == 2) {
      return StdArrays.array2dCopyOf(a);
    }
    return StdArrays.array3dCopyOf(a);
  }

  /** The probe of a Normalization case, shaped as its data with fewer samples. */
  private static Shape probeShape(NormCase c) {
    int perSample = (int) (c.shape().size() / c.shape().size(0));
    return withBatch(c.shape(), c.probe().length / perSample);
  }

  private static Shape withBatch(Shape shape, long batch) {
    long[] dims = shape.asArray();
    dims[0] = batch;
    return Shape.of(dims);
  }

  /** The layer's outputs on {@code x}, through a model with the sample shape of {@code x}. */
  private static double[] predict(Layer layer, Shape shape, float[] x) {
    long[] sample = new long[shape.numDimensions() - 1];
    for (int i = 0; i < sample.length; i++) {
      sample[i] = shape.size(i + 1);
    }
    KerasTensor in = Input.of(sample);
    try (Model model = new Model(in, layer.apply(in))) {
      FloatNdArray y = model.predict(nd(shape, x));
      float[] out = new float[(int) y.size()];
      y.copyTo(DataBuffers.of(out, false, false));
      return doubles(out);
    }
  }

  private static double[] doubles(JsonNode node) {
    double[] out = new double[node.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = node.get(i).asDouble();
    }
    return out;
  }

  private static double[] doubles(FloatNdArray values) {
    float[] out = new float[(int) values.size()];
    values.copyTo(DataBuffers.of(out, false, false));
    return doubles(out);
  }

  private static double[] doubles(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  @Test
  void adaptedStateAndOutputsMatchKeras(@TempDir Path dir) throws Exception {
    Random r = new Random(20261204);
    List<NormCase> norms =
        List.of(
            new NormCase(
                new int[] {-1},
                false,
                Shape.of(50, 3),
                gaussian(r, 150, 4, 10),
                gaussian(r, 6, 4, 10)),
            new NormCase(
                new int[0], true, Shape.of(50, 3), gaussian(r, 150, 2, -3), gaussian(r, 6, 1, 0)),
            new NormCase(
                new int[] {1, 2},
                false,
                Shape.of(20, 2, 3),
                gaussian(r, 120, 3, 1),
                gaussian(r, 12, 3, 1)),
            new NormCase(
                new int[] {1},
                false,
                Shape.of(20, 2, 3),
                gaussian(r, 120, 0.5, 100),
                gaussian(r, 12, 0.5, 100)));
    float[] oneToTen = new float[10];
    for (int i = 0; i < 10; i++) {
      oneToTen[i] = i + 1;
    }
    float[] tenths = new float[250];
    for (int i = 0; i < tenths.length; i++) {
      tenths[i] = Math.round(r.nextFloat() * 1000) / 10f;
    }
    float[] digits = new float[37];
    for (int i = 0; i < digits.length; i++) {
      digits[i] = r.nextInt(10);
    }
    float[] exponential = new float[5000];
    for (int i = 0; i < exponential.length; i++) {
      exponential[i] = (float) -Math.log(1 - r.nextDouble());
    }
    List<DiscCase> discs =
        List.of(
            new DiscCase(
                4,
                0.01,
                "int",
                Shape.of(10, 1),
                oneToTen,
                1,
                new float[] {0, 2.5f, 5, 7.4f, 7.5f, 11}),
            new DiscCase(
                5,
                0.01,
                "int",
                Shape.of(1000, 1),
                gaussian(r, 1000, 1, 0),
                1,
                gaussian(r, 12, 1, 0)),
            new DiscCase(
                3, 0.01, "int", Shape.of(125, 2), tenths, 1, new float[] {0, 33.3f, 50, 66.7f, 99}),
            new DiscCase(
                4, 0.05, "count", Shape.of(37, 1), digits, 3, new float[] {0, 2, 4, 6, 8, 9}),
            new DiscCase(
                10,
                0.01,
                "int",
                Shape.of(7, 1),
                new float[] {5, 1, 4, 2, 3, 7, 6},
                1,
                new float[] {0, 3.5f, 8}),
            new DiscCase(
                6, 0.001, "multi_hot", Shape.of(1000, 5), exponential, 3, gaussian(r, 12, 1, 1.5)));

    List<Normalization> jNorms = new ArrayList<>();
    List<Map<String, Object>> normJson = new ArrayList<>();
    for (NormCase c : norms) {
      Normalization layer = new Normalization(null, c.axis(), null, null, c.invert());
      layer.adapt(nd(c.shape(), c.data()));
      jNorms.add(layer);
      Map<String, Object> m = new LinkedHashMap<>();
      List<Integer> axis = new ArrayList<>();
      for (int a : c.axis()) {
        axis.add(a);
      }
      m.put("axis", axis.isEmpty() ? null : axis);
      m.put("invert", c.invert());
      m.put("data", nested(c.shape(), c.data()));
      m.put("probe", nested(probeShape(c), c.probe()));
      Path file = dir.resolve("normalization_" + normJson.size() + ".keras");
      KerasTensor input = Input.of(withBatch(c.shape(), 1).tail().asArray());
      try (Model model = new Model(input, layer.apply(input))) {
        model.save(file);
      }
      m.put("java_file", file.toString());
      normJson.add(m);
    }
    List<Discretization> jDiscs = new ArrayList<>();
    List<Map<String, Object>> discJson = new ArrayList<>();
    for (DiscCase c : discs) {
      Discretization layer = new Discretization(c.numBins(), c.mode(), c.epsilon(), null);
      layer.adapt(nd(c.shape(), c.data()));
      jDiscs.add(layer);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("num_bins", c.numBins());
      m.put("epsilon", c.epsilon());
      m.put("output_mode", c.mode());
      m.put("data", nested(c.shape(), c.data()));
      m.put("probe", nested(c.probeShape(), c.probe()));
      m.put("java_config", layer.getConfig());
      m.put("keras_file", dir.resolve("discretization_" + discJson.size() + ".keras").toString());
      discJson.add(m);
    }
    Path in = dir.resolve("in.json");
    Path out = dir.resolve("out.json");
    JSON.writeValue(in.toFile(), Map.of("normalization", normJson, "discretization", discJson));
    PythonKeras.runScript("layers/adapt_numbers.py", in.toString(), out.toString());
    JsonNode keras = JSON.readTree(out.toFile());

    for (int i = 0; i < norms.size(); i++) {
      NormCase c = norms.get(i);
      Normalization layer = jNorms.get(i);
      JsonNode k = keras.get("normalization").get(i);
      String what = "normalization case " + i;
      assertArrayEquals(
          doubles(k.get("mean")), doubles(layer.adaptedMean().read()), 1e-6, what + " mean");
      assertArrayEquals(
          doubles(k.get("variance")),
          doubles(layer.adaptedVariance().read()),
          1e-6,
          what + " variance");
      assertArrayEquals(
          doubles(k.get("output")),
          predict(layer, probeShape(c), c.probe()),
          2e-5,
          what + " output");
      assertArrayEquals(
          doubles(k.get("output")), doubles(k.get("java_file_output")), 2e-5, what + " file");
    }
    for (int i = 0; i < discs.size(); i++) {
      DiscCase c = discs.get(i);
      Discretization layer = jDiscs.get(i);
      JsonNode k = keras.get("discretization").get(i);
      String what = "discretization case " + i;
      assertArrayEquals(
          doubles(k.get("bin_boundaries")), layer.binBoundaries(), 0, what + " bin_boundaries");
      assertEquals(c.numBins(), k.get("num_bins").asInt(), what);
      assertEquals(c.numBins(), layer.getConfig().get("num_bins"), what);
      assertArrayEquals(doubles(k.get("output")), doubles(k.get("java_output")), 0, what);
      assertArrayEquals(
          doubles(k.get("output")), predict(layer, c.probeShape(), c.probe()), 0, what + " output");
      try (Model loaded = Model.load(dir.resolve("discretization_" + i + ".keras"))) {
        assertArrayEquals(
            doubles(k.get("output")),
            doubles(loaded.predict(nd(c.probeShape(), c.probe()))),
            0,
            what + " Keras's file");
        Discretization kerasLayer = (Discretization) loaded.layers().get(1);
        assertEquals(c.numBins(), kerasLayer.getConfig().get("num_bins"), what);
      }
    }
  }
}

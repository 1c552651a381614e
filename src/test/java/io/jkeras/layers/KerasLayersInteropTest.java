package io.jkeras.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jkeras.backend.HostArray;
import io.jkeras.initializers.Constant;
import io.jkeras.io.NpyArray;
import io.jkeras.io.NpyFile;
import io.jkeras.models.Model;
import io.jkeras.optimizers.SGD;
import io.jkeras.saving.KerasModelFile;
import io.jkeras.testing.PythonKeras;
import io.jkeras.training.FitOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Every layer of src/test/python/layers/keras_layers.py against real Keras 3.15.1, both ways. For
 * each case (a model in_i -> Dense pre_i -> layer "under_test", with default and with non-default
 * arguments) Java loads the .keras file Python saved and checks: predictions within 1e-5, the
 * {@code summary()} text, the layer's config key for key; then trains one epoch of plain SGD and,
 * for layers that are deterministic in training, gets Keras's trained weights. Java also builds the
 * same model with its own API, with Python's weights: same predictions, same config, same summary.
 * Java saves both models; one Python process then loads every file and predicts the same.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KerasLayersInteropTest {

  private static final double TOLERANCE = 1e-5;
  private static final double FIT_TOLERANCE = 2e-5;
  private static Path fixtures;

  /** The Java twins of the cases' layer factories in keras_layers.py, named "under_test". */
  private static final Map<String, Supplier<Layer>> TWINS = new LinkedHashMap<>();

  /**
   * Cases whose training output is random, or that Keras cannot train: their trained weights are
   * not compared.
   */
  private static final List<String> RANDOM_IN_TRAINING = new ArrayList<>();

  static {
    String n = "under_test";
    TWINS.put("add", () -> new Add(n));
    TWINS.put("add_broadcast", () -> new Add(n));
    TWINS.put("subtract", () -> new Subtract(n));
    TWINS.put("multiply", () -> new Multiply(n));
    TWINS.put("average", () -> new Average(n));
    TWINS.put("maximum", () -> new Maximum(n));
    TWINS.put("minimum", () -> new Minimum(n));
    TWINS.put("dot", () -> Dot.builder(1).name(n).build());
    TWINS.put("dot_normalize", () -> Dot.builder(2).normalize(true).name(n).build());
    TWINS.put("dot_axes", () -> Dot.builder(1, 2).name(n).build());
    TWINS.put("reshape", () -> new Reshape(n, 2, 3));
    TWINS.put("reshape_infer", () -> new Reshape(n, -1, 2));
    TWINS.put("permute", () -> new Permute(n, 2, 1));
    TWINS.put("permute3", () -> new Permute(n, 3, 1, 2));
    TWINS.put("repeat_vector", () -> new RepeatVector(3, n));
    TWINS.put("cropping1d", () -> new Cropping1D(1, 1, n));
    TWINS.put("cropping1d_args", () -> new Cropping1D(2, 0, n));
    TWINS.put("cropping2d", () -> Cropping2D.builder().name(n).build());
    TWINS.put(
        "cropping2d_args",
        () ->
            Cropping2D.builder().cropping(1, 0, 2, 1).dataFormat("channels_first").name(n).build());
    TWINS.put("zero_padding1d", () -> ZeroPadding1D.builder().name(n).build());
    TWINS.put(
        "zero_padding1d_args",
        () -> ZeroPadding1D.builder().padding(2, 1).dataFormat("channels_first").name(n).build());
    TWINS.put("zero_padding2d", () -> ZeroPadding2D.builder().name(n).build());
    TWINS.put(
        "zero_padding2d_args", () -> ZeroPadding2D.builder().padding(1, 0, 0, 2).name(n).build());
    TWINS.put("zero_padding3d", () -> ZeroPadding3D.builder().name(n).build());
    TWINS.put(
        "zero_padding3d_args",
        () ->
            ZeroPadding3D.builder()
                .padding(1, 0, 0, 2, 1, 1)
                .dataFormat("channels_first")
                .name(n)
                .build());
    TWINS.put("cropping3d", () -> Cropping3D.builder().name(n).build());
    TWINS.put(
        "cropping3d_args",
        () ->
            Cropping3D.builder()
                .cropping(1, 0, 2, 1, 0, 1)
                .dataFormat("channels_first")
                .name(n)
                .build());
    TWINS.put("up_sampling3d", () -> new UpSampling3D(2, 2, 2, n));
    TWINS.put(
        "up_sampling3d_args", () -> new UpSampling3D(new int[] {1, 2, 3}, "channels_first", n));
    TWINS.put("up_sampling1d", () -> new UpSampling1D(2, n));
    TWINS.put("up_sampling1d_args", () -> new UpSampling1D(3, n));
    TWINS.put("up_sampling2d", () -> UpSampling2D.builder().name(n).build());
    TWINS.put(
        "up_sampling2d_args",
        () -> UpSampling2D.builder().size(2, 3).dataFormat("channels_first").name(n).build());
    TWINS.put(
        "up_sampling2d_bilinear",
        () -> UpSampling2D.builder().size(2).interpolation("bilinear").name(n).build());
    TWINS.put(
        "up_sampling2d_bicubic",
        () -> UpSampling2D.builder().size(2, 3).interpolation("bicubic").name(n).build());
    TWINS.put(
        "up_sampling2d_lanczos3",
        () ->
            UpSampling2D.builder()
                .size(2)
                .dataFormat("channels_first")
                .interpolation("lanczos3")
                .name(n)
                .build());
    TWINS.put(
        "up_sampling2d_lanczos5",
        () -> UpSampling2D.builder().size(3, 2).interpolation("lanczos5").name(n).build());
    TWINS.put(
        "up_sampling2d_area",
        () -> UpSampling2D.builder().size(2).interpolation("AREA").name(n).build());
    TWINS.put("identity", () -> new Identity(n));
    TWINS.put("relu", () -> ReLU.builder().name(n).build());
    TWINS.put(
        "relu_args",
        () -> ReLU.builder().maxValue(1.5).negativeSlope(0.1).threshold(0.2).name(n).build());
    TWINS.put("leaky_relu", () -> new LeakyReLU(0.3, n));
    TWINS.put("leaky_relu_args", () -> new LeakyReLU(0.05, n));
    TWINS.put("prelu", () -> PReLU.builder().name(n).build());
    TWINS.put(
        "prelu_args",
        () ->
            PReLU.builder()
                .alphaInitializer(new Constant(0.25))
                .alphaRegularizer("l2")
                .sharedAxes(1)
                .name(n)
                .build());
    TWINS.put("elu", () -> new ELU(1.0, n));
    TWINS.put("elu_args", () -> new ELU(0.5, n));
    TWINS.put("softmax", () -> new Softmax(-1, n));
    TWINS.put("softmax_args", () -> new Softmax(1, n));
    TWINS.put("softmax_axes", () -> new Softmax(n, 1, 2));
    TWINS.put("softmax_axis_list", () -> new Softmax(n, 1));
    TWINS.put("layer_normalization", () -> LayerNormalization.builder().name(n).build());
    TWINS.put(
        "layer_normalization_args",
        () ->
            LayerNormalization.builder()
                .axis(1, 2)
                .epsilon(0.01)
                .center(false)
                .gammaRegularizer("l2")
                .name(n)
                .build());
    TWINS.put("group_normalization", () -> GroupNormalization.builder().groups(2).name(n).build());
    TWINS.put(
        "group_normalization_args",
        () ->
            GroupNormalization.builder()
                .groups(2)
                .axis(1)
                .epsilon(0.01)
                .scale(false)
                .name(n)
                .build());
    TWINS.put("unit_normalization", () -> new UnitNormalization(n, -1));
    TWINS.put("unit_normalization_args", () -> new UnitNormalization(n, 1, 2));
    TWINS.put("batch_normalization", () -> BatchNormalization.builder().name(n).build());
    TWINS.put(
        "batch_normalization_args",
        () ->
            BatchNormalization.builder()
                .axis(1)
                .momentum(0.9)
                .epsilon(0.01)
                .center(false)
                .name(n)
                .build());
    TWINS.put("spatial_dropout1d", () -> new SpatialDropout1D(0.3, null, n));
    TWINS.put("spatial_dropout1d_args", () -> new SpatialDropout1D(0.5, 3L, n));
    TWINS.put("spatial_dropout2d", () -> new SpatialDropout2D(0.3, null, null, n));
    TWINS.put("spatial_dropout2d_args", () -> new SpatialDropout2D(0.2, "channels_first", 1L, n));
    TWINS.put("spatial_dropout3d", () -> new SpatialDropout3D(0.3, null, null, n));
    TWINS.put("spatial_dropout3d_args", () -> new SpatialDropout3D(0.2, "channels_first", 1L, n));
    TWINS.put("gaussian_noise", () -> new GaussianNoise(0.1, null, n));
    TWINS.put("gaussian_noise_args", () -> new GaussianNoise(0.5, 4L, n));
    TWINS.put("gaussian_dropout", () -> new GaussianDropout(0.1, null, n));
    TWINS.put("gaussian_dropout_args", () -> new GaussianDropout(0.4, 2L, n));
    TWINS.put("activity_regularization", () -> new ActivityRegularization(0, 0, n));
    TWINS.put("activity_regularization_args", () -> new ActivityRegularization(0.01, 0.02, n));
    RANDOM_IN_TRAINING.addAll(
        List.of(
            "spatial_dropout1d",
            "spatial_dropout1d_args",
            "spatial_dropout2d",
            "spatial_dropout2d_args",
            "spatial_dropout3d",
            "spatial_dropout3d_args",
            "gaussian_noise",
            "gaussian_noise_args",
            "gaussian_dropout",
            "gaussian_dropout_args"));
    // Keras cannot train through ResizeArea (no gradient): keras_layers.py writes no weights.
    RANDOM_IN_TRAINING.add("up_sampling2d_area");
  }

  static Stream<String> cases() {
    return TWINS.keySet().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @Order(1)
  void pythonFileLoadsPredictsTrainsAndJavaBuildsTheSameModel(String name) throws IOException {
    Path dir = fixtures();
    List<NpyArray> raw = new ArrayList<>();
    for (int i = 0; Files.exists(dir.resolve(name + ".in" + i + ".npy")); i++) {
      raw.add(NpyFile.read(dir.resolve(name + ".in" + i + ".npy")));
    }
    List<HostArray> xs = raw.stream().map(KerasLayersInteropTest::host).toList();
    float[] expected = NpyFile.read(dir.resolve(name + ".out.npy")).asFloats();
    String summary =
        Files.readString(dir.resolve(name + ".summary.txt"), StandardCharsets.UTF_8)
            .stripTrailing();
    Map<String, Object> kerasConfig = kerasConfig(name);

    try (Model py = KerasModelFile.load(dir.resolve(name + ".keras"), true, false)) {
      assertClose(name + ": predictions of the Python file", expected, predict(py, xs));
      assertEquals(summary, py.summaryString(76).stripTrailing(), name + ": summary");
      assertEquals(
          kerasConfig.toString(),
          normalized(py.getLayer("under_test").getConfig()).toString(),
          name + ": config of the loaded layer");

      try (Model java = twin(name, raw)) {
        for (Layer l : py.layers()) {
          java.getLayer(l.name()).setWeights(l.getWeights());
        }
        assertClose(name + ": predictions of the Java-built model", expected, predict(java, xs));
        assertEquals(
            kerasConfig.toString(),
            normalized(java.getLayer("under_test").getConfig()).toString(),
            name + ": config of the Java-built layer");
        assertEquals(summary, java.summaryString(76).stripTrailing(), name + ": Java summary");
        KerasModelFile.save(java, dir.resolve("java_" + name + ".keras"));
        writePredictions(dir.resolve("java_" + name + ".pred.npy"), java, xs);
      }

      py.compile(new SGD(0.05), "mean_squared_error");
      HostArray target = host(NpyFile.read(dir.resolve(name + ".target.npy")));
      py.fit(xs, List.of(target), FitOptions.epochs(1).batchSize(4).shuffle(false).verbose(0));
      if (!RANDOM_IN_TRAINING.contains(name)) {
        for (Layer l : py.layers()) {
          List<FloatNdArray> trained = l.getWeights();
          for (int k = 0; k < trained.size(); k++) {
            float[] keras =
                NpyFile.read(dir.resolve(name + ".fit." + l.name() + "." + k + ".npy")).asFloats();
            assertClose(
                name + ": " + l.weights().get(k).path() + " after one epoch",
                keras,
                flat(trained.get(k)),
                FIT_TOLERANCE);
          }
        }
      }
      KerasModelFile.save(py, dir.resolve("jfit_" + name + ".keras"));
      writePredictions(dir.resolve("jfit_" + name + ".pred.npy"), py, xs);
    }
  }

  @Test
  @Order(2)
  void kerasLoadsEveryFileJavaWroteAndPredictsTheSame() {
    PythonKeras.Result r =
        PythonKeras.runScript("layers/keras_layers.py", "check", fixtures().toString());
    assertTrue(r.stdout().contains("all checks passed (" + 2 * TWINS.size()), r.stdout());
  }

  // ---- the Java twin of a case's model ----------------------------------------------------------

  private static Model twin(String name, List<NpyArray> inputs) {
    List<KerasTensor> ins = new ArrayList<>();
    List<KerasTensor> pre = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      long[] shape = inputs.get(i).shape();
      long[] sample = java.util.Arrays.copyOfRange(shape, 1, shape.length);
      KerasTensor x = Input.named("in_" + i, "float32", sample);
      ins.add(x);
      pre.add(Dense.builder((int) sample[sample.length - 1]).name("pre_" + i).build().apply(x));
    }
    KerasTensor y = TWINS.get(name).get().apply(pre).get(0);
    return new Model(ins, List.of(y), name);
  }

  // ---- fixtures and arrays ----------------------------------------------------------------------

  /**
   * The folder Python filled (keras_layers.py make), made once per JVM; {@code
   * -Djkeras.layerFixtures=DIR} reuses one made before.
   */
  static synchronized Path fixtures() {
    if (fixtures == null && System.getProperty("jkeras.layerFixtures") != null) {
      // A folder made earlier by "keras_layers.py make", to iterate on a layer without Python.
      fixtures = Path.of(System.getProperty("jkeras.layerFixtures"));
    }
    if (fixtures == null) {
      try {
        Path dir = Files.createTempDirectory("jkeras-layers-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
        PythonKeras.runScript("layers/keras_layers.py", "make", dir.toString());
        fixtures = dir;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return fixtures;
  }

  private static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | RuntimeException e) {
      // A leftover temporary folder does no harm.
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> kerasConfig(String name) throws IOException {
    Map<String, Object> all =
        new ObjectMapper().readValue(fixtures().resolve("configs.json").toFile(), Map.class);
    Map<String, Object> entry = (Map<String, Object>) all.get(name);
    return (Map<String, Object>) entry.get("config");
  }

  /** A config as a file holds it: through JSON, with doubles rounded to float32 as Python's. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> normalized(Map<String, Object> config) throws IOException {
    ObjectMapper json = new ObjectMapper();
    return (Map<String, Object>)
        roundFloats(json.readValue(json.writeValueAsBytes(config), Map.class));
  }

  private static Object roundFloats(Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(k, roundFloats(x)));
      return out;
    }
    if (v instanceof List<?> l) {
      return l.stream().map(KerasLayersInteropTest::roundFloats).toList();
    }
    if (v instanceof Double d) {
      return (double) d.floatValue();
    }
    return v;
  }

  private static HostArray host(NpyArray a) {
    return HostArray.ofFloats(Shape.of(a.shape()), a.asFloats());
  }

  private static float[] predict(Model model, List<HostArray> xs) {
    return flat(model.predict(xs, 32).get(0));
  }

  private static void writePredictions(Path path, Model model, List<HostArray> xs)
      throws IOException {
    FloatNdArray p = model.predict(xs, 32).get(0);
    NpyFile.write(path, NpyArray.ofFloats(p.shape().asArray(), flat(p)));
  }

  private static float[] flat(FloatNdArray a) {
    float[] v = new float[(int) a.size()];
    a.copyTo(DataBuffers.of(v, false, false));
    return v;
  }

  private static void assertClose(String what, float[] expected, float[] actual) {
    assertClose(what, expected, actual, TOLERANCE);
  }

  private static void assertClose(String what, float[] expected, float[] actual, double tol) {
    assertEquals(expected.length, actual.length, what + ": length");
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      worst = Math.max(worst, Math.abs((double) expected[i] - actual[i]));
    }
    assertTrue(worst <= tol, what + ": max abs diff " + worst + " > " + tol);
  }
}

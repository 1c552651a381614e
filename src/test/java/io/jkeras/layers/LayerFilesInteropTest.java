package io.jkeras.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.backend.HostArray;
import io.jkeras.io.NpyArray;
import io.jkeras.io.NpyFile;
import io.jkeras.models.Model;
import io.jkeras.models.Sequential;
import io.jkeras.saving.KerasModelFile;
import io.jkeras.testing.JkerasCli;
import io.jkeras.testing.PythonKeras;
import io.jkeras.training.FitOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Pooling (1-D to 3-D), convolution (2-D and 3-D), normalization, dropout and numeric preprocessing
 * layers against real Python Keras 3.15.1, both ways, with two Python processes in all
 * (src/test/python/layers/layer_files.py): Python's models load in Java with Keras's predictions
 * (1e-5) and summary text, train one epoch and save, and Python loads the result with Java's
 * predictions; the same models built with jkeras's API, given Python's weights, load in Python with
 * Python's predictions and the same layer configs. The small CNN also goes through {@code jkeras
 * predict} and {@code jkeras convert}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LayerFilesInteropTest {

  /** The Java twins of the Python cases: the layer, named "layer" as there, and its input. */
  static final Map<String, Supplier<Layer>> LAYERS = new LinkedHashMap<>();

  /** Cases whose model has more than the one layer: the layers after the first. */
  static final Map<String, Supplier<List<Layer>>> MORE = new LinkedHashMap<>();

  static {
    LAYERS.put("max_pooling1d", () -> MaxPooling1D.builder().name("layer").build());
    LAYERS.put(
        "max_pooling1d_same",
        () -> MaxPooling1D.builder().poolSize(3).strides(2).padding("same").name("layer").build());
    LAYERS.put("average_pooling1d", () -> AveragePooling1D.builder(2).name("layer").build());
    LAYERS.put(
        "average_pooling1d_same",
        () -> AveragePooling1D.builder(3).strides(1).padding("same").name("layer").build());
    LAYERS.put("max_pooling2d", () -> MaxPooling2D.builder().name("layer").build());
    LAYERS.put(
        "max_pooling2d_same",
        () ->
            MaxPooling2D.builder()
                .poolSize(3, 2)
                .strides(2, 1)
                .padding("same")
                .name("layer")
                .build());
    LAYERS.put("average_pooling2d", () -> AveragePooling2D.builder(2).name("layer").build());
    LAYERS.put(
        "average_pooling2d_same",
        () -> AveragePooling2D.builder(3).strides(2).padding("same").name("layer").build());
    LAYERS.put("global_max_pooling2d", () -> new GlobalMaxPooling2D("layer"));
    LAYERS.put(
        "global_average_pooling2d_keepdims",
        () -> new GlobalAveragePooling2D("layer", "channels_last", true));
    LAYERS.put("conv2d", () -> Conv2D.builder(4, 3).name("layer").build());
    LAYERS.put(
        "conv2d_options",
        () ->
            Conv2D.builder(6, 3, 2)
                .strides(2)
                .padding("same")
                .groups(3)
                .activation("relu")
                .kernelInitializer("he_normal")
                .name("layer")
                .build());
    LAYERS.put(
        "conv2d_dilated",
        () ->
            Conv2D.builder(3, 3)
                .dilationRate(2, 1)
                .padding("same")
                .useBias(false)
                .name("layer")
                .build());
    LAYERS.put("conv2d_transpose", () -> Conv2DTranspose.builder(4, 3).name("layer").build());
    LAYERS.put(
        "conv2d_transpose_options",
        () ->
            Conv2DTranspose.builder(2, 3)
                .strides(2)
                .padding("same")
                .outputPadding(1)
                .activation("tanh")
                .name("layer")
                .build());
    LAYERS.put("depthwise_conv2d", () -> DepthwiseConv2D.builder(3).name("layer").build());
    LAYERS.put(
        "depthwise_conv2d_options",
        () ->
            DepthwiseConv2D.builder(3, 2)
                .depthMultiplier(2)
                .strides(2)
                .padding("same")
                .name("layer")
                .build());
    LAYERS.put("separable_conv1d", () -> SeparableConv1D.builder(4, 3).name("layer").build());
    LAYERS.put(
        "separable_conv1d_options",
        () ->
            SeparableConv1D.builder(4, 3)
                .depthMultiplier(2)
                .dilationRate(2)
                .padding("same")
                .activation("relu")
                .name("layer")
                .build());
    LAYERS.put("separable_conv2d", () -> SeparableConv2D.builder(4, 3).name("layer").build());
    LAYERS.put(
        "separable_conv2d_options",
        () ->
            SeparableConv2D.builder(5, 2, 3)
                .strides(2, 1)
                .padding("same")
                .depthMultiplier(2)
                .name("layer")
                .build());
    LAYERS.put("conv1d_transpose", () -> Conv1DTranspose.builder(4, 3).name("layer").build());
    LAYERS.put(
        "conv1d_transpose_options",
        () ->
            Conv1DTranspose.builder(2, 3)
                .strides(2)
                .padding("same")
                .outputPadding(1)
                .activation("tanh")
                .name("layer")
                .build());
    LAYERS.put(
        "conv1d_transpose_dilated_channels_first",
        () ->
            Conv1DTranspose.builder(2, 3)
                .dilationRate(2)
                .dataFormat("channels_first")
                .name("layer")
                .build());
    LAYERS.put("depthwise_conv1d", () -> DepthwiseConv1D.builder(3).name("layer").build());
    LAYERS.put(
        "depthwise_conv1d_options",
        () ->
            DepthwiseConv1D.builder(3)
                .depthMultiplier(2)
                .strides(2)
                .padding("same")
                .activation("relu")
                .name("layer")
                .build());
    LAYERS.put("conv3d", () -> Conv3D.builder(3, 2).name("layer").build());
    LAYERS.put(
        "conv3d_options",
        () ->
            Conv3D.builder(4, 2, 3, 2)
                .strides(1, 2, 1)
                .padding("same")
                .groups(2)
                .activation("relu")
                .name("layer")
                .build());
    LAYERS.put(
        "conv3d_dilated_channels_first",
        () ->
            Conv3D.builder(3, 2)
                .dilationRate(2, 1, 2)
                .dataFormat("channels_first")
                .useBias(false)
                .name("layer")
                .build());
    LAYERS.put("conv3d_transpose", () -> Conv3DTranspose.builder(3, 2).name("layer").build());
    LAYERS.put(
        "conv3d_transpose_options",
        () ->
            Conv3DTranspose.builder(2, 3, 2, 3)
                .strides(2)
                .padding("same")
                .outputPadding(1)
                .activation("tanh")
                .name("layer")
                .build());
    LAYERS.put(
        "conv3d_transpose_dilated_channels_first",
        () ->
            Conv3DTranspose.builder(2, 2)
                .dilationRate(2, 1, 2)
                .dataFormat("channels_first")
                .padding("same")
                .name("layer")
                .build());
    LAYERS.put("max_pooling3d", () -> MaxPooling3D.builder().name("layer").build());
    LAYERS.put(
        "max_pooling3d_same",
        () ->
            MaxPooling3D.builder()
                .poolSize(2, 3, 2)
                .strides(1, 2, 2)
                .padding("same")
                .name("layer")
                .build());
    LAYERS.put(
        "average_pooling3d_same",
        () -> AveragePooling3D.builder(3).strides(2).padding("same").name("layer").build());
    LAYERS.put(
        "average_pooling3d_channels_first",
        () -> AveragePooling3D.builder(2).dataFormat("channels_first").name("layer").build());
    LAYERS.put("global_max_pooling3d", () -> new GlobalMaxPooling3D("layer"));
    LAYERS.put(
        "global_average_pooling3d_keepdims",
        () -> new GlobalAveragePooling3D("layer", "channels_last", true));
    LAYERS.put("rms_normalization", () -> new RMSNormalization(new int[] {-1}, 1e-6, "layer"));
    LAYERS.put(
        "rms_normalization_axes", () -> new RMSNormalization(new int[] {1, 2}, 0.1, "layer"));
    LAYERS.put(
        "alpha_dropout",
        () -> new AlphaDropout(0.3, java.util.Arrays.asList(null, 1L, 4L), 3L, "layer"));
    LAYERS.put("rescaling", () -> new Rescaling(1 / 255.0, -0.5, "layer"));
    LAYERS.put(
        "rescaling_per_channel",
        () -> new Rescaling(new double[] {0.5, 2.0, -1.0}, new double[] {0.1, 0.2, 0.3}, "layer"));
    LAYERS.put(
        "normalization",
        () ->
            new Normalization("layer", new int[] {-1}, List.of(1, 2, 3), List.of(1, 4, 9), false));
    LAYERS.put(
        "normalization_adapted",
        () -> new Normalization("layer", new int[] {-1}, null, null, false));
    LAYERS.put(
        "normalization_whole_input_inverted",
        () -> new Normalization("layer", new int[0], 2.0, 3.0, true));
    LAYERS.put(
        "discretization_to_embedding",
        () -> new Discretization(new double[] {-0.5, 0.0, 0.5}, "int", 0.01, "layer"));
    MORE.put(
        "discretization_to_embedding",
        () -> List.of(Embedding.builder(4, 2).name("embedding").build(), new Flatten("flatten")));
    LAYERS.put(
        "discretization_one_hot",
        () -> new Discretization(new double[] {0.0, 1.0}, "one_hot", 0.01, "layer"));
    LAYERS.put("hashing_to_embedding", () -> new Hashing(7, null, null, "int", "layer"));
    MORE.put(
        "hashing_to_embedding",
        () -> List.of(Embedding.builder(7, 2).name("embedding").build(), new Flatten("flatten")));
    LAYERS.put(
        "hashing_salted_multi_hot",
        () -> new Hashing(6, 0L, new long[] {13}, "multi_hot", "layer"));
    LAYERS.put(
        "integer_lookup_to_embedding",
        () -> new IntegerLookup(new long[] {12, 3, 1138, 5}, 1, null, -1L, "int", null, "layer"));
    MORE.put(
        "integer_lookup_to_embedding",
        () -> List.of(Embedding.builder(5, 2).name("embedding").build(), new Flatten("flatten")));
    LAYERS.put(
        "integer_lookup_mask_two_oov_count",
        () -> new IntegerLookup(new long[] {3, 1, 4}, 2, 0L, -1L, "count", null, "layer"));
    LAYERS.put("category_encoding", () -> new CategoryEncoding(6, "multi_hot", "layer"));
    LAYERS.put("category_encoding_one_hot", () -> new CategoryEncoding(4, "one_hot", "layer"));
    LAYERS.put("category_encoding_count", () -> new CategoryEncoding(5, "count", "layer"));
    MORE.put("category_encoding_count", () -> List.of(Dense.builder(2).name("dense").build()));
  }

  /** The CNN of the Python script, built with jkeras's API. */
  static Sequential cnn() {
    Sequential s = new Sequential("cnn");
    s.add(Input.of(12, 12, 1));
    s.add(Conv2D.builder(4, 3).activation("relu").name("conv").build());
    s.add(MaxPooling2D.builder().name("pool").build());
    s.add(Conv2D.builder(6, 3).padding("same").activation("relu").name("conv_2").build());
    s.add(new Flatten("flatten"));
    s.add(Dense.builder(3).activation("softmax").name("probs").build());
    return s;
  }

  private static Path dir;

  @BeforeAll
  static void pythonMakesTheFiles() throws IOException {
    dir = Files.createTempDirectory("jkeras-layer-files-");
    PythonKeras.runScript("layers/layer_files.py", "make", dir.toString());
  }

  @AfterAll
  static void deleteTheFiles() throws IOException {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  static List<String> names() {
    List<String> names = new java.util.ArrayList<>(LAYERS.keySet());
    names.add("cnn");
    return names;
  }

  @Test
  @Order(1)
  void pythonFilesPredictAndSummarizeAsKerasAndTrainInJava() throws IOException {
    for (String name : names()) {
      NpyArray x = NpyFile.read(dir.resolve(name + ".x.npy"));
      NpyArray y = NpyFile.read(dir.resolve(name + ".y.npy"));
      NpyArray predicted = NpyFile.read(dir.resolve(name + ".pred.npy"));
      float[] pred = predicted.asFloats();
      String summary = Files.readString(dir.resolve(name + ".summary.txt"));
      try (Model model = KerasModelFile.load(dir.resolve(name + ".keras"))) {
        assertArrayEquals(pred, predict(model, x), 1e-5f, name + ": predictions");
        String actual = model.summaryString(76).strip();
        if (name.equals("normalization_adapted")) {
          // Keras counts the int64 count as 8 bytes; jkeras weights are float32 (4 bytes).
          summary = summary.replaceAll("\\(\\d+\\.\\d+ B\\)", "");
          actual = actual.replaceAll("\\(\\d+\\.\\d+ B\\)", "");
        }
        assertEquals(summary.strip(), actual.strip(), name + ": summary");
        if (!model.trainableWeights().isEmpty()) {
          model.fit(
              List.of(host(x)), List.of(host(y)), FitOptions.epochs(1).batchSize(2).verbose(0));
          float[] after = predict(model, x);
          assertTrue(maxDiff(pred, after) > 0, name + ": one epoch changed the predictions");
          KerasModelFile.save(model, dir.resolve("java_" + name + ".keras"));
          NpyFile.write(
              dir.resolve("java_" + name + ".pred.npy"),
              NpyArray.ofFloats(predicted.shape(), after));
        }
      }
    }
  }

  @Test
  @Order(2)
  void javaBuiltTwinsWithPythonsWeightsPredictAsKeras() throws IOException {
    for (String name : names()) {
      NpyArray x = NpyFile.read(dir.resolve(name + ".x.npy"));
      float[] pred = NpyFile.read(dir.resolve(name + ".pred.npy")).asFloats();
      List<FloatNdArray> pythonWeights;
      try (Model model = KerasModelFile.load(dir.resolve(name + ".keras"))) {
        pythonWeights = model.getWeights();
      }
      try (Model built = name.equals("cnn") ? cnn() : twin(name, x)) {
        built.setWeights(pythonWeights);
        assertArrayEquals(pred, predict(built, x), 1e-5f, name + ": Java-built predictions");
        KerasModelFile.save(built, dir.resolve("jb_" + name + ".keras"));
      }
    }
  }

  @Test
  @Order(3)
  void pythonLoadsWhatJavaWroteAndTheCnnRunsThroughTheCommandLine() throws IOException {
    PythonKeras.Result r = PythonKeras.runScript("layers/layer_files.py", "check", dir.toString());
    assertTrue(r.stdout().contains("all checks passed"), r.stdout());
    JkerasCli.predictAndConvertBackToKeras(dir, "cnn", "cnn.x.npy", 4, 3);
  }

  private static Model twin(String name, NpyArray x) {
    long[] sample = java.util.Arrays.copyOfRange(x.shape(), 1, x.shape().length);
    Sequential s = new Sequential(name);
    s.add(Input.of(x.dtype(), sample));
    s.add(LAYERS.get(name).get());
    for (Layer more : MORE.getOrDefault(name, List::of).get()) {
      s.add(more);
    }
    return s;
  }

  private static HostArray host(NpyArray a) {
    return switch (a.dtype()) {
      case "int32" -> HostArray.ofInts(Shape.of(a.shape()), a.asInts());
      case "int64" -> HostArray.ofLongs(Shape.of(a.shape()), a.asLongs());
      default -> HostArray.ofFloats(Shape.of(a.shape()), a.asFloats());
    };
  }

  private static float[] predict(Model model, NpyArray x) {
    FloatNdArray p = model.predict(List.of(host(x)), 32).get(0);
    float[] v = new float[(int) p.size()];
    p.copyTo(DataBuffers.of(v, false, false));
    return v;
  }

  private static double maxDiff(float[] a, float[] b) {
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]));
    }
    return worst;
  }
}

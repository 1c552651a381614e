package io.jkeras.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.backend.HostArray;
import io.jkeras.io.NpyArray;
import io.jkeras.io.NpyFile;
import io.jkeras.models.Model;
import io.jkeras.saving.KerasModelFile;
import io.jkeras.testing.JkerasCli;
import io.jkeras.testing.PythonKeras;
import io.jkeras.training.FitOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * EinsumDense, Attention, AdditiveAttention and MultiHeadAttention against real Python Keras
 * 3.15.1, both ways, with two Python processes in all (src/test/python/layers/attention_files.py):
 * functional models whose calls take several tensors and keyword arguments (key=, attention_mask=,
 * use_causal_mask=, return_attention_scores=) and Embedding(mask_zero) masks load in Java with
 * Keras's predictions (1e-5), summary text and weight paths, train one epoch and save, and Python
 * loads the result with Java's predictions; the same models built with jkeras's API, given Python's
 * weights, load in Python with Python's predictions and the same layer configs. The encoder block
 * goes through {@code jkeras predict} and {@code jkeras convert}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AttentionFilesInteropTest {

  /** The Java twins of the Python cases, with the same input and layer names. */
  static final Map<String, Supplier<Model>> TWINS = new LinkedHashMap<>();

  static {
    TWINS.put(
        "einsum_dense",
        () -> {
          KerasTensor x = Input.named("x", "float32", 5);
          return model(
              "einsum_dense",
              List.of(x),
              EinsumDense.builder("ab,bc->ac", 4L).name("layer").build().apply(x));
        });
    TWINS.put(
        "einsum_dense_heads",
        () -> {
          KerasTensor x = Input.named("x", "float32", 3, 5);
          KerasTensor y =
              EinsumDense.builder("abc,cde->abde", null, 2L, 3L)
                  .biasAxes("de")
                  .activation("relu")
                  .kernelInitializer("he_normal")
                  .name("layer")
                  .build()
                  .apply(x);
          return model("einsum_dense_heads", List.of(x), new Reshape("reshape", 3, 6).apply(y));
        });
    TWINS.put(
        "einsum_dense_left_ellipsis",
        () -> {
          KerasTensor x = Input.named("x", "float32", 3, 5);
          return model(
              "einsum_dense_left_ellipsis",
              List.of(x),
              EinsumDense.builder("...b,bc->...c", 4L)
                  .biasAxes("c")
                  .name("layer")
                  .build()
                  .apply(x));
        });
    TWINS.put(
        "einsum_dense_right_ellipsis",
        () -> {
          KerasTensor x = Input.named("x", "float32", 5, 3);
          return model(
              "einsum_dense_right_ellipsis",
              List.of(x),
              EinsumDense.builder("ab...,bc->ac...", 4L)
                  .biasAxes("c")
                  .activation("tanh")
                  .name("layer")
                  .build()
                  .apply(x));
        });
    TWINS.put(
        "attention",
        () -> {
          KerasTensor q = Input.named("q", "float32", 3, 4);
          KerasTensor v = Input.named("v", "float32", 5, 4);
          return model(
              "attention",
              List.of(q, v),
              new Attention(false, "dot", 0.0, null, "layer").apply(q, v));
        });
    TWINS.put(
        "attention_options",
        () -> {
          KerasTensor q = Input.named("q", "float32", 4, 3);
          KerasTensor v = Input.named("v", "float32", 5, 2);
          KerasTensor k = Input.named("k", "float32", 5, 3);
          List<KerasTensor> out =
              new Attention(true, "concat", 0.2, null, "layer")
                  .apply(
                      List.of(q, v, k),
                      ordered("use_causal_mask", true, "return_attention_scores", true));
          return model("attention_options", List.of(q, v, k), flatBoth(out));
        });
    TWINS.put(
        "additive_attention",
        () -> {
          KerasTensor q = Input.named("q", "float32", 3, 4);
          KerasTensor v = Input.named("v", "float32", 5, 4);
          return model(
              "additive_attention",
              List.of(q, v),
              new AdditiveAttention(true, 0.0, null, "layer").apply(q, v));
        });
    TWINS.put(
        "additive_attention_options",
        () -> {
          KerasTensor q = Input.named("q", "float32", 3, 4);
          KerasTensor v = Input.named("v", "float32", 5, 2);
          KerasTensor k = Input.named("k", "float32", 5, 4);
          return model(
              "additive_attention_options",
              List.of(q, v, k),
              new AdditiveAttention(false, 0.1, null, "layer").apply(q, v, k));
        });
    TWINS.put(
        "mha",
        () -> {
          KerasTensor x = Input.named("x", "float32", 5, 8);
          return model(
              "mha",
              List.of(x),
              MultiHeadAttention.builder(2, 4).name("layer").build().apply(x, x));
        });
    TWINS.put(
        "mha_options",
        () -> {
          KerasTensor q = Input.named("q", "float32", 4, 6);
          KerasTensor v = Input.named("v", "float32", 5, 7);
          KerasTensor k = Input.named("k", "float32", 5, 3);
          MultiHeadAttention mha =
              MultiHeadAttention.builder(3, 2)
                  .valueDim(3)
                  .dropout(0.1)
                  .useBias(false)
                  .outputShape(5L)
                  .kernelInitializer("he_uniform")
                  .name("layer")
                  .build();
          KerasTensor y =
              mha.apply(List.of(q, v), ordered("key", k, "use_causal_mask", true)).get(0);
          return model("mha_options", List.of(q, v, k), y);
        });
    TWINS.put(
        "mha_attention_mask",
        () -> {
          KerasTensor q = Input.named("q", "float32", 4, 6);
          KerasTensor v = Input.named("v", "float32", 4, 6);
          KerasTensor m = Input.named("m", "int32", 4, 4);
          List<KerasTensor> out =
              MultiHeadAttention.builder(2, 3)
                  .name("layer")
                  .build()
                  .apply(
                      List.of(q, v), ordered("attention_mask", m, "return_attention_scores", true));
          return model("mha_attention_mask", List.of(q, v, m), flatBoth(out));
        });
    TWINS.put(
        "mha_sliding_window_gate",
        () -> {
          KerasTensor q = Input.named("q", "float32", 5, 6);
          KerasTensor v = Input.named("v", "float32", 5, 6);
          List<KerasTensor> out =
              MultiHeadAttention.builder(2, 3)
                  .slidingWindow(2)
                  .useGate(true)
                  .name("layer")
                  .build()
                  .apply(List.of(q, v), Map.of("return_attention_scores", true));
          return model("mha_sliding_window_gate", List.of(q, v), flatBoth(out));
        });
    TWINS.put(
        "mha_attention_axes",
        () -> {
          KerasTensor x = Input.named("x", "float32", 3, 4, 5);
          return model(
              "mha_attention_axes",
              List.of(x),
              MultiHeadAttention.builder(2, 3)
                  .attentionAxes(1, 2)
                  .name("layer")
                  .build()
                  .apply(x, x));
        });
    TWINS.put(
        "mha_masked",
        () -> {
          KerasTensor ids = Input.named("ids", "int32", 6);
          KerasTensor ids2 = Input.named("ids2", "int32", 4);
          KerasTensor e = Embedding.builder(20, 8).maskZero(true).name("emb").build().apply(ids);
          KerasTensor e2 = Embedding.builder(20, 8).maskZero(true).name("emb2").build().apply(ids2);
          KerasTensor a = MultiHeadAttention.builder(2, 4).name("layer").build().apply(e, e);
          KerasTensor x = new Add("res").apply(e, a);
          KerasTensor c = new Concatenate(-1, "cat").apply(x, e);
          KerasTensor p = new GlobalAveragePooling1D("pool").apply(c);
          KerasTensor cross = MultiHeadAttention.builder(2, 4).name("cross").build().apply(e2, e);
          KerasTensor p2 = new GlobalAveragePooling1D("pool2").apply(cross);
          KerasTensor both = new Concatenate(-1, "both").apply(p, p2);
          return model(
              "mha_masked", List.of(ids, ids2), Dense.builder(2).name("out").build().apply(both));
        });
    TWINS.put("encoder", AttentionFilesInteropTest::encoder);
  }

  /** The LayerNormalization + MultiHeadAttention encoder block of the Python script. */
  static Model encoder() {
    KerasTensor x = Input.named("tokens", "float32", 6, 8);
    KerasTensor a = MultiHeadAttention.builder(2, 4).dropout(0.1).name("mha").build().apply(x, x);
    KerasTensor h =
        LayerNormalization.builder().name("ln1").build().apply(new Add("res1").apply(x, a));
    KerasTensor f = Dense.builder(16).activation("relu").name("ff1").build().apply(h);
    f = Dense.builder(8).name("ff2").build().apply(f);
    h = LayerNormalization.builder().name("ln2").build().apply(new Add("res2").apply(h, f));
    KerasTensor p = new GlobalAveragePooling1D("pool").apply(h);
    return model(
        "encoder",
        List.of(x),
        Dense.builder(3).activation("softmax").name("probs").build().apply(p));
  }

  private static Model model(String name, List<KerasTensor> inputs, KerasTensor output) {
    return new Model(inputs, List.of(output), name);
  }

  private static KerasTensor flatBoth(List<KerasTensor> outputAndScores) {
    KerasTensor f1 = new Flatten("f1").apply(outputAndScores.get(0));
    KerasTensor f2 = new Flatten("f2").apply(outputAndScores.get(1));
    return new Concatenate(-1, "both").apply(f1, f2);
  }

  private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(k1, v1);
    m.put(k2, v2);
    return m;
  }

  private static Path dir;

  @BeforeAll
  static void pythonMakesTheFiles() throws IOException {
    dir = Files.createTempDirectory("jkeras-attention-files-");
    PythonKeras.runScript("layers/attention_files.py", "make", dir.toString());
  }

  @AfterAll
  static void deleteTheFiles() throws IOException {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  @Order(1)
  void pythonFilesPredictAndSummarizeAsKerasAndTrainInJava() throws IOException {
    for (String name : TWINS.keySet()) {
      List<NpyArray> xs = inputs(dir, name);
      NpyArray y = NpyFile.read(dir.resolve(name + ".y.npy"));
      NpyArray predicted = NpyFile.read(dir.resolve(name + ".pred.npy"));
      float[] pred = predicted.asFloats();
      try (Model model = KerasModelFile.load(dir.resolve(name + ".keras"))) {
        assertArrayEquals(pred, predict(model, xs), 1e-5f, name + ": predictions");
        if (!name.equals("mha_masked")) {
          // Keras lists the operations it recorded for masks (not_equal, logical_or) as rows.
          String summary = Files.readString(dir.resolve(name + ".summary.txt"));
          assertEquals(summary.strip(), model.summaryString(76).strip(), name + ": summary");
        }
        assertEquals(
            Files.readString(dir.resolve(name + ".weights.txt")).strip(),
            weightPaths(model),
            name + ": weight paths and order");
        if (!model.trainableWeights().isEmpty()) {
          model.fit(hosts(xs), List.of(host(y)), FitOptions.epochs(1).batchSize(2).verbose(0));
          float[] after = predict(model, xs);
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
    for (String name : TWINS.keySet()) {
      List<NpyArray> xs = inputs(dir, name);
      float[] pred = NpyFile.read(dir.resolve(name + ".pred.npy")).asFloats();
      List<FloatNdArray> pythonWeights;
      try (Model model = KerasModelFile.load(dir.resolve(name + ".keras"))) {
        pythonWeights = model.getWeights();
      }
      try (Model built = TWINS.get(name).get()) {
        built.setWeights(pythonWeights);
        assertArrayEquals(pred, predict(built, xs), 1e-5f, name + ": Java-built predictions");
        KerasModelFile.save(built, dir.resolve("jb_" + name + ".keras"));
      }
    }
  }

  @Test
  @Order(3)
  void pythonLoadsWhatJavaWroteAndTheEncoderRunsThroughTheCommandLine() throws IOException {
    PythonKeras.Result r =
        PythonKeras.runScript("layers/attention_files.py", "check", dir.toString());
    assertTrue(r.stdout().contains("all checks passed: " + TWINS.size()), r.stdout());
    JkerasCli.predictAndConvertBackToKeras(dir, "encoder", "encoder.x0.npy", 4, 3);
  }

  /** {@code path shape} per weight, as Keras's {@code w.path} and list of dims. */
  private static String weightPaths(Model model) {
    List<String> lines = new ArrayList<>();
    for (Weight w : model.weights()) {
      lines.add(w.path() + " " + java.util.Arrays.toString(w.shape().asArray()));
    }
    return String.join("\n", lines);
  }

  private static List<NpyArray> inputs(Path dir, String name) throws IOException {
    List<NpyArray> xs = new ArrayList<>();
    for (int i = 0; Files.exists(dir.resolve(name + ".x" + i + ".npy")); i++) {
      xs.add(NpyFile.read(dir.resolve(name + ".x" + i + ".npy")));
    }
    return xs;
  }

  private static List<HostArray> hosts(List<NpyArray> xs) {
    return xs.stream().map(AttentionFilesInteropTest::host).toList();
  }

  private static HostArray host(NpyArray a) {
    return switch (a.dtype()) {
      case "int32" -> HostArray.ofInts(Shape.of(a.shape()), a.asInts());
      case "int64" -> HostArray.ofLongs(Shape.of(a.shape()), a.asLongs());
      default -> HostArray.ofFloats(Shape.of(a.shape()), a.asFloats());
    };
  }

  private static float[] predict(Model model, List<NpyArray> xs) {
    FloatNdArray p = model.predict(hosts(xs), 32).get(0);
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

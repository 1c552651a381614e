package io.jkeras.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jkeras.backend.HostArray;
import io.jkeras.io.NpyArray;
import io.jkeras.io.NpyFile;
import io.jkeras.models.Model;
import io.jkeras.optimizers.SGD;
import io.jkeras.saving.KerasModelFile;
import io.jkeras.serving.ModelServer;
import io.jkeras.serving.SavedModelServable;
import io.jkeras.serving.ServerOptions;
import io.jkeras.testing.JkerasCli;
import io.jkeras.testing.PythonKeras;
import io.jkeras.training.FitOptions;
import io.jkeras.training.History;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * TextVectorization against real Python Keras 3.15.1, both ways, in two Python processes
 * (src/test/python/layers/text_vectorization_files.py): each Python model (adapted and given
 * vocabularies, every standardize/split/ngrams/output mode, text with punctuation, upper case,
 * non-ASCII, empty strings, rows longer and shorter than output_sequence_length) loads in Java and
 * predicts Keras's numbers from NumPy {@code <U} and {@code |S} text; Java saves it again; Java
 * builds and adapts the same layers with its own API and finds Keras's vocabularies; Python loads
 * every Java file, predicts Java's numbers, and finds the layer config and the {@code assets/}
 * vocabularies byte for byte as Keras wrote them. The text classifier (TextVectorization,
 * Embedding, pooling, Dense) trains one epoch in Java to Keras's loss and weights, and goes through
 * a SavedModel that Python runs and that {@code jkeras serve} answers with JSON strings.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TextVectorizationInteropTest {

  static final List<String> VOCAB =
      List.of("the", "cat", "dog", "über", "café", "日本語", "sat", "mat");

  /** The Java twins of the Python cases: the layers after the input, given the adapt texts. */
  static final Map<String, Case> CASES = new LinkedHashMap<>();

  record Case(long[] shape, Supplier<TextVectorization.Builder> layer, boolean adapted, int head) {}

  static {
    CASES.put(
        "default_adapted",
        new Case(
            new long[] {1},
            () -> TextVectorization.builder().maxTokens(30).outputSequenceLength(6),
            true,
            2));
    CASES.put("int_longest_row", new Case(new long[0], TextVectorization::builder, true, 0));
    CASES.put(
        "given_lower",
        new Case(
            new long[] {1},
            () ->
                TextVectorization.builder()
                    .standardize("lower")
                    .vocabulary(VOCAB)
                    .outputSequenceLength(4),
            false,
            0));
    CASES.put(
        "strip_character",
        new Case(
            new long[0],
            () ->
                TextVectorization.builder()
                    .standardize("strip_punctuation")
                    .split("character")
                    .maxTokens(40)
                    .outputSequenceLength(12),
            true,
            0));
    CASES.put(
        "ngrams_count",
        new Case(
            new long[] {1},
            () -> TextVectorization.builder().ngrams(2).outputMode("count").maxTokens(25),
            true,
            0));
    CASES.put(
        "ngrams_tuple_multi_hot",
        new Case(
            new long[0],
            () ->
                TextVectorization.builder()
                    .ngrams(List.of(1, 3))
                    .outputMode("multi_hot")
                    .maxTokens(60)
                    .padToMaxTokens(true),
            true,
            0));
    CASES.put(
        "tf_idf_adapted",
        new Case(new long[0], () -> TextVectorization.builder().outputMode("tf_idf"), true, 0));
    CASES.put(
        "tf_idf_given",
        new Case(
            new long[] {1},
            () ->
                TextVectorization.builder()
                    .outputMode("tf_idf")
                    .vocabulary(VOCAB)
                    .idfWeights(List.of(0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0)),
            false,
            0));
    CASES.put(
        "pretokenized",
        new Case(
            new long[] {3},
            () ->
                TextVectorization.builder()
                    .standardize(null)
                    .split(null)
                    .vocabulary(VOCAB)
                    .outputSequenceLength(5),
            false,
            0));
    CASES.put(
        "vocabulary_file",
        new Case(
            new long[] {1},
            () ->
                TextVectorization.builder()
                    .vocabularyFile(TextVectorizationInteropTest.dir.resolve("vocab.txt"))
                    .outputSequenceLength(5),
            false,
            0));
    CASES.put(
        "whole_strings",
        new Case(
            new long[] {1},
            () ->
                TextVectorization.builder()
                    .standardize("lower")
                    .split(null)
                    .outputMode("multi_hot"),
            true,
            0));
    CASES.put(
        "text_classifier",
        new Case(
            new long[] {1},
            () -> TextVectorization.builder().maxTokens(50).outputSequenceLength(8),
            true,
            1));
  }

  @TempDir static Path dir;

  @BeforeAll
  static void makeFixtures() {
    PythonKeras.runScript("layers/text_vectorization_files.py", "make", dir.toString());
  }

  private static NpyArray read(Path p) {
    try {
      return NpyFile.read(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> texts(NpyArray a) {
    List<String> out = new ArrayList<>();
    for (byte[] b : a.asStrings()) {
      out.add(new String(b, StandardCharsets.UTF_8));
    }
    return out;
  }

  private static HostArray input(String name, String suffix) {
    NpyArray x = read(dir.resolve(name + suffix));
    return HostArray.ofStrings(Shape.of(x.shape()), x.asStrings());
  }

  private static float[] flat(FloatNdArray y) {
    float[] out = new float[(int) y.size()];
    y.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  private static void assertClose(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": size");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-5, what + ": element " + i);
    }
  }

  private static List<String> vocabularyJson(String name) throws IOException {
    Path p = dir.resolve(name + ".vocab.json");
    List<String> out = new ArrayList<>();
    for (JsonNode n : new ObjectMapper().readTree(Files.readString(p, StandardCharsets.UTF_8))) {
      out.add(n.asText());
    }
    return out;
  }

  private static Map<String, byte[]> assets(Path keras) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (ZipFile z = new ZipFile(keras.toFile())) {
      for (var e : Collections.list(z.entries())) {
        if (e.getName().startsWith("assets/")) {
          out.put(e.getName(), z.getInputStream(e).readAllBytes());
        }
      }
    }
    return out;
  }

  @Test
  @Order(1)
  void pythonModelsPredictLikeKerasFromUnicodeAndByteArrays() throws Exception {
    for (String name : CASES.keySet()) {
      float[] expected = read(dir.resolve(name + ".pred.npy")).asFloats();
      try (Model m = KerasModelFile.load(dir.resolve(name + ".keras"))) {
        assertClose(expected, flat(m.predict(input(name, ".x.npy"))), name + " <U");
        assertClose(expected, flat(m.predict(input(name, ".xs.npy"))), name + " |S");
        TextVectorization layer = (TextVectorization) m.getLayer("vectorize");
        assertEquals(vocabularyJson(name), layer.vocabulary(), name);
        m.save(dir.resolve("java_" + name + ".keras"));
        assertEquals(
            assets(dir.resolve(name + ".keras")).keySet(),
            assets(dir.resolve("java_" + name + ".keras")).keySet(),
            name);
      }
    }
  }

  @Test
  @Order(2)
  void javaBuiltAndAdaptedLayersMatchKerasVocabulariesAndOutputs() throws Exception {
    List<String> adapt = texts(read(dir.resolve("adapt.npy")));
    for (Map.Entry<String, Case> c : CASES.entrySet()) {
      String name = c.getKey();
      Case k = c.getValue();
      TextVectorization layer = k.layer().get().name("vectorize").build();
      if (k.adapted()) {
        layer.adapt(adapt);
      }
      assertEquals(vocabularyJson(name), layer.vocabulary(), name);
      KerasTensor in = Input.named("text", "string", k.shape());
      KerasTensor t = layer.apply(in);
      if (k.head() > 0) {
        t = new Embedding(layer.vocabularySize(), k.head() == 1 ? 8 : 3).apply(t);
        t = new GlobalAveragePooling1D().apply(t);
        t = new Dense(k.head(), k.head() == 1 ? "sigmoid" : null).apply(t);
      }
      try (Model m = new Model(List.of(in), List.of(t), name)) {
        FloatNdArray prediction = m.predict(input(name, ".x.npy"));
        float[] y = flat(prediction);
        if (k.head() == 0) {
          // No weights: Java's own layer computes exactly what Keras's does.
          assertClose(read(dir.resolve(name + ".pred.npy")).asFloats(), y, name);
        }
        NpyFile.write(
            dir.resolve("jb_" + name + ".pred.npy"),
            NpyArray.ofFloats(prediction.shape().asArray(), y));
        m.save(dir.resolve("jb_" + name + ".keras"));
      }
      Map<String, byte[]> python = assets(dir.resolve(name + ".keras"));
      Map<String, byte[]> java = assets(dir.resolve("jb_" + name + ".keras"));
      assertEquals(python.keySet(), java.keySet(), name);
      for (String key : python.keySet()) {
        assertArrayEquals(python.get(key), java.get(key), name + " " + key);
      }
    }
  }

  @Test
  @Order(3)
  void textClassifierTrainsOneEpochOnStringsLikeKeras() throws Exception {
    try (Model m = KerasModelFile.load(dir.resolve("text_classifier.keras"))) {
      m.compile(new SGD(0.5), "binary_crossentropy");
      NpyArray labels = read(dir.resolve("labels.npy"));
      History h =
          m.fit(
              input("text_classifier", ".x.npy"),
              HostArray.ofFloats(Shape.of(labels.shape()), labels.asFloats()),
              FitOptions.epochs(1).batchSize(10).shuffle(false).verbose(0));
      assertEquals(read(dir.resolve("trained.loss.npy")).asFloats()[0], h.get("loss").get(0), 1e-5);
      assertClose(
          read(dir.resolve("trained.pred.npy")).asFloats(),
          flat(m.predict(input("text_classifier", ".x.npy"))),
          "after one epoch");
    }
  }

  @Test
  @Order(4)
  void textClassifierSavedModelServesStrings() throws Exception {
    String name = "text_classifier";
    float[] expected = read(dir.resolve(name + ".pred.npy")).asFloats();
    Path sm = dir.resolve("sm_" + name);
    JkerasCli.run("convert", dir.resolve(name + ".keras").toString(), sm.toString());
    List<String> text = texts(read(dir.resolve(name + ".x.npy")));
    StringBuilder body = new StringBuilder("{\"instances\": [");
    ObjectMapper json = new ObjectMapper();
    for (int i = 0; i < text.size(); i++) {
      body.append(i == 0 ? "" : ", ").append(json.writeValueAsString(List.of(text.get(i))));
    }
    body.append("]}");
    Path base = dir.resolve("serving");
    copyTree(sm, base.resolve("1"));
    try (ModelServer server =
        new ModelServer(
                ServerOptions.of("text", base)
                    .withHost("127.0.0.1")
                    .withPort(0)
                    .withPollInterval(Duration.ZERO),
                SavedModelServable::load)
            .start()) {
      HttpResponse<String> r = post(server.uri(), body.toString());
      assertEquals(200, r.statusCode(), r.body());
      JsonNode predictions = json.readTree(r.body()).get("predictions");
      float[] served = new float[predictions.size()];
      for (int i = 0; i < served.length; i++) {
        served[i] = (float) predictions.get(i).get(0).asDouble();
      }
      assertClose(expected, served, "served");
    }
  }

  private static HttpResponse<String> post(URI base, String body) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(base.resolve("/v1/models/text:predict"))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  @Test
  @Order(5)
  void pythonLoadsEveryJavaFileAndSavedModel() {
    String out =
        PythonKeras.runScript("layers/text_vectorization_files.py", "check", dir.toString())
            .stdout();
    // 12 java_ files, 12 jb_ files, 1 SavedModel.
    assertTrue(out.contains("checked 25"), out);
  }
}

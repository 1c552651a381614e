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
import io.jkeras.saving.KerasModelFile;
import io.jkeras.serving.ModelServer;
import io.jkeras.serving.SavedModelServable;
import io.jkeras.serving.ServerOptions;
import io.jkeras.testing.JkerasCli;
import io.jkeras.testing.PythonKeras;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * StringLookup, IntegerLookup with adapted vocabularies and Hashing on strings against real Python
 * Keras 3.15.1, both ways, in two Python processes (src/test/python/layers/string_files.py): each
 * Python model loads in Java and predicts Keras's numbers from NumPy {@code <U} and {@code |S}
 * input; Java saves it again (and {@code jkeras convert} for the text classifier), Java builds and
 * adapts the same layers with its own API; Python loads every Java file, predicts Java's numbers,
 * and finds the lookup config and the {@code assets/} vocabulary byte for byte as Keras wrote them.
 * The text classifier (string input, StringLookup, Embedding, pooling, Dense) also goes through
 * {@code jkeras predict}, a SavedModel that Python's {@code tf.saved_model.load} runs, and {@code
 * jkeras serve} with JSON strings.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StringLayersInteropTest {

  static final List<String> VOCAB = List.of("red", "green", "blue", "été", "日本");

  /** The Java twins of the Python cases: the layers after the input, given the adapt data. */
  static final Map<String, Function<Path, List<Layer>>> CASES = new LinkedHashMap<>();

  static {
    CASES.put(
        "given",
        d -> head(StringLookup.builder().vocabulary(VOCAB).name("lookup").build(), 2, null));
    CASES.put(
        "adapted_mask_oov",
        d ->
            head(
                adapted(
                    d, "adapted_mask_oov", StringLookup.builder().maskToken("").numOovIndices(2)),
                2,
                null));
    CASES.put(
        "oov_salt",
        d ->
            head(
                StringLookup.builder()
                    .vocabulary(List.of("the", "cat", "mat"))
                    .numOovIndices(3)
                    .oovToken("?")
                    .salt(5, 9)
                    .name("lookup")
                    .build(),
                1,
                null));
    CASES.put(
        "one_hot",
        d ->
            List.of(
                StringLookup.builder()
                    .vocabulary(VOCAB)
                    .numOovIndices(2)
                    .outputMode("one_hot")
                    .name("lookup")
                    .build()));
    CASES.put(
        "multi_hot_mask",
        d ->
            List.of(
                StringLookup.builder()
                    .vocabulary(VOCAB)
                    .maskToken("")
                    .outputMode("multi_hot")
                    .name("lookup")
                    .build()));
    CASES.put(
        "count_adapted",
        d ->
            List.of(
                adapted(
                    d, "count_adapted", StringLookup.builder().maxTokens(6).outputMode("count"))));
    CASES.put(
        "tf_idf_given",
        d ->
            List.of(
                StringLookup.builder()
                    .vocabulary(VOCAB)
                    .idfWeights(List.of(0.5, 1.0, 1.5, 2.0, 2.5))
                    .outputMode("tf_idf")
                    .name("lookup")
                    .build()));
    CASES.put(
        "tf_idf_adapted",
        d -> List.of(adapted(d, "tf_idf_adapted", StringLookup.builder().outputMode("tf_idf"))));
    CASES.put(
        "hashing", d -> List.of(Hashing.builder(16).outputMode("count").name("lookup").build()));
    CASES.put(
        "hashing_salt_mask",
        d -> {
          List<Layer> out = new ArrayList<>();
          out.add(Hashing.builder(10).salt(7).maskValue("").name("lookup").build());
          out.add(new Embedding(10, 3));
          out.add(new GlobalAveragePooling1D());
          out.add(new Dense(1));
          return out;
        });
    CASES.put(
        "integer_adapted",
        d -> {
          IntegerLookup lookup =
              IntegerLookup.builder().maskToken(0L).outputMode("multi_hot").name("lookup").build();
          NpyArray a = read(d.resolve("integer_adapted.adapt.npy"));
          long[] flat = a.asLongs();
          int cols = (int) a.shape()[1];
          long[][] rows = new long[(int) a.shape()[0]][];
          for (int i = 0; i < rows.length; i++) {
            rows[i] = java.util.Arrays.copyOfRange(flat, i * cols, (i + 1) * cols);
          }
          lookup.adapt(rows);
          return List.of(lookup);
        });
    CASES.put(
        "text_classifier",
        d ->
            head(
                adapted(d, "text_classifier", StringLookup.builder().maskToken("")), 1, "sigmoid"));
  }

  @TempDir static Path dir;

  @BeforeAll
  static void makeFixtures() {
    PythonKeras.runScript("layers/string_files.py", "make", dir.toString());
  }

  private static List<Layer> head(IndexLookup<?> lookup, int units, String activation) {
    return List.of(
        lookup,
        new Embedding(lookup.vocabularySize(), 3),
        new GlobalAveragePooling1D(),
        new Dense(units, activation));
  }

  private static StringLookup adapted(Path d, String name, StringLookup.Builder b) {
    StringLookup lookup = b.name("lookup").build();
    lookup.adapt(rows(read(d.resolve(name + ".adapt.npy"))));
    return lookup;
  }

  private static NpyArray read(Path p) {
    try {
      return NpyFile.read(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String[][] rows(NpyArray a) {
    byte[][] flat = a.asStrings();
    int cols = (int) a.shape()[1];
    String[][] out = new String[(int) a.shape()[0]][cols];
    for (int i = 0; i < out.length; i++) {
      for (int j = 0; j < cols; j++) {
        out[i][j] = new String(flat[i * cols + j], StandardCharsets.UTF_8);
      }
    }
    return out;
  }

  private static HostArray input(String name, String suffix) {
    NpyArray x = read(dir.resolve(name + suffix));
    return x.isStrings()
        ? HostArray.ofStrings(org.tensorflow.ndarray.Shape.of(x.shape()), x.asStrings())
        : HostArray.ofLongs(org.tensorflow.ndarray.Shape.of(x.shape()), x.asLongs());
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

  private static List<Object> vocabularyJson(String name) throws IOException {
    Path p = dir.resolve(name + ".vocab.json");
    List<Object> out = new ArrayList<>();
    for (JsonNode n : new ObjectMapper().readTree(Files.readString(p, StandardCharsets.UTF_8))) {
      out.add(n.isNumber() ? (Object) n.asLong() : n.asText());
    }
    return out;
  }

  private static Map<String, byte[]> assets(Path keras) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (ZipFile z = new ZipFile(keras.toFile())) {
      for (var e : java.util.Collections.list(z.entries())) {
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
        if (Files.exists(dir.resolve(name + ".xs.npy"))) {
          assertClose(expected, flat(m.predict(input(name, ".xs.npy"))), name + " |S");
        }
        if (m.getLayer("lookup") instanceof IndexLookup<?> lookup) {
          assertEquals(vocabularyJson(name), new ArrayList<>(lookup.vocabulary()), name);
        }
        if (!name.equals("text_classifier")) {
          m.save(dir.resolve("java_" + name + ".keras"));
          assertEquals(
              assets(dir.resolve(name + ".keras")).keySet(),
              assets(dir.resolve("java_" + name + ".keras")).keySet(),
              name);
        }
      }
    }
  }

  @Test
  @Order(2)
  void javaBuiltAndAdaptedModelsMatchKerasVocabularies() throws Exception {
    for (Map.Entry<String, Function<Path, List<Layer>>> c : CASES.entrySet()) {
      String name = c.getKey();
      NpyArray x = read(dir.resolve(name + ".x.npy"));
      long[] shape = java.util.Arrays.copyOfRange(x.shape(), 1, x.shape().length);
      KerasTensor t = Input.named("words", x.isStrings() ? "string" : "int64", shape);
      KerasTensor in = t;
      List<Layer> layers = c.getValue().apply(dir);
      for (Layer l : layers) {
        t = l.apply(t);
      }
      try (Model m = new Model(List.of(in), List.of(t), name)) {
        if (layers.get(0) instanceof IndexLookup<?> lookup) {
          assertEquals(vocabularyJson(name), new ArrayList<>(lookup.vocabulary()), name);
        }
        FloatNdArray prediction = m.predict(input(name, ".x.npy"));
        float[] y = flat(prediction);
        if (layers.size() == 1) {
          // No weights: Java's own model computes exactly what Keras's does.
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
      for (String k : python.keySet()) {
        assertArrayEquals(python.get(k), java.get(k), name + " " + k);
      }
    }
  }

  @Test
  @Order(3)
  void textClassifierThroughPredictConvertSavedModelAndServe() throws Exception {
    String name = "text_classifier";
    Path model = dir.resolve(name + ".keras");
    float[] expected = read(dir.resolve(name + ".pred.npy")).asFloats();
    JkerasCli.run(
        "predict",
        model.toString(),
        dir.resolve(name + ".x.npy").toString(),
        dir.resolve("cli.npy").toString());
    assertClose(expected, read(dir.resolve("cli.npy")).asFloats(), "jkeras predict");
    JkerasCli.run("convert", model.toString(), dir.resolve("java_" + name + ".keras").toString());
    for (String sm : List.of(name, "given", "hashing_salt_mask", "multi_hot_mask")) {
      JkerasCli.run(
          "convert", dir.resolve(sm + ".keras").toString(), dir.resolve("sm_" + sm).toString());
    }
    JkerasCli.run(
        "predict",
        dir.resolve("sm_" + name).toString(),
        dir.resolve(name + ".x.npy").toString(),
        dir.resolve("sm.npy").toString());
    assertClose(expected, read(dir.resolve("sm.npy")).asFloats(), "SavedModel in Java");

    String[][] words = rows(read(dir.resolve(name + ".x.npy")));
    StringBuilder body = new StringBuilder("{\"instances\": [");
    ObjectMapper json = new ObjectMapper();
    for (int i = 0; i < words.length; i++) {
      body.append(i == 0 ? "" : ", ").append(json.writeValueAsString(words[i]));
    }
    body.append("]}");
    Path base = dir.resolve("serving");
    Files.createDirectories(base);
    copyTree(dir.resolve("sm_" + name), base.resolve("1"));
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
      HttpResponse<String> bad = post(server.uri(), "{\"instances\": [[1, 2, 3, 4, 5, 6]]}");
      assertEquals(400, bad.statusCode(), bad.body());
      assertTrue(bad.body().contains("needs a string"), bad.body());
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
  @Order(4)
  void pythonLoadsEveryJavaFileAndSavedModel() {
    String out = PythonKeras.runScript("layers/string_files.py", "check", dir.toString()).stdout();
    // 12 java_ files, 12 jb_ files, 4 SavedModels.
    assertTrue(out.contains("checked 28"), out);
  }
}

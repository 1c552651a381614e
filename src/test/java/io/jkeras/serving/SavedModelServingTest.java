package io.jkeras.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jkeras.io.NpyArray;
import io.jkeras.io.NpyFile;
import io.jkeras.layers.Dense;
import io.jkeras.layers.FMLayer;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.models.Model;
import io.jkeras.testing.PythonKeras;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real SavedModels (Python's from models/, and one exported from Java) served over HTTP. */
class SavedModelServingTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static JsonNode post(URI base, String path, String body) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  private static ModelServer serve(String name, Path base) throws Exception {
    return new ModelServer(
            ServerOptions.of(name, base)
                .withHost("127.0.0.1")
                .withPort(0)
                .withPollInterval(Duration.ZERO),
            SavedModelServable::load)
        .start();
  }

  @Test
  void pythonExportedModelServesPythonsPredictions() throws Exception {
    Path dir = Path.of(System.getProperty("user.dir"), "models", "imdb_fm_small");
    NpyArray x = NpyFile.read(dir.resolve("input.npy"));
    float[] expected = NpyFile.read(dir.resolve("expected.npy")).asFloats();
    int[] ids = x.asInts();
    int cols = (int) x.shape()[1];
    StringBuilder instances = new StringBuilder("{\"instances\": [");
    for (int i = 0; i < x.shape()[0]; i++) {
      instances.append(i == 0 ? "[" : ", [");
      for (int j = 0; j < cols; j++) {
        instances.append(j == 0 ? "" : ", ").append(ids[i * cols + j]);
      }
      instances.append(']');
    }
    instances.append("]}");
    try (ModelServer server = serve("fm", dir.resolve("saved_model"))) {
      JsonNode meta =
          JSON.readTree(
              HTTP.send(
                      HttpRequest.newBuilder(server.uri().resolve("/v1/models/fm/metadata"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body());
      assertEquals(
          "DT_INT32",
          meta.at("/metadata/signature_def/signature_def/serving_default" + "/inputs/tokens/dtype")
              .asText(),
          meta.toString());
      JsonNode p = post(server.uri(), "/v1/models/fm:predict", instances.toString());
      for (int i = 0; i < expected.length; i++) {
        assertEquals(
            expected[i], p.at("/predictions/" + i + "/0").floatValue(), 1e-5, p.toString());
      }
      JsonNode cols2 =
          post(
              server.uri(),
              "/v1/models/fm/versions/1:predict",
              "{\"inputs\": {\"tokens\": "
                  + JSON.readTree(instances.toString()).get("instances")
                  + "}}");
      assertEquals(expected[3], cols2.at("/outputs/3/0").floatValue(), 1e-5, cols2.toString());
    }
  }

  /**
   * TensorFlow Serving's binary encoding: DT_STRING elements may come as {@code {"b64": ...}} in
   * both formats (an unnamed instance or element, or inside named ones, mixed with plain strings),
   * and DT_STRING outputs named {@code *_bytes} go back as {@code {"b64": ...}}, the others as
   * text. The expected outputs are what TensorFlow's own run of the SavedModel gave.
   */
  @Test
  void binaryStringsTravelAsBase64ObjectsBothWays(@TempDir Path tmp) throws Exception {
    String[] sent = {"AP9h", "Y2Fmw6k=", ""}; // bytes 00 ff 61, "café" in UTF-8, nothing
    JsonNode tf =
        JSON.readTree(
            PythonKeras.runScript(
                    "serving/binary_model.py",
                    tmp.resolve("base/1").toString(),
                    sent[0],
                    sent[1],
                    sent[2])
                .stdout());
    try (ModelServer server = serve("bin", tmp.resolve("base"))) {
      String b64 = "[{\"b64\": \"AP9h\"}, {\"b64\": \"Y2Fmw6k=\"}, {\"b64\": \"\"}]";
      String mixed = "[{\"b64\": \"AP9h\"}, \"caf\u00e9\", \"\"]";
      List<JsonNode> rows = new ArrayList<>();
      for (JsonNode p :
          List.of(
              post(server.uri(), "/v1/models/bin:predict", "{\"instances\": " + b64 + "}"),
              post(
                  server.uri(),
                  "/v1/models/bin:predict",
                  "{\"instances\": [{\"raw\": {\"b64\": \"AP9h\"}}, {\"raw\": \"café\"},"
                      + " {\"raw\": {\"b64\": \"\"}}]}"))) {
        rows.add(p.get("predictions"));
      }
      for (String inputs : List.of(b64, "{\"raw\": " + mixed + "}")) {
        JsonNode out =
            post(server.uri(), "/v1/models/bin:predict", "{\"inputs\": " + inputs + "}")
                .get("outputs");
        ArrayNode asRows = JSON.createArrayNode();
        for (int i = 0; i < sent.length; i++) {
          ObjectNode row = asRows.addObject();
          out.fieldNames().forEachRemaining(k -> row.set(k, out.get(k).get(asRows.size() - 1)));
        }
        rows.add(asRows);
      }
      for (JsonNode predictions : rows) {
        assertEquals(sent.length, predictions.size(), predictions.toString());
        for (int i = 0; i < sent.length; i++) {
          JsonNode got = predictions.get(i);
          JsonNode want = tf.get(i);
          assertEquals(want.get("length").asInt(), got.get("length").asInt(), got.toString());
          assertEquals(
              JSON.createObjectNode().put("b64", want.get("echo_bytes").asText()),
              got.get("echo_bytes"),
              got.toString());
          if (i > 0) { // instance 0 is not UTF-8, so its text output has no JSON string form
            assertEquals(
                new String(
                    Base64.getDecoder().decode(want.get("upper").asText()), StandardCharsets.UTF_8),
                got.get("upper").asText(),
                got.toString());
          }
        }
      }
    }
  }

  /**
   * A Keras model with a uint8 input (images), exported by Keras: its DT_UINT8 signature takes the
   * integers 0..255 (not 256, -1 or 1.5) and serves what Keras's predict gives.
   */
  @Test
  void kerasUint8InputModelServesKerasPredictions(@TempDir Path tmp) throws Exception {
    JsonNode keras =
        JSON.readTree(
            PythonKeras.runScript("serving/uint8_model.py", tmp.resolve("base/1").toString())
                .stdout());
    try (ModelServer server = serve("u8", tmp.resolve("base"))) {
      JsonNode p =
          post(
              server.uri(),
              "/v1/models/u8:predict",
              "{\"instances\": " + keras.get("pixels") + "}");
      JsonNode want = keras.get("predictions");
      assertEquals(want.size(), p.get("predictions").size(), p.toString());
      for (int i = 0; i < want.size(); i++) {
        for (int j = 0; j < 2; j++) {
          assertEquals(
              want.get(i).get(j).doubleValue(),
              p.get("predictions").get(i).get(j).doubleValue(),
              1e-6,
              p.toString());
        }
      }
      for (String bad : List.of("256", "-1", "1.5")) {
        HttpResponse<String> r =
            HTTP.send(
                HttpRequest.newBuilder(server.uri().resolve("/v1/models/u8:predict"))
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"instances\": [[[0, 1], [2, " + bad + "]]]}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("DT_UINT8") && r.body().contains(bad), r.body());
      }
    }
  }

  /**
   * uint8 ids into a Keras Embedding are range-checked, as int32 and int64 ids are: 200 into a
   * 10-row table is a 400 naming the input, the id and the layer, and in-range ids serve Keras's
   * predictions.
   */
  @Test
  void kerasUint8IdsOutsideTheirTableAreRefusedNamingTheLayer(@TempDir Path tmp) throws Exception {
    JsonNode keras =
        JSON.readTree(
            PythonKeras.runScript("serving/uint8_ids_model.py", tmp.resolve("base/1").toString())
                .stdout());
    try (ModelServer server = serve("u8ids", tmp.resolve("base"))) {
      JsonNode p =
          post(
              server.uri(),
              "/v1/models/u8ids:predict",
              "{\"instances\": " + keras.get("ids") + "}");
      for (int i = 0; i < 2; i++) {
        assertEquals(
            keras.at("/predictions/" + i + "/0").doubleValue(),
            p.at("/predictions/" + i + "/0").doubleValue(),
            1e-6,
            p.toString());
      }
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(server.uri().resolve("/v1/models/u8ids:predict"))
                  .POST(HttpRequest.BodyPublishers.ofString("{\"instances\": [[1, 200]]}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(400, r.statusCode(), r.body());
      assertTrue(
          r.body().contains("id 200") && r.body().contains("[0, 10)") && r.body().contains("emb"),
          r.body());
    }
  }

  @Test
  void javaExportedFmModelServesWhatPredictGives(@TempDir Path tmp) throws Exception {
    KerasTensor in = Input.named("features", "float32", 6);
    KerasTensor out = new Dense(1, "sigmoid").apply(new FMLayer(4, 3, "relu").apply(in));
    Random r = new Random(2);
    float[][] xs = new float[5][6];
    for (float[] row : xs) {
      for (int j = 0; j < 6; j++) {
        row[j] = (float) r.nextGaussian();
      }
    }
    float[][] local;
    try (Model m = new Model(in, out)) {
      local = m.predict(xs);
      m.export(tmp.resolve("base/3"));
    }
    try (ModelServer server = serve("java_fm", tmp.resolve("base"))) {
      JsonNode p =
          post(
              server.uri(),
              "/v1/models/java_fm:predict",
              "{\"instances\": " + JSON.writeValueAsString(xs) + "}");
      for (int i = 0; i < xs.length; i++) {
        assertEquals(local[i][0], p.at("/predictions/" + i + "/0").floatValue(), 1e-6);
      }
      String status =
          HTTP.send(
                  HttpRequest.newBuilder(server.uri().resolve("/v1/models/java_fm")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertTrue(
          status.contains("\"version\":\"3\"") || status.contains("\"version\": \"3\""), status);
    }
  }
}

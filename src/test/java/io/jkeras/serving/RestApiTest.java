package io.jkeras.serving;

import static io.jkeras.serving.TestHttp.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST API over real HTTP: status, metadata, predict in both formats, health, metrics. */
class RestApiTest {

  @TempDir static Path base;
  static ModelServer server;
  static TestHttp http;

  @BeforeAll
  static void start() throws Exception {
    FakeModel.writeVersion(base, 1, "bias=1\nscale=2\n");
    server =
        new ModelServer(
                ServerOptions.of("fm", base).withPort(0).withLog(m -> {}), new FakeModel.Loader())
            .start();
    http = new TestHttp(server.uri());
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @Test
  void statusOfAllVersionsAndOfOne() throws Exception {
    String want =
        "{\"model_version_status\": [{\"version\": \"1\", \"state\": \"AVAILABLE\","
            + " \"status\": {\"error_code\": \"OK\", \"error_message\": \"\"}}]}";
    TestHttp.Reply all = http.get("/v1/models/fm");
    assertEquals(200, all.status());
    assertEquals(json(want), all.json());
    assertEquals(json(want), http.get("/v1/models/fm/versions/1").json());
    assertEquals(
        "application/json",
        http.client
            .send(
                java.net.http.HttpRequest.newBuilder(server.uri().resolve("/v1/models/fm")).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding())
            .headers()
            .firstValue("Content-Type")
            .orElse(""));
  }

  @Test
  void metadataListsSignaturesAsSignatureDefJson() throws Exception {
    TestHttp.Reply r = http.get("/v1/models/fm/metadata");
    assertEquals(200, r.status(), r.body());
    assertEquals(
        json("{\"name\": \"fm\", \"signature_name\": \"\", \"version\": \"1\"}"),
        r.json().get("model_spec"));
    var defs = r.json().get("metadata").get("signature_def").get("signature_def");
    assertEquals(
        json(
            "{\"dtype\": \"DT_FLOAT\", \"tensor_shape\": {\"dim\": [{\"size\": \"-1\","
                + " \"name\": \"\"}, {\"size\": \"3\", \"name\": \"\"}], \"unknown_rank\": false},"
                + " \"name\": \"serving_default_x:0\"}"),
        defs.get("serving_default").get("inputs").get("x"));
    assertEquals(
        "tensorflow/serving/predict", defs.get("serving_default").get("method_name").asText());
    assertEquals("DT_INT64", defs.get("pair").get("outputs").get("ids_x10").get("dtype").asText());
    assertEquals(r.json(), http.get("/v1/models/fm/versions/1/metadata").json());
  }

  @Test
  void rowFormatWithOneInputTakesEachInstanceAsTheValue() throws Exception {
    TestHttp.Reply r =
        http.post("/v1/models/fm:predict", "{\"instances\": [[1, 2, 3], [4, 5, 6]]}");
    assertEquals(200, r.status(), r.body());
    assertEquals(json("{\"predictions\": [[3.0, 5.0, 7.0], [9.0, 11.0, 13.0]]}"), r.json());
  }

  @Test
  void rowFormatAcceptsNamedInstancesForOneInput() throws Exception {
    TestHttp.Reply r =
        http.post(
            "/v1/models/fm/versions/1:predict",
            "{\"signature_name\": \"serving_default\", \"instances\": [{\"x\": [1, 2, 3]}]}");
    assertEquals(200, r.status(), r.body());
    assertEquals(json("{\"predictions\": [[3.0, 5.0, 7.0]]}"), r.json());
  }

  @Test
  void columnarFormatTakesTheTensorOrAnObjectOfTensors() throws Exception {
    TestHttp.Reply bare = http.post("/v1/models/fm:predict", "{\"inputs\": [[1, 2, 3]]}");
    assertEquals(200, bare.status(), bare.body());
    assertEquals(json("{\"outputs\": [[3.0, 5.0, 7.0]]}"), bare.json());
    TestHttp.Reply named = http.post("/v1/models/fm:predict", "{\"inputs\": {\"x\": [[1, 2, 3]]}}");
    assertEquals(bare.json(), named.json());
  }

  @Test
  void severalNamedInputsAndOutputsInBothFormats() throws Exception {
    TestHttp.Reply rows =
        http.post(
            "/v1/models/fm:predict",
            "{\"signature_name\": \"pair\","
                + " \"instances\": [{\"ids\": [1, 2], \"w\": 0.5}, {\"ids\": [3, 4], \"w\": -1}]}");
    assertEquals(200, rows.status(), rows.body());
    assertEquals(
        json(
            "{\"predictions\": [{\"sum\": 3.5, \"ids_x10\": [10, 20]},"
                + " {\"sum\": 6.0, \"ids_x10\": [30, 40]}]}"),
        rows.json());
    TestHttp.Reply cols =
        http.post(
            "/v1/models/fm:predict",
            "{\"signature_name\": \"pair\","
                + " \"inputs\": {\"ids\": [[1, 2], [3, 4]], \"w\": [0.5, -1]}}");
    assertEquals(200, cols.status(), cols.body());
    assertEquals(
        json("{\"outputs\": {\"sum\": [3.5, 6.0], \"ids_x10\": [[10, 20], [30, 40]]}}"),
        cols.json());
  }

  @Test
  void floatsPrintAsTensorFlowServingPrintsThem() throws Exception {
    // 2 * 0.05f + 1 is the float nearest 1.1: printed as 1.1, not 1.100000023841858
    TestHttp.Reply f = http.post("/v1/models/fm:predict", "{\"instances\": [[0.05, 0.1, 1e-3]]}");
    assertEquals("{\"predictions\":[[1.1,1.2,1.002]]}", f.body());
    TestHttp.Reply d =
        http.post(
            "/v1/models/fm:predict",
            "{\"signature_name\": \"as_double\", \"instances\": [0.1, NaN, Infinity]}");
    assertEquals("{\"predictions\":[1.2,NaN,Infinity]}", d.body());
  }

  @Test
  void healthAndPrometheusMetrics() throws Exception {
    TestHttp.Reply h = http.get("/healthz");
    assertEquals(200, h.status());
    assertEquals(
        json(
            "{\"status\": \"ok\", \"model_name\": \"fm\", \"serving_versions\": [\"1\"],"
                + " \"failed_versions\": []}"),
        h.json());
    http.post("/v1/models/fm:predict", "{\"instances\": [[1, 2, 3]]}");
    TestHttp.Reply m = http.get("/monitoring/prometheus/metrics");
    assertEquals(200, m.status());
    assertTrue(m.body().contains("# TYPE jkeras_serving_requests_total counter"), m.body());
    assertTrue(
        m.body()
            .matches(
                "(?s).*jkeras_serving_requests_total\\{api=\"predict\"," + "code=\"200\"} [1-9].*"),
        m.body());
    assertTrue(
        m.body()
            .contains(
                "jkeras_serving_request_duration_seconds_bucket{api=\"predict\"," + "le=\"+Inf\"}"),
        m.body());
    assertTrue(m.body().contains("jkeras_serving_model_loads_total{result=\"ok\"} 1"), m.body());
  }
}

package io.jkeras.serving;

import static io.jkeras.serving.TestHttp.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad request over real HTTP: the TensorFlow Serving status code, a JSON error that
 * names the problem, and a server that goes on serving good requests.
 */
class BadInputTest {

  static final int MAX_BODY = 16 * 1024;

  @TempDir static Path base;
  static ModelServer server;
  static TestHttp http;

  @BeforeAll
  static void start() throws Exception {
    FakeModel.writeVersion(base, 1, "bias=1\n");
    server =
        new ModelServer(
                ServerOptions.of("fm", base)
                    .withPort(0)
                    .withLog(m -> {})
                    .withMaxBodyBytes(MAX_BODY),
                new FakeModel.Loader())
            .start();
    http = new TestHttp(server.uri());
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  /** After each bad request, a good one still works. */
  @AfterEach
  void stillServes() throws Exception {
    TestHttp.Reply r = http.post("/v1/models/fm:predict", "{\"instances\": [[1, 2, 3]]}");
    assertEquals(200, r.status(), r.body());
    assertEquals(json("{\"predictions\": [[3.0, 5.0, 7.0]]}"), r.json());
  }

  private static void expect(TestHttp.Reply r, int status, String... inMessage) {
    assertEquals(status, r.status(), r.body());
    assertNotNull(r.json(), "not JSON: " + r.body());
    assertEquals(1, r.json().size(), r.body());
    String error = r.error();
    assertNotNull(error, r.body());
    for (String s : inMessage) {
      assertTrue(error.contains(s), "\"" + s + "\" not in: " + error);
    }
  }

  private static TestHttp.Reply predict(String body) throws Exception {
    return http.post("/v1/models/fm:predict", body);
  }

  @Test
  void malformedJson() throws Exception {
    expect(predict("{\"instances\": [[1, 2, 3]"), 400, "Malformed JSON");
    expect(predict("{\"instances\": [[1, 2, 3]]} trailing"), 400, "Malformed JSON");
    expect(
        predict("{\"instances\": [[1,2,3]], \"instances\": [[1,2,3]]}"),
        400,
        "Malformed JSON",
        "instances");
    expect(predict("[1, 2, 3]"), 400, "JSON object");
    expect(predict(""), 400, "JSON object");
  }

  @Test
  void bothInstancesAndInputs() throws Exception {
    expect(
        predict("{\"instances\": [[1, 2, 3]], \"inputs\": [[1, 2, 3]]}"),
        400,
        "both",
        "instances",
        "inputs");
    expect(predict("{\"signature_name\": \"serving_default\"}"), 400, "neither");
  }

  @Test
  void wrongDtype() throws Exception {
    expect(
        predict(
            "{\"signature_name\": \"pair\", \"instances\": [{\"ids\": [1.5, 2], " + "\"w\": 1}]}"),
        400,
        "\"ids\"",
        "DT_INT32",
        "1.5");
    expect(
        predict(
            "{\"signature_name\": \"pair\", \"inputs\": {\"ids\": [[1, 3000000000]], "
                + "\"w\": [1]}}"),
        400,
        "DT_INT32",
        "int32 range");
    expect(
        predict("{\"instances\": [[1, \"two\", 3]]}"),
        400,
        "DT_FLOAT",
        "needs a number",
        "instance 0[1]",
        "\"two\"");
    expect(predict("{\"instances\": [[1, true, 3]]}"), 400, "DT_FLOAT");
    // Numbers past the double range are refused, as TF Serving's parser refuses them; bare
    // Infinity stays the way to send one (max double still turns to Infinity as a float).
    expect(predict("{\"instances\": [[1, 1e999, 3]]}"), 400, "instance 0[1]", "1e999", "too big");
    expect(predict("{\"instances\": [[1, -2e308, 3]]}"), 400, "-2e308", "too big");
    expect(predict("{\"inputs\": [[1, 2, 1" + "0".repeat(400) + "]]}"), 400, "too big");
    TestHttp.Reply inf = predict("{\"instances\": [[-Infinity, 1.7976931348623157e308, 1]]}");
    assertEquals(200, inf.status(), inf.body());
    assertEquals("{\"predictions\":[[-Infinity,Infinity,3.0]]}", inf.body());
  }

  @Test
  void wrongShape() throws Exception {
    expect(predict("{\"instances\": [[1, 2], [3, 4]]}"), 400, "\"x\"", "[-1, 3]", "[2]");
    expect(predict("{\"instances\": [1, 2, 3]}"), 400, "expects shape [-1, 3]");
    expect(predict("{\"inputs\": [1, 2, 3]}"), 400, "expects shape [-1, 3]", "[3]");
    expect(predict("{\"inputs\": 5}"), 400, "expects shape [-1, 3]", "[]");
  }

  @Test
  void raggedInstances() throws Exception {
    expect(predict("{\"instances\": [[1, 2, 3], [4, 5]]}"), 400, "Ragged", "instance 1", "[2]");
    expect(
        predict(
            "{\"signature_name\": \"pair\", \"inputs\": {\"ids\": [[1, 2], [3]], "
                + "\"w\": [1, 2]}}"),
        400,
        "Ragged",
        "\"ids\"");
    expect(predict("{\"instances\": [[1, 2, [3]]]}"), 400, "Ragged");
  }

  @Test
  void malformedInstancesAndInputs() throws Exception {
    expect(predict("{\"instances\": []}"), 400, "empty");
    expect(predict("{\"instances\": {\"x\": [1, 2, 3]}}"), 400, "must be a list");
    expect(
        predict("{\"signature_name\": \"pair\", \"instances\": [[1, 2]]}"),
        400,
        "2 inputs",
        "object");
    expect(
        predict("{\"signature_name\": \"pair\", \"instances\": [{\"ids\": [1, 2]}]}"),
        400,
        "lacks input \"w\"");
    expect(
        predict("{\"instances\": [{\"x\": [1, 2, 3], \"z\": 1}]}"), 400, "\"z\"", "not an input");
    expect(predict("{\"instances\": [{\"x\": [1, 2, 3]}, [1, 2, 3]]}"), 400, "mixes");
    expect(predict("{\"signature_name\": 7, \"instances\": [[1, 2, 3]]}"), 400, "signature_name");
  }

  @Test
  void unknownModelVersionOrSignature() throws Exception {
    expect(
        predict("{\"signature_name\": \"nope\", \"instances\": [[1, 2, 3]]}"),
        400,
        "\"nope\"",
        "serving_default");
    expect(
        http.post("/v1/models/other:predict", "{\"instances\": [[1, 2, 3]]}"),
        404,
        "\"other\"",
        "not found");
    expect(http.get("/v1/models/other"), 404, "\"other\"");
    expect(http.get("/v1/models/other/metadata"), 404, "\"other\"");
    expect(
        http.post("/v1/models/fm/versions/7:predict", "{\"instances\": [[1, 2, 3]]}"),
        404,
        "Version 7",
        "not available");
    expect(http.get("/v1/models/fm/versions/7"), 404, "no version 7");
    expect(http.get("/v1/models/fm/versions/7/metadata"), 404, "Version 7");
    expect(http.get("/v1/models/fm/versions/abc"), 400, "Invalid version \"abc\"");
    expect(http.get("/v1/models/fm/labels/stable"), 404, "label");
  }

  @Test
  void bodyOverTheSizeLimit() throws Exception {
    StringBuilder sb = new StringBuilder("{\"instances\": [");
    while (sb.length() < MAX_BODY + 100) {
      sb.append("[1, 2, 3], ");
    }
    sb.append("[1, 2, 3]]}");
    expect(predict(sb.toString()), 413, "over the limit", Integer.toString(MAX_BODY));
    // Without Content-Length (chunked), the limit holds while reading.
    String big = sb.toString();
    expect(
        http.send(
            HttpRequest.newBuilder(URI.create(server.uri() + "/v1/models/fm:predict"))
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(big.getBytes())))),
        413,
        "over the limit");
  }

  @Test
  void modelNameWithPathCharacters() throws Exception {
    expect(
        http.post("/v1/models/..%2F..%2Fetc:predict", "{\"instances\": [[1, 2, 3]]}"),
        400,
        "model name",
        "path characters");
    expect(http.get("/v1/models/fm%2F..%2Fx/metadata"), 400, "path characters");
    expect(http.get("/v1/models/a%5Cb"), 400, "path characters");
    expect(http.get("/v1/models/.."), 400, "\"..\"");
    expect(http.get("/v1/models/../models/fm"), 400, "\"..\"");
    expect(http.get("/v1/models/%2E%2E/fm"), 400, "\"..\"");
  }

  @Test
  void wrongMethodAndUnknownPaths() throws Exception {
    expect(http.get("/v1/models/fm:predict"), 400, "Malformed request", "POST");
    expect(http.post("/v1/models/fm", "{}"), 400, "Malformed request", "GET");
    expect(http.post("/v1/models/fm:explode", "{}"), 400, "Malformed request", ":explode");
    expect(http.post("/v1/models/fm:classify", "{}"), 501, "predict");
    expect(http.get("/v1/nothing"), 400, "Malformed request");
    expect(http.get("/index.html"), 404, "Not found");
    expect(
        http.send(HttpRequest.newBuilder(URI.create(server.uri() + "/v1/models/fm")).DELETE()),
        400,
        "Malformed request",
        "DELETE");
  }

  @Test
  void errorsJettyAnswersItselfAreJsonToo() throws Exception {
    String[] requests = {
      "GARBAGE\r\n\r\n",
      "GET /v1/models/fm HTTP/1.1\r\nHost: x\r\nX: " + "a".repeat(20000) + "\r\n\r\n",
      "POST /v1/models/fm:predict HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"
    };
    for (String raw : requests) {
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
        s.setSoTimeout(5000);
        s.getOutputStream().write(raw.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        String reply =
            new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(
            reply.matches(
                "(?s)HTTP/1.1 4\\d\\d .*Content-Type: application/json.*"
                    + "\r\n\r\n\\{\"error\":\".+\"}"),
            reply);
      }
    }
  }

  @Test
  void modelFailuresAreInternalErrorsUnlessTheModelBlamesTheInput() throws Exception {
    expect(
        predict("{\"signature_name\": \"broken\", \"instances\": [1]}"),
        500,
        "kaboom",
        "\"broken\"");
    expect(
        predict("{\"signature_name\": \"broken\", \"instances\": [-1]}"),
        400,
        "must not be negative");
  }
}

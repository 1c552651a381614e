package io.jkeras.serving;

import static io.jkeras.serving.TestHttp.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.layers.Dense;
import io.jkeras.layers.Embedding;
import io.jkeras.layers.Flatten;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.models.Model;
import io.jkeras.savedmodel.SavedModel;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The server under hostile clients (issue 13): requests that ask for too much memory, a client
 * whose bad input would fail a merged batch, slow uploads, aborted uploads, versions that load but
 * cannot run. Every case asserts its status and that the server still predicts correctly after.
 * Loopback only; each case is bounded in time.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileServingTest {

  @TempDir Path base;
  final FakeModel.Loader loader = new FakeModel.Loader();
  ModelServer server;
  TestHttp http;

  private void start(ServerOptions options) throws Exception {
    if (!Files.exists(base.resolve("1"))) {
      FakeModel.writeVersion(base, 1, "bias=1\n");
    }
    server = new ModelServer(options.withPort(0).withLog(m -> {}), loader).start();
    http = new TestHttp(server.uri());
  }

  private ServerOptions options() {
    return ServerOptions.of("fm", base);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop();
    }
  }

  private void stillPredicts() throws Exception {
    TestHttp.Reply r = http.post("/v1/models/fm:predict", "{\"instances\": [[1, 2, 3]]}");
    assertEquals(200, r.status(), r.body());
    assertEquals(json("{\"predictions\": [[3.0, 5.0, 7.0]]}"), r.json());
  }

  private static String rows(int n, int width) {
    StringBuilder sb = new StringBuilder(n * (width * 2 + 4) + 32);
    sb.append("{\"instances\": [");
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "[" : ",[");
      for (int j = 0; j < width; j++) {
        sb.append(j == 0 ? "" : ",").append(j == 0 ? i % 100 : 0);
      }
      sb.append(']');
    }
    return sb.append("]}").toString();
  }

  @ParameterizedTest(name = "batching {0}")
  @ValueSource(booleans = {false, true})
  void instancesOverTheCapAre413AndALargeRequestRunsInPartsOfMaxBatchSize(boolean batching)
      throws Exception {
    start(
        options()
            .withBatching(new BatchingOptions(batching, 8, Duration.ofMillis(1), 1))
            .withLimits(ServingLimits.DEFAULT.withMaxInstancesPerRequest(1000)));
    TestHttp.Reply r = http.post("/v1/models/fm:predict", rows(1001, 3));
    assertEquals(413, r.status(), r.body());
    assertTrue(r.error().contains("max_instances_per_request"), r.body());
    // The same cap holds for dimension 0 in the columnar format.
    r = http.post("/v1/models/fm:predict", "{\"inputs\": " + rows(1001, 3).substring(14));
    assertEquals(413, r.status(), r.body());

    FakeModel m = loader.version(1);
    m.batchSizes.clear();
    m.runThreads.clear();
    r = http.post("/v1/models/fm:predict", rows(1000, 3));
    assertEquals(200, r.status(), r.body());
    var predictions = r.json().get("predictions");
    assertEquals(1000, predictions.size());
    for (int i : new int[] {0, 7, 8, 999}) {
      assertEquals(json("[" + (2.0 * (i % 100) + 1) + ", 1.0, 1.0]"), predictions.get(i));
    }
    assertEquals(125, m.batchSizes.size(), "1000 instances in runs of 8");
    assertTrue(m.batchSizes.stream().allMatch(b -> b == 8), m.batchSizes.toString());
    if (batching) {
      // The handler runs on the thread that reads requests: it never runs a model itself.
      assertTrue(
          m.runThreads.stream().allMatch(t -> t.equals("jkeras-serving-batch")),
          m.runThreads.toString());
    }
    // A part that fails answers as a single run would: the model blaming the input is a 400.
    StringBuilder broken = new StringBuilder("{\"signature_name\": \"broken\", \"instances\": [-1");
    for (int i = 1; i < 20; i++) {
      broken.append(", ").append(i);
    }
    r = http.post("/v1/models/fm:predict", broken.append("]}").toString());
    assertEquals(400, r.status(), r.body());
    assertTrue(r.error().contains("must not be negative"), r.body());
    r = http.post("/v1/models/fm:predict", broken.toString().replace("[-1,", "[1,"));
    assertEquals(500, r.status(), r.body());
    assertTrue(r.error().contains("kaboom") && !r.error().contains("Completion"), r.body());
    stillPredicts();
  }

  @Test
  void decodedBytesOverTheCapAre413() throws Exception {
    start(options().withLimits(ServingLimits.DEFAULT.withMaxTensorBytes(8 * 3000)));
    TestHttp.Reply r =
        http.post(
            "/v1/models/fm:predict",
            "{\"signature_name\": \"wide\", " + rows(100, 31).substring(1));
    assertEquals(413, r.status(), r.body());
    assertTrue(r.error().contains("max_tensor_bytes"), r.body());
    r =
        http.post(
            "/v1/models/fm:predict",
            "{\"signature_name\": \"wide\", " + rows(100, 29).substring(1));
    assertEquals(200, r.status(), r.body());
    assertEquals(100, r.json().get("predictions").size());
    stillPredicts();
  }

  @Test
  void onePoisoningClientFailsAloneUnderBatchingAndSeesNoOneElsesData() throws Exception {
    start(options().withBatching(new BatchingOptions(true, 8, Duration.ofMillis(2), 2)));
    int clients = 8;
    int perClient = 40;
    AtomicBoolean poisoning = new AtomicBoolean(true);
    AtomicInteger poisoned = new AtomicInteger();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(clients + 1);
    try {
      Future<?> poisoner =
          pool.submit(
              () -> {
                while (poisoning.get()) {
                  TestHttp.Reply r =
                      http.post(
                          "/v1/models/fm:predict",
                          "{\"signature_name\": \"lookup\", \"instances\": [[123456789, 1]]}");
                  if (r.status() != 400 || !r.error().contains("123456789")) {
                    failures.add("poisoner got " + r.status() + " " + r.body());
                  }
                  poisoned.incrementAndGet();
                }
                return null;
              });
      List<Future<?>> valid = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        valid.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perClient; i++) {
                    TestHttp.Reply r =
                        http.post(
                            "/v1/models/fm:predict",
                            "{\"signature_name\": \"lookup\", \"instances\": [[5, "
                                + client
                                + "]]}");
                    // y = (2 * 5 + 1) + (2 * client + 1)
                    if (r.status() != 200
                        || !r.json()
                            .equals(json("{\"predictions\": [" + (12.0 + 2 * client) + "]}"))
                        || r.body().contains("123456789")) {
                      failures.add("client " + client + " got " + r.status() + " " + r.body());
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : valid) {
        f.get(50, TimeUnit.SECONDS);
      }
      poisoning.set(false);
      poisoner.get(10, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertTrue(failures.isEmpty(), failures.size() + " failures, e.g. " + failures.peek());
    assertTrue(poisoned.get() > 0);
    assertTrue(
        loader.version(1).batchSizes.stream().anyMatch(b -> b > 1),
        "requests were never merged: " + loader.version(1).batchSizes);
    stillPredicts();
  }

  @TempDir Path exported;

  /**
   * A real SavedModel with an Embedding (input "ids" int32 (None, 2), layer "emb", 100 rows) behind
   * a loader that counts the runs that fail and the instances of each run.
   */
  @Test
  void aPoisonedRequestIsRefusedBeforeItJoinsABatch() throws Exception {
    KerasTensor ids = Input.named("ids", "int32", 2);
    KerasTensor e = Embedding.builder(100, 4).name("emb").build().apply(ids);
    int clients = 6;
    int perClient = 30;
    float[][] expected = new float[clients][];
    try (Model m = new Model(ids, new Dense(1).apply(new Flatten().apply(e)))) {
      for (int c = 0; c < clients; c++) {
        expected[c] = m.predict(new int[][] {{5, c}})[0];
      }
      SavedModel.export(m, exported.resolve("1"));
    }
    AtomicInteger failedRuns = new AtomicInteger();
    List<Long> runSizes = new java.util.concurrent.CopyOnWriteArrayList<>();
    ModelLoader counting =
        dir -> {
          ServableModel real = SavedModelServable.load(dir);
          return new ServableModel() {
            @Override
            public Map<String, SignatureSpec> signatures() {
              return real.signatures();
            }

            @Override
            public void checkValues(String signature, Map<String, TensorData> inputs) {
              real.checkValues(signature, inputs);
            }

            @Override
            public Map<String, TensorData> run(String signature, Map<String, TensorData> inputs)
                throws Exception {
              runSizes.add(inputs.values().iterator().next().dim(0));
              try {
                return real.run(signature, inputs);
              } catch (Exception ex) {
                failedRuns.incrementAndGet();
                throw ex;
              }
            }

            @Override
            public void close() throws Exception {
              real.close();
            }
          };
        };
    server =
        new ModelServer(
                ServerOptions.of("emb", exported)
                    .withPort(0)
                    .withLog(msg -> {})
                    .withBatching(new BatchingOptions(true, 8, Duration.ofMillis(2), 2)),
                counting)
            .start();
    http = new TestHttp(server.uri());
    AtomicBoolean poisoning = new AtomicBoolean(true);
    AtomicInteger poisoned = new AtomicInteger();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(clients + 1);
    String poison = "{\"instances\": [[123456789, 1]]}";
    try {
      Future<?> poisoner =
          pool.submit(
              () -> {
                while (poisoning.get()) {
                  TestHttp.Reply r = http.post("/v1/models/emb:predict", poison);
                  // Its own id, at its own position: nothing of a merged batch.
                  String want =
                      "input \"ids\" has id 123456789 at [0, 0], outside the range [0, 100)";
                  if (r.status() != 400 || !r.error().startsWith(want)) {
                    failures.add("poisoner got " + r.status() + " " + r.body());
                  }
                  poisoned.incrementAndGet();
                }
                return null;
              });
      List<Future<?>> valid = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        valid.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perClient; i++) {
                    TestHttp.Reply r =
                        http.post(
                            "/v1/models/emb:predict", "{\"instances\": [[5, " + client + "]]}");
                    if (r.status() != 200
                        || Math.abs(
                                r.json().at("/predictions/0/0").asDouble() - expected[client][0])
                            > 1e-6
                        || r.body().contains("123456789")) {
                      failures.add("client " + client + " got " + r.status() + " " + r.body());
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : valid) {
        f.get(50, TimeUnit.SECONDS);
      }
      poisoning.set(false);
      poisoner.get(10, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertTrue(failures.isEmpty(), failures.size() + " failures, e.g. " + failures.peek());
    assertTrue(poisoned.get() > 0);
    // Refused before merging: no run ever failed (so none needed the per-request re-run).
    assertEquals(0, failedRuns.get());
    assertTrue(runSizes.stream().anyMatch(n -> n > 1), "never merged: " + runSizes);
    assertTrue(
        http.post("/v1/models/emb:predict", poison)
            .error()
            .endsWith("outside the range [0, 100) of layer \"emb\" (Embedding)"));
  }

  /** Opens a connection and sends the first bytes of a request's headers. */
  private static Socket slowHeaders(String fromAddress, int port) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(fromAddress, 0));
    s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
    s.getOutputStream()
        .write("GET /v1/models/fm HTTP/1.1\r\nHo".getBytes(StandardCharsets.US_ASCII));
    return s;
  }

  @Test
  void clientsTricklingHeadersAreDroppedAndStatusStaysAnswerable() throws Exception {
    start(
        options()
            .withLimits(
                ServingLimits.DEFAULT
                    .withMaxConnectionsPerClient(64)
                    .withMinRequestBytesPerSecond(100)));
    List<Socket> attack = new ArrayList<>();
    try {
      for (int i = 0; i < 60; i++) {
        attack.add(slowHeaders("127.0.0.3", server.port()));
      }
      // One header byte per 300 ms each: far under 100 bytes/s, yet never idle for the 30 s idle
      // timeout, so only a header-phase rate limit drops them.
      long end = System.nanoTime() + 5_000_000_000L;
      double worst = 0;
      int checks = 0;
      while (System.nanoTime() < end) {
        for (Socket s : attack) {
          try {
            s.getOutputStream().write('x');
            s.getOutputStream().flush();
          } catch (IOException e) {
            // closed by the server: the point
          }
        }
        long t0 = System.nanoTime();
        TestHttp.Reply status = http.get("/v1/models/fm");
        TestHttp.Reply health = http.get("/healthz");
        worst = Math.max(worst, (System.nanoTime() - t0) / 1e9);
        assertEquals(200, status.status(), status.body());
        assertEquals(200, health.status(), health.body());
        checks++;
        Thread.sleep(300);
      }
      assertTrue(checks >= 5, "only " + checks + " checks");
      assertTrue(worst < 2, "status and health took up to " + worst + " s under attack");
      assertEquals(attack.size(), closedByServer(attack, 200), "header tricklers still connected");
    } finally {
      for (Socket s : attack) {
        s.close();
      }
    }
    stillPredicts();
  }

  /** Sends the headers of a large predict, then one body byte per second. */
  private static Socket slowUpload(String fromAddress, int port) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(fromAddress, 0));
    s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
    s.getOutputStream()
        .write(
            ("POST /v1/models/fm:predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100000\r\n\r\n{")
                .getBytes(StandardCharsets.US_ASCII));
    return s;
  }

  @ParameterizedTest(name = "batching {0}")
  @ValueSource(booleans = {false, true})
  void statusAndHealthStayAnswerableUnderASlowloris(boolean batching) throws Exception {
    start(
        options()
            .withBatching(new BatchingOptions(batching, 8, Duration.ofMillis(1), 2))
            .withLimits(
                ServingLimits.DEFAULT
                    .withMaxConnectionsPerClient(64)
                    .withMaxConcurrentPredicts(64)
                    .withMinRequestBytesPerSecond(100)));
    stillPredicts();
    assertEquals(200, http.get("/healthz").status());
    List<Socket> attack = new ArrayList<>();
    int refused = 0;
    try {
      for (int i = 0; i < 200; i++) {
        try {
          attack.add(slowUpload("127.0.0.2", server.port()));
        } catch (IOException e) {
          refused++;
        }
      }
      long end = System.nanoTime() + 8_000_000_000L;
      int checks = 0;
      double worst = 0;
      while (System.nanoTime() < end) {
        for (Socket s : attack) {
          try {
            OutputStream o = s.getOutputStream();
            o.write(' ');
            o.flush();
          } catch (IOException e) {
            // closed by the server: the point
          }
        }
        long t0 = System.nanoTime();
        TestHttp.Reply status = http.get("/v1/models/fm");
        TestHttp.Reply health = http.get("/healthz");
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(200, status.status(), status.body());
        assertEquals(200, health.status(), health.body());
        worst = Math.max(worst, seconds);
        checks++;
        Thread.sleep(400);
      }
      assertTrue(checks >= 10, "only " + checks + " checks");
      // Every slow upload was cut off: closed at once past the per-client connection cap, or
      // answered (408) for sending slower than the minimum data rate.
      int cut = 0;
      for (Socket s : attack) {
        s.setSoTimeout(1);
        try {
          s.getInputStream().read();
          cut++;
        } catch (java.net.SocketTimeoutException e) {
          // still open and unanswered
        } catch (IOException e) {
          cut++;
        }
      }
      assertEquals(attack.size(), cut, "slow uploads still holding the server");
      assertTrue(worst < 2, "status and health took up to " + worst + " s under attack");
    } finally {
      for (Socket s : attack) {
        s.close();
      }
    }
    stillPredicts();
    assertTrue(refused + attack.size() == 200);
  }

  /** One GET of the model status on a new connection from {@code fromAddress}; -1 if cut off. */
  private static int statusOnNewConnection(String fromAddress, int port) throws IOException {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(fromAddress, 0));
      s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      s.setSoTimeout(5000);
      s.getOutputStream()
          .write(
              "GET /v1/models/fm HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      return reply.startsWith("HTTP/1.1 ") ? Integer.parseInt(reply.substring(9, 12)) : -1;
    } catch (java.net.SocketException e) {
      return -1;
    }
  }

  @Test
  void closedConnectionsFreeTheirPlaceUnderThePerClientCap() throws Exception {
    int cap = 4;
    start(options().withLimits(ServingLimits.DEFAULT.withMaxConnectionsPerClient(cap)));
    // Many more connections than the cap, one after another: each closes before the next opens.
    for (int i = 0; i < 10 * cap; i++) {
      assertEquals(200, statusOnNewConnection("127.0.0.5", server.port()), "connection " + i);
    }
    // The cap itself still holds: of cap + 1 idle connections, exactly one is cut off (which one
    // depends on the order the server registers them in). Another address, so that no late-noticed
    // close of the connections above blurs its count.
    List<Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i <= cap; i++) {
        Socket s = new Socket(); // idle: left to the 30 s idle timeout
        s.bind(new InetSocketAddress("127.0.0.6", 0));
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 2000);
        held.add(s);
      }
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (closedByServer(held, 1) == 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      Thread.sleep(200);
      assertEquals(
          1, closedByServer(held, 1), "connections cut off of " + (cap + 1) + " from one client");
      assertEquals(200, statusOnNewConnection("127.0.0.7", server.port()), "another client");
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
    long deadline = System.nanoTime() + 5_000_000_000L;
    int status;
    while ((status = statusOnNewConnection("127.0.0.6", server.port())) != 200
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(200, status, "the client after its connections closed");
  }

  /** How many of these sockets the server has closed, waiting up to {@code millis} on each. */
  private static int closedByServer(List<Socket> sockets, int millis) throws IOException {
    int closed = 0;
    for (Socket s : sockets) {
      s.setSoTimeout(millis);
      try {
        if (s.getInputStream().read() < 0) {
          closed++;
        }
      } catch (java.net.SocketTimeoutException e) {
        // still open
      } catch (IOException e) {
        closed++;
      }
    }
    return closed;
  }

  @Test
  void abortedUploadsAreNotCountedAsServerErrors() throws Exception {
    start(options());
    for (int i = 0; i < 3; i++) {
      try (Socket s = new Socket("127.0.0.1", server.port())) {
        s.getOutputStream()
            .write(
                ("POST /v1/models/fm:predict HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n"
                        + "{\"instances\": [[1,")
                    .getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        Thread.sleep(100);
      }
    }
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (server.metrics().requestCount("predict", 499) < 3 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(3, server.metrics().requestCount("predict", 499));
    assertEquals(0, server.metrics().requestCount("predict", 500));
    stillPredicts();
  }

  @Test
  void errorBodiesCarryNoServerPaths() throws Exception {
    FakeModel.writeVersion(base, 2, "fail=cannot read " + base.resolve("2/saved_model.pb") + "\n");
    start(options());
    String root = base.toAbsolutePath().toString();
    for (TestHttp.Reply r :
        List.of(
            http.post("/v1/models/fm/versions/7:predict", "{\"instances\": [[1, 2, 3]]}"),
            http.post("/v1/models/fm/versions/2:predict", "{\"instances\": [[1, 2, 3]]}"),
            http.get("/v1/models/fm"),
            http.get("/healthz"))) {
      assertFalse(r.body().contains(root), r.body());
    }
    stillPredicts();
  }

  @Test
  void aVersionThatCannotRunNeverServesAndIsRetriedWhenItsFolderChanges() throws Exception {
    FakeModel.writeVersion(base, 2, "runFail=uninitialized value dense/kernel\n");
    start(options().withPollInterval(Duration.ZERO));
    TestHttp.Reply r = http.get("/v1/models/fm/versions/2");
    assertEquals("END", r.json().at("/model_version_status/0/state").asText(), r.body());
    assertTrue(r.body().contains("warm-up") && r.body().contains("uninitialized"), r.body());
    // Version 1 serves the default requests; health says the newest version cannot.
    stillPredicts();
    TestHttp.Reply h = http.get("/healthz");
    assertEquals(200, h.status());
    assertEquals("degraded", h.json().get("status").asText(), h.body());
    assertEquals("2", h.json().at("/failed_versions/0/version").asText(), h.body());

    // Fixing the folder (here: its marker) makes the next poll load it again.
    Files.writeString(base.resolve("2").resolve(FakeModel.MARKER), "bias=5\n");
    server.pollVersionsNow();
    r = http.post("/v1/models/fm:predict", "{\"instances\": [[0, 0, 0]]}");
    assertEquals(json("{\"predictions\": [[5.0, 5.0, 5.0]]}"), r.json(), r.body());
    h = http.get("/healthz");
    assertEquals("ok", h.json().get("status").asText(), h.body());
  }

  @Test
  void aModelWhoseOnlyVersionCannotRunIsUnhealthy() throws Exception {
    FakeModel.writeVersion(base, 1, "runFail=uninitialized value dense/kernel\n");
    start(options().withPollInterval(Duration.ZERO));
    TestHttp.Reply h = http.get("/healthz");
    assertEquals(503, h.status(), h.body());
    assertTrue(h.error().contains("uninitialized"), h.body());
    TestHttp.Reply r = http.post("/v1/models/fm:predict", "{\"instances\": [[1, 2, 3]]}");
    assertEquals(404, r.status(), r.body());
  }
}

package io.jkeras.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Versions come and go under the base path while the server runs: hot swap without a failed
 * request, retired versions finishing their requests before they close, failed loads reported while
 * the old version serves, removed folders unloaded.
 */
class VersionLifecycleTest {

  @TempDir Path base;
  final FakeModel.Loader loader = new FakeModel.Loader();
  final List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
  ModelServer server;
  TestHttp http;

  private void start(int maxVersions, Duration poll) throws Exception {
    start(maxVersions, poll, BatchingOptions.OFF);
  }

  private void start(int maxVersions, Duration poll, BatchingOptions batching) throws Exception {
    server =
        new ModelServer(
                ServerOptions.of("fm", base)
                    .withPort(0)
                    .withLog(log::add)
                    .withMaxVersions(maxVersions)
                    .withPollInterval(poll)
                    .withBatching(batching),
                loader)
            .start();
    http = new TestHttp(server.uri());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop();
    }
  }

  /** The bias of the version that answered (the fake computes 2x + bias, x = 0). */
  private double biasOf(TestHttp.Reply r) {
    assertEquals(200, r.status(), r.body());
    return r.json().get("predictions").get(0).get(0).asDouble();
  }

  private static final String ZEROS = "{\"instances\": [[0, 0, 0]]}";

  @ParameterizedTest(name = "batching {0}")
  @ValueSource(booleans = {false, true})
  void newVersionSwapsInWhileRequestsRunAndNoneFails(boolean batching) throws Exception {
    FakeModel.writeVersion(base, 1, "bias=1\ndelayMillis=2\n");
    start(
        0,
        Duration.ofMillis(50),
        batching ? new BatchingOptions(true, 4, Duration.ofMillis(2), 2) : BatchingOptions.OFF);
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger v1 = new AtomicInteger();
    AtomicInteger v2 = new AtomicInteger();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    AtomicReference<Double> last = new AtomicReference<>();
    List<Thread> clients = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      Thread th =
          new Thread(
              () -> {
                while (running.get()) {
                  try {
                    TestHttp.Reply r = http.post("/v1/models/fm:predict", ZEROS);
                    if (r.status() != 200) {
                      failures.add(r.status() + " " + r.body());
                      continue;
                    }
                    double b = r.json().get("predictions").get(0).get(0).asDouble();
                    if (b == 1) {
                      v1.incrementAndGet();
                    } else if (b == 100) {
                      v2.incrementAndGet();
                    } else {
                      failures.add("unexpected " + r.body());
                    }
                    last.set(b);
                  } catch (Exception e) {
                    failures.add(e.toString());
                  }
                }
              });
      th.start();
      clients.add(th);
    }
    Thread.sleep(300);
    // A slow load: requests keep flowing to version 1 while version 2 loads.
    FakeModel.writeVersion(base, 2, "bias=100\ndelayMillis=2\nloadDelayMillis=300\n");
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (v2.get() < 50 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    running.set(false);
    for (Thread th : clients) {
      th.join(10_000);
    }
    assertTrue(failures.isEmpty(), "failed requests: " + failures);
    assertTrue(v1.get() > 5, "version 1 answered " + v1.get());
    assertTrue(v2.get() >= 50, "version 2 answered " + v2.get());
    assertEquals(100.0, last.get());
    // The old version stays loaded and addressable (max_versions 0: all on disk).
    assertEquals(1.0, biasOf(http.post("/v1/models/fm/versions/1:predict", ZEROS)));
    assertEquals(
        TestHttp.json(
            "{\"model_version_status\": [{\"version\": \"2\", \"state\": \"AVAILABLE\", \"status\":"
                + " {\"error_code\": \"OK\", \"error_message\": \"\"}}, {\"version\": \"1\","
                + " \"state\": \"AVAILABLE\", \"status\": {\"error_code\": \"OK\","
                + " \"error_message\": \"\"}}]}"),
        http.get("/v1/models/fm").json());
    assertTrue(log.stream().anyMatch(l -> l.contains("version 2 is available")), log.toString());
  }

  @Test
  void retiredVersionFinishesItsRequestsBeforeItCloses() throws Exception {
    FakeModel.writeVersion(base, 1, "bias=1\ndelayMillis=600\n");
    start(1, Duration.ofHours(1));
    FakeModel old = loader.version(1);
    List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      inFlight.add(
          http.client.sendAsync(
              HttpRequest.newBuilder(URI.create(server.uri() + "/v1/models/fm:predict"))
                  .POST(HttpRequest.BodyPublishers.ofString(ZEROS))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (old.inFlight.get() < 4 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(4, old.inFlight.get());
    FakeModel.writeVersion(base, 2, "bias=100\n");
    server.pollVersionsNow();
    // Version 2 serves new requests at once; version 1 is out of service but still running.
    assertEquals(100.0, biasOf(http.post("/v1/models/fm:predict", ZEROS)));
    assertFalse(old.closed, "closed with requests in flight");
    assertEquals(404, http.post("/v1/models/fm/versions/1:predict", ZEROS).status());
    for (CompletableFuture<HttpResponse<String>> f : inFlight) {
      HttpResponse<String> r = f.get();
      assertEquals(200, r.statusCode(), r.body());
      assertEquals("{\"predictions\":[[1.0,1.0,1.0]]}", r.body());
    }
    deadline = System.nanoTime() + 5_000_000_000L;
    while (!old.closed && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertTrue(old.closed, "version 1 never closed");
    assertEquals(0, old.runsAfterClose);
    TestHttp.Reply s = http.get("/v1/models/fm/versions/1");
    assertEquals("END", s.json().get("model_version_status").get(0).get("state").asText());
  }

  @Test
  void failedVersionIsReportedAndTheOldOneKeepsServing() throws Exception {
    FakeModel.writeVersion(base, 1, "bias=1\n");
    start(1, Duration.ofHours(1));
    Path v2 = FakeModel.writeVersion(base, 2, "fail=saved_model.pb is corrupt\n");
    server.pollVersionsNow();
    assertEquals(1.0, biasOf(http.post("/v1/models/fm:predict", ZEROS)));
    TestHttp.Reply s = http.get("/v1/models/fm/versions/2");
    assertEquals(200, s.status(), s.body());
    var st = s.json().get("model_version_status").get(0);
    assertEquals("END", st.get("state").asText());
    assertEquals("UNKNOWN", st.get("status").get("error_code").asText());
    assertTrue(
        st.get("status").get("error_message").asText().contains("saved_model.pb is corrupt"),
        s.body());
    assertEquals(
        "AVAILABLE",
        http.get("/v1/models/fm/versions/1")
            .json()
            .get("model_version_status")
            .get(0)
            .get("state")
            .asText());
    TestHttp.Reply v2Predict = http.post("/v1/models/fm/versions/2:predict", ZEROS);
    assertEquals(404, v2Predict.status());
    assertTrue(v2Predict.error().contains("corrupt"), v2Predict.body());
    assertEquals(200, http.get("/healthz").status());
    assertTrue(
        log.stream()
            .anyMatch(
                l ->
                    l.contains("Failed to load version 2")
                        && l.contains("still serving versions [1]")),
        log.toString());
    // Not retried while unchanged; loaded once its content changes.
    server.pollVersionsNow();
    assertEquals(1, loader.loaded.size());
    Files.writeString(v2.resolve(FakeModel.MARKER), "bias=100\n");
    server.pollVersionsNow();
    assertEquals(100.0, biasOf(http.post("/v1/models/fm:predict", ZEROS)));
    assertEquals(
        "AVAILABLE",
        http.get("/v1/models/fm/versions/2")
            .json()
            .get("model_version_status")
            .get(0)
            .get("state")
            .asText());
  }

  @Test
  void removedVersionFolderIsUnloaded() throws Exception {
    FakeModel.writeVersion(base, 1, "bias=1\n");
    Path v2 = FakeModel.writeVersion(base, 2, "bias=100\n");
    start(0, Duration.ofHours(1));
    assertEquals(100.0, biasOf(http.post("/v1/models/fm:predict", ZEROS)));
    Files.delete(v2.resolve(FakeModel.MARKER));
    Files.delete(v2);
    server.pollVersionsNow();
    assertEquals(1.0, biasOf(http.post("/v1/models/fm:predict", ZEROS)));
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!loader.version(2).closed && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertTrue(loader.version(2).closed);
    Thread.sleep(50);
    assertEquals(1, http.get("/v1/models/fm").json().get("model_version_status").size());
  }

  @Test
  void startsWithoutVersionsAndServesTheFirstOneThatAppears() throws Exception {
    start(0, Duration.ofMillis(50));
    TestHttp.Reply h = http.get("/healthz");
    assertEquals(503, h.status());
    assertTrue(h.error().contains("no version"), h.body());
    TestHttp.Reply p = http.post("/v1/models/fm:predict", ZEROS);
    assertEquals(404, p.status());
    assertTrue(p.error().contains("no numbered version folder"), p.body());
    assertEquals(404, http.get("/v1/models/fm").status());
    FakeModel.writeVersion(base, 7, "bias=7\n");
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (http.get("/healthz").status() != 200 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(7.0, biasOf(http.post("/v1/models/fm:predict", ZEROS)));
  }
}

package io.jkeras.serving;

import static io.jkeras.serving.TestHttp.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Server-side batching: concurrent requests share model runs and get their own rows back. */
class BatchingTest {

  @TempDir Path base;
  final FakeModel.Loader loader = new FakeModel.Loader();
  ModelServer server;
  TestHttp http;
  ExecutorService pool = Executors.newFixedThreadPool(16);

  @BeforeEach
  void start() throws Exception {
    FakeModel.writeVersion(base, 1, "bias=1\n");
    // A long timeout, waited for even when idle, makes the merging deterministic: 8 requests fill
    // a batch long before it.
    server =
        new ModelServer(
                ServerOptions.of("fm", base)
                    .withPort(0)
                    .withLog(m -> {})
                    .withBatching(
                        new BatchingOptions(true, 8, Duration.ofMillis(300), 2)
                            .withWaitWhenIdle(true)),
                loader)
            .start();
    http = new TestHttp(server.uri());
  }

  @AfterEach
  void stop() {
    pool.shutdownNow();
    server.stop();
  }

  private List<TestHttp.Reply> concurrently(List<String> bodies) throws Exception {
    CyclicBarrier barrier = new CyclicBarrier(bodies.size());
    List<Future<TestHttp.Reply>> futures = new ArrayList<>();
    for (String body : bodies) {
      futures.add(
          pool.submit(
              () -> {
                barrier.await();
                return http.post("/v1/models/fm:predict", body);
              }));
    }
    List<TestHttp.Reply> replies = new ArrayList<>();
    for (Future<TestHttp.Reply> f : futures) {
      replies.add(f.get());
    }
    return replies;
  }

  @Test
  void concurrentSingleInstanceRequestsAreMergedAndSplitBack() throws Exception {
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      bodies.add("{\"instances\": [[" + i + ", " + (i + 100) + ", 0]]}");
    }
    List<TestHttp.Reply> replies = concurrently(bodies);
    for (int i = 0; i < 16; i++) {
      TestHttp.Reply r = replies.get(i);
      assertEquals(200, r.status(), r.body());
      assertEquals(
          json("{\"predictions\": [[" + (2 * i + 1) + ".0, " + (2 * i + 201) + ".0, 1.0]]}"),
          r.json(),
          "request " + i);
    }
    FakeModel m = loader.version(1);
    // 16 instances plus the one-instance warm-up run at load.
    assertEquals(16 + 1, m.batchSizes.stream().mapToLong(Long::longValue).sum());
    assertTrue(m.runs.get() - 1 < 16, "no batching: " + m.batchSizes);
    assertTrue(m.batchSizes.stream().allMatch(b -> b <= 8), "over max: " + m.batchSizes);
    assertTrue(m.batchSizes.stream().anyMatch(b -> b > 1), m.batchSizes.toString());
    String metrics = http.get("/monitoring/prometheus/metrics").body();
    assertTrue(
        metrics.contains("jkeras_serving_batch_size_bucket{le=\"8\"} " + (m.runs.get() - 1)),
        metrics);
  }

  /**
   * Sends a predict over a raw socket: the headers and the body up to {@code split}, then after a
   * pause the rest, and returns the reply's status line and body.
   */
  private String[] postInTwoPieces(String body, int split) throws Exception {
    byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST /v1/models/fm:predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  + "Connection: close\r\nContent-Length: "
                  + bytes.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(bytes, 0, split);
      out.flush();
      Thread.sleep(300);
      out.write(bytes, split, bytes.length - split);
      out.flush();
      String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int end = reply.indexOf("\r\n\r\n");
      return new String[] {reply.substring(0, reply.indexOf("\r\n")), reply.substring(end + 4)};
    }
  }

  @Test
  void bodiesStillArrivingOrLargerThanTheInlineReadAreReadOnWorkersAndAnswered() throws Exception {
    // Half a body, a pause, the rest: the handler cannot wait for it on the thread that read the
    // headers, so a worker reads the rest.
    String[] r = postInTwoPieces("{\"instances\": [[1, 2, 3], [4, 5, 6]]}", 20);
    assertEquals("HTTP/1.1 200 OK", r[0], r[1]);
    assertEquals(json("{\"predictions\": [[3.0, 5.0, 7.0], [9.0, 11.0, 13.0]]}"), json(r[1]));
    // A body of about 150 kB, past what is read without a worker, in pieces and whole; its 2000
    // instances run in parts of 8 on the batching threads, never on an HTTP thread.
    StringBuilder sb = new StringBuilder("{\"instances\": [");
    String zero = "0." + "0".repeat(30);
    for (int i = 0; i < 2000; i++) {
      sb.append(i == 0 ? "[" : ", [").append(i).append(", ").append(zero).append(", ");
      sb.append(zero).append("]");
    }
    String big = sb.append("]}").toString();
    assertTrue(big.length() > 140_000, "body of " + big.length() + " bytes");
    FakeModel m = loader.version(1);
    m.runThreads.clear();
    for (String[] reply :
        List.of(postInTwoPieces(big, 100_000), postInTwoPieces(big, 1000), sendWhole(big))) {
      assertEquals("HTTP/1.1 200 OK", reply[0], reply[1]);
      var predictions = json(reply[1]).get("predictions");
      assertEquals(2000, predictions.size());
      for (int i : new int[] {0, 7, 8, 1999}) {
        assertEquals(json("[" + (2.0 * i + 1) + ", 1.0, 1.0]"), predictions.get(i));
      }
    }
    assertEquals(java.util.Set.of("jkeras-serving-batch"), m.runThreads);
  }

  @Test
  void pipelinedRequestsOnOneConnectionAreAnsweredInOrder() throws Exception {
    // The next request of a connection is read by the batching thread that wrote the reply before
    // it, when it is already there: three requests sent at once, each answered with its own rows.
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      String body = "{\"instances\": [[" + i + ", 0, 0]]}";
      all.append("POST /v1/models/fm:predict HTTP/1.1\r\nHost: x\r\n")
          .append("Content-Type: application/json\r\nContent-Length: ")
          .append(body.length())
          .append(i == 2 ? "\r\nConnection: close" : "")
          .append("\r\n\r\n")
          .append(body);
    }
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(all.toString().getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      String replies = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      List<String> predictions = new ArrayList<>();
      Matcher m = Pattern.compile("\\{\"predictions\".*?\\]\\]\\}").matcher(replies);
      while (m.find()) {
        predictions.add(m.group());
      }
      assertEquals(3, predictions.size(), replies);
      for (int i = 0; i < 3; i++) {
        assertEquals(
            json("{\"predictions\": [[" + (2.0 * i + 1) + ", 1.0, 1.0]]}"),
            json(predictions.get(i)),
            replies);
      }
    }
  }

  private String[] sendWhole(String body) throws Exception {
    TestHttp.Reply r = http.post("/v1/models/fm:predict", body);
    return new String[] {"HTTP/1.1 " + r.status() + (r.status() == 200 ? " OK" : ""), r.body()};
  }

  @Test
  void severalInputsAndOutputsAreSplitPerRequest() throws Exception {
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      bodies.add(
          "{\"signature_name\": \"pair\", \"instances\": [{\"ids\": ["
              + i
              + ", 1], "
              + "\"w\": 0.5}]}");
    }
    List<TestHttp.Reply> replies = concurrently(bodies);
    for (int i = 0; i < 8; i++) {
      assertEquals(
          json(
              "{\"predictions\": [{\"sum\": "
                  + (i + 1.5)
                  + ", \"ids_x10\": ["
                  + (10 * i)
                  + ", 10]}]}"),
          replies.get(i).json(),
          replies.get(i).body());
    }
  }

  @Test
  void requestsOverTheMaxBatchSizeRunAloneAndLoneRequestsWaitOnlyTheTimeout() throws Exception {
    StringBuilder sb = new StringBuilder("{\"instances\": [");
    for (int i = 0; i < 10; i++) {
      sb.append(i == 0 ? "" : ", ").append("[").append(i).append(", 0, 0]");
    }
    TestHttp.Reply big = http.post("/v1/models/fm:predict", sb.append("]}").toString());
    assertEquals(200, big.status(), big.body());
    assertEquals(10, big.json().get("predictions").size());
    assertEquals(19.0, big.json().get("predictions").get(9).get(0).asDouble());
    long t0 = System.nanoTime();
    TestHttp.Reply lone = http.post("/v1/models/fm:predict", "{\"instances\": [[1, 1, 1]]}");
    double ms = (System.nanoTime() - t0) / 1e6;
    assertEquals(200, lone.status());
    assertTrue(ms >= 250 && ms < 5000, "lone request took " + ms + " ms");
    // Columnar requests with a different batch per input are not batched, and still work.
    assertEquals(200, http.post("/v1/models/fm:predict", "{\"inputs\": [[1, 2, 3]]}").status());
  }

  @Test
  void anIdleServerRunsABatchAtOnceAndRequestsQueuedDuringARunGoNextTogether() throws Exception {
    Path slow = java.nio.file.Files.createDirectories(base.resolve("slow-model"));
    FakeModel.writeVersion(slow, 1, "bias=1\ndelayMillis=1000\n");
    Duration timeout = Duration.ofSeconds(20);
    try (ModelServer idle =
        new ModelServer(
                ServerOptions.of("fm", slow)
                    .withPort(0)
                    .withLog(m -> {})
                    .withBatching(new BatchingOptions(true, 8, timeout, 2)),
                loader)
            .start()) {
      TestHttp h = new TestHttp(idle.uri());
      long loading = System.nanoTime() + 10_000_000_000L;
      while (!h.get("/v1/models/fm").body().contains("AVAILABLE") && System.nanoTime() < loading) {
        Thread.sleep(20); // the load's warm-up run takes the model's 1 s too
      }
      FakeModel m = loader.version(1);
      m.batchSizes.clear();
      long t0 = System.nanoTime();
      Future<TestHttp.Reply> first =
          pool.submit(() -> h.post("/v1/models/fm:predict", "{\"instances\": [[0, 0, 0]]}"));
      Thread.sleep(300); // the first request's run (1 s) has started; three more queue behind it
      List<Future<TestHttp.Reply>> queued = new ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        String body = "{\"instances\": [[" + i + ", 0, 0]]}";
        queued.add(pool.submit(() -> h.post("/v1/models/fm:predict", body)));
      }
      assertEquals(json("{\"predictions\": [[1.0, 1.0, 1.0]]}"), first.get().json());
      for (int i = 1; i <= 3; i++) {
        assertEquals(
            json("{\"predictions\": [[" + (2 * i + 1) + ".0, 1.0, 1.0]]}"),
            queued.get(i - 1).get().json());
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      // Two runs of 1 s, not the 20 s timeout: the lone first request ran at once, the three
      // others as one batch as soon as it ended.
      assertTrue(seconds < 10, "took " + seconds + " s");
      assertEquals(List.of(1L, 3L), m.batchSizes);
    }
  }

  @Test
  void requestsWaitingForTheirBatchHoldNoHttpThread() throws Exception {
    // Four HTTP threads, two of them Jetty's acceptor and selector. If a request waiting for its
    // batch held its thread, the few threads would wait for a batch that the requests queued
    // behind them cannot join (the blocking handler timed out here); without, the 8 fill one batch.
    try (ModelServer few =
        new ModelServer(
                ServerOptions.of("fm", base)
                    .withPort(0)
                    .withLog(m -> {})
                    .withHttpThreads(4)
                    .withBatching(
                        new BatchingOptions(true, 8, Duration.ofSeconds(5), 2)
                            .withWaitWhenIdle(true)),
                loader)
            .start()) {
      TestHttp h = new TestHttp(few.uri());
      long loading = System.nanoTime() + 10_000_000_000L;
      while (!h.get("/v1/models/fm").body().contains("AVAILABLE") && System.nanoTime() < loading) {
        Thread.sleep(20);
      }
      FakeModel m = loader.version(1);
      m.batchSizes.clear();
      List<Future<TestHttp.Reply>> replies = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String body = "{\"instances\": [[" + i + ", 0, 0]]}";
        replies.add(pool.submit(() -> h.post("/v1/models/fm:predict", body)));
      }
      for (int i = 0; i < 8; i++) {
        assertEquals(
            json("{\"predictions\": [[" + (2 * i + 1) + ".0, 1.0, 1.0]]}"),
            replies.get(i).get().json());
      }
      assertEquals(List.of(8L), m.batchSizes);
    }
  }
}

package io.jkeras.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Stopping the server lets the requests in flight finish, then closes the models. */
class GracefulShutdownTest {

  @ParameterizedTest(name = "batching {0}")
  @ValueSource(booleans = {false, true})
  void requestsInFlightCompleteBeforeTheServerStops(boolean batching, @TempDir Path base)
      throws Exception {
    FakeModel.writeVersion(base, 1, "bias=1\ndelayMillis=700\n");
    FakeModel.Loader loader = new FakeModel.Loader();
    ModelServer server =
        new ModelServer(
                ServerOptions.of("fm", base)
                    .withPort(0)
                    .withLog(m -> {})
                    .withShutdownTimeout(Duration.ofSeconds(10))
                    .withBatching(new BatchingOptions(batching, 8, Duration.ofMillis(1), 2)),
                loader)
            .start();
    TestHttp http = new TestHttp(server.uri());
    FakeModel model = loader.version(1);
    List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      inFlight.add(
          http.client.sendAsync(
              HttpRequest.newBuilder(URI.create(server.uri() + "/v1/models/fm:predict"))
                  .POST(HttpRequest.BodyPublishers.ofString("{\"instances\": [[1, 1, 1]]}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    long deadline = System.nanoTime() + 5_000_000_000L;
    // Unbatched, the three run side by side. Batched, the first runs at once and the other two
    // join a batch behind it (run when it ends, or beside it once the 1 ms timeout flushes theirs):
    // once it runs, give them time to arrive.
    while (model.inFlight.get() < (batching ? 1 : 3) && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    if (batching) {
      assertTrue(model.inFlight.get() >= 1, "no batch running");
      Thread.sleep(200);
    } else {
      assertEquals(3, model.inFlight.get());
    }
    long t0 = System.nanoTime();
    Thread stopper = new Thread(server::stop);
    stopper.start();
    // While draining, new requests are turned away with a JSON 503.
    TestHttp fresh = new TestHttp(server.uri());
    TestHttp.Reply refused = fresh.get("/healthz");
    for (int i = 0; i < 20 && refused.status() == 200; i++) {
      Thread.sleep(10);
      refused = fresh.get("/healthz");
    }
    assertEquals(503, refused.status(), refused.body());
    assertTrue(refused.error().contains("shutting down"), refused.body());
    stopper.join();
    double stopMillis = (System.nanoTime() - t0) / 1e6;
    for (CompletableFuture<HttpResponse<String>> f : inFlight) {
      // The responses were written before stop returned; the client may still be reading them.
      HttpResponse<String> r = f.get(5, TimeUnit.SECONDS);
      assertEquals(200, r.statusCode(), r.body());
      assertEquals("{\"predictions\":[[3.0,3.0,3.0]]}", r.body());
    }
    assertTrue(stopMillis > 300, "stop did not wait: " + stopMillis + " ms");
    assertTrue(model.closed, "model not closed after stop");
    assertEquals(0, model.runsAfterClose);
    assertThrows(IOException.class, () -> http.get("/healthz"));
  }
}

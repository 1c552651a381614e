package io.jkeras.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory bound stated in docs/serving.md, measured on a server in a child JVM with the default
 * limits and the heap the {@code jkeras serve} launcher gives it: four requests at the decoded-size
 * cap at once (together the whole in-flight budget) are all served, a request of 140,000 instances
 * is refused, and the peak resident set stays under the stated bound.
 */
class ServingMemoryTest {

  /** docs/serving.md: peak RSS of jkeras serve (heap 768 MiB) under the worst accepted load. */
  static final long BOUND_BYTES = 1200L << 20;

  @TempDir Path base;

  /** {@code n} instances of {@code width} zeros for the {@code wide} signature. */
  private static byte[] wide(int n, int width) {
    StringBuilder row = new StringBuilder("[0");
    row.append(",0".repeat(width - 1)).append(']');
    StringBuilder sb = new StringBuilder(n * (row.length() + 1) + 64);
    sb.append("{\"signature_name\": \"wide\", \"instances\": [");
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ",").append(row);
    }
    return sb.append("]}").toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static long peakRss(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) << 10;
      }
    }
    throw new IllegalStateException("no VmHWM for " + pid);
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void theWorstAcceptedLoadStaysUnderTheStatedBound() throws Exception {
    FakeModel.writeVersion(base, 1, "bias=1\n");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m",
                "-cp",
                System.getProperty("java.class.path"),
                ServingChild.class.getName(),
                base.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      String first =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))
              .readLine();
      assertTrue(first != null && first.startsWith("port "), "child said " + first);
      TestHttp http = new TestHttp(URI.create("http://127.0.0.1:" + first.substring(5)));
      long idle = peakRss(child.pid());

      // The request: 140,000 instances (here of 3 values, 3 MB) is refused outright.
      StringBuilder many = new StringBuilder("{\"instances\": [[1,2,3]");
      many.append(",[1,2,3]".repeat(139_999)).append("]}");
      TestHttp.Reply r = http.post("/v1/models/fm:predict", many.toString());
      assertEquals(413, r.status(), r.body());

      // 10,000 instances of 838 values: 8,380,000 values, just under 64 MiB decoded at 8 bytes.
      byte[] atCap = wide(10_000, 838);
      List<Future<TestHttp.Reply>> replies = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        replies.add(
            pool.submit(
                () ->
                    http.send(
                        HttpRequest.newBuilder(URI.create(http.base + "/v1/models/fm:predict"))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(atCap)))));
      }
      int served = 0;
      for (Future<TestHttp.Reply> f : replies) {
        TestHttp.Reply reply;
        try {
          reply = f.get(100, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
          // A 503 sent while the body is still uploading ends with the connection closed; the
          // client may see the close before the reply.
          assertTrue(e.getCause() instanceof java.io.IOException, e.toString());
          continue;
        }
        served += reply.status() == 200 ? 1 : 0;
        // 200, or 503 when the in-flight budget is held by the others: never a 500 or a crash.
        assertTrue(reply.status() == 200 || reply.status() == 503, reply.body());
        if (reply.status() == 200) {
          assertEquals(10_000, reply.json().get("predictions").size());
        }
      }
      assertTrue(served >= 1, "no request at the cap was served");
      r = http.post("/v1/models/fm:predict", "{\"instances\": [[1, 2, 3]]}");
      assertEquals(200, r.status(), r.body());
      long peak = peakRss(child.pid());
      System.out.printf(
          "serving memory: idle RSS %d MiB, peak RSS %d MiB (bound %d MiB), %d of 4 served%n",
          idle >> 20, peak >> 20, BOUND_BYTES >> 20, served);
      assertTrue(peak < BOUND_BYTES, "peak RSS " + (peak >> 20) + " MiB");
    } finally {
      pool.shutdownNow();
      child.getOutputStream().close();
      if (!child.waitFor(20, TimeUnit.SECONDS)) {
        child.destroyForcibly();
      }
    }
  }
}

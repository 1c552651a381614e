package io.jkeras.serving.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jkeras.serving.ServingJson;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A very short benchmark run, so that benchmarks/serving keeps working. */
class ServingBenchmarkTest {

  @Test
  void shortRunServesWithoutErrors(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("results.json");
    int exit =
        ServingBenchmark.run(
            new String[] {
              "--duration",
              "0.3",
              "--warmup",
              "0.1",
              "--concurrency",
              "1,4",
              "--instance",
              "ints:20:1000",
              "--json_out",
              out.toString()
            });
    assertEquals(0, exit);
    JsonNode results = ServingJson.MAPPER.readTree(out.toFile());
    // two in-process rows, in-process at batch 32, four HTTP rows
    assertEquals(7, results.size());
    for (JsonNode r : results) {
      assertEquals(0, r.get("errors").asLong(), r.toString());
      assertTrue(r.get("requestsPerSecond").asDouble() > 0, r.toString());
    }
  }
}

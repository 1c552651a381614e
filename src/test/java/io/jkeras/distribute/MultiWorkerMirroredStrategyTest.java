package io.jkeras.distribute;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jkeras.models.Model;
import io.jkeras.training.FitOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultiWorkerMirroredStrategyTest {

  @TempDir Path dir;

  @Test
  void twoWorkersOnHalfTheDataEndWithTheWeightsOfOneProcessOnFullBatches() throws Exception {
    int epochs = 3;
    List<float[]> expected;
    try (Model single = TinyProblem.model()) {
      single.fit(
          TinyProblem.x(),
          TinyProblem.y(),
          FitOptions.epochs(epochs).batchSize(TinyProblem.GLOBAL_BATCH).shuffle(false).verbose(0));
      expected = TinyProblem.weights(single);
    }
    try (LocalCluster cluster = new LocalCluster(dir, Map.of("worker", 2))) {
      Process w0 =
          cluster.start("worker", 0, "mirrored", dir.resolve("w0").toString(), "" + epochs);
      Process w1 =
          cluster.start("worker", 1, "mirrored", dir.resolve("w1").toString(), "" + epochs);
      assertEquals(0, cluster.await(w0, 120), cluster.allLogs());
      assertEquals(0, cluster.await(w1, 60), cluster.allLogs());
    }
    List<float[]> got0 = TinyProblem.readWeights(dir.resolve("w0"));
    List<float[]> got1 = TinyProblem.readWeights(dir.resolve("w1"));
    assertEquals(expected.size(), got0.size());
    double maxDiff = 0;
    double maxChange = 0;
    for (int k = 0; k < expected.size(); k++) {
      for (int i = 0; i < expected.get(k).length; i++) {
        // Both replicas apply the same all-reduced gradient: bit-equal weights.
        assertEquals(got0.get(k)[i], got1.get(k)[i], 0.0, "replicas differ at weight " + k);
        maxDiff = Math.max(maxDiff, Math.abs(got0.get(k)[i] - expected.get(k)[i]));
      }
    }
    try (Model fresh = TinyProblem.model()) {
      List<float[]> initial = TinyProblem.weights(fresh);
      for (int k = 0; k < initial.size(); k++) {
        for (int i = 0; i < initial.get(k).length; i++) {
          maxChange = Math.max(maxChange, Math.abs(initial.get(k)[i] - expected.get(k)[i]));
        }
      }
    }
    // Training moved the weights by far more than the difference in float summation order.
    assertEquals(0, maxDiff, 1e-5, "max |distributed - single| = " + maxDiff);
    assert maxChange > 1e-2 : "training changed weights by only " + maxChange;
  }
}

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

  @Test
  void aWorkerSeededDifferentlyStartsFromTheChiefsWeights() throws Exception {
    int epochs = 3;
    long chiefSeed = 7;
    long workerSeed = 8;
    List<float[]> chiefInitial;
    List<float[]> expected;
    try (Model single = TinyProblem.seededModel(chiefSeed)) {
      chiefInitial = TinyProblem.weights(single);
      single.fit(
          TinyProblem.x(),
          TinyProblem.y(),
          FitOptions.epochs(epochs).batchSize(TinyProblem.GLOBAL_BATCH).shuffle(false).verbose(0));
      expected = TinyProblem.weights(single);
    }
    List<float[]> workerOwnInitial;
    try (Model own = TinyProblem.seededModel(workerSeed)) {
      workerOwnInitial = TinyProblem.weights(own);
    }
    try (LocalCluster cluster = new LocalCluster(dir, Map.of("chief", 1, "worker", 1))) {
      Process chief =
          cluster.start(
              "chief",
              0,
              "mirrored-seeded",
              dir.resolve("c0").toString(),
              "" + epochs,
              "" + chiefSeed);
      Process worker =
          cluster.start(
              "worker",
              0,
              "mirrored-seeded",
              dir.resolve("w0").toString(),
              "" + epochs,
              "" + workerSeed);
      assertEquals(0, cluster.await(chief, 120), cluster.allLogs());
      assertEquals(0, cluster.await(worker, 60), cluster.allLogs());
    }
    // The worker trained from the chief's initial weights, not from those of its own seed.
    List<float[]> workerStart = TinyProblem.readWeights(dir.resolve("w0.initial"));
    assertEquals(chiefInitial.size(), workerStart.size());
    double seedsDiffer = 0;
    for (int k = 0; k < chiefInitial.size(); k++) {
      for (int i = 0; i < chiefInitial.get(k).length; i++) {
        assertEquals(chiefInitial.get(k)[i], workerStart.get(k)[i], 0.0, "start of weight " + k);
        seedsDiffer =
            Math.max(seedsDiffer, Math.abs(chiefInitial.get(k)[i] - workerOwnInitial.get(k)[i]));
      }
    }
    assert seedsDiffer > 1e-2 : "the two seeds gave nearly equal weights: " + seedsDiffer;
    List<float[]> got0 = TinyProblem.readWeights(dir.resolve("c0"));
    List<float[]> got1 = TinyProblem.readWeights(dir.resolve("w0"));
    double maxDiff = 0;
    for (int k = 0; k < expected.size(); k++) {
      for (int i = 0; i < expected.get(k).length; i++) {
        assertEquals(got0.get(k)[i], got1.get(k)[i], 0.0, "replicas differ at weight " + k);
        maxDiff = Math.max(maxDiff, Math.abs(got0.get(k)[i] - expected.get(k)[i]));
      }
    }
    assertEquals(0, maxDiff, 1e-5, "max |distributed - single seeded like the chief| = " + maxDiff);
  }
}

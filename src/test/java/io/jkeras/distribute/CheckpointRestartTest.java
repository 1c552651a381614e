package io.jkeras.distribute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.models.Model;
import io.jkeras.training.FitOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker killed mid-run: its peer's all-reduce ends with a timeout error (no hang), and the
 * restarted job continues from the chief's last checkpoint to the weights of an uninterrupted run.
 */
class CheckpointRestartTest {

  @TempDir Path dir;

  @Test
  void aKilledWorkerEndsThePeerWithAnErrorAndTheRestartedJobResumesFromTheCheckpoint()
      throws Exception {
    int epochs = 3;
    Path ckpt = dir.resolve("ckpt");
    try (LocalCluster first = new LocalCluster(dir, Map.of("worker", 2))) {
      Process w0 =
          first.start(
              "worker",
              0,
              "mirrored-ckpt",
              dir.resolve("a0").toString(),
              ckpt.toString(),
              "" + epochs,
              "live");
      Process w1 =
          first.start(
              "worker",
              1,
              "mirrored-ckpt",
              dir.resolve("a1").toString(),
              ckpt.toString(),
              "" + epochs,
              "die-after-epoch-1");
      assertEquals(137, first.await(w1, 150), first.allLogs());
      // The survivor waits for its dead peer at most the operation timeout (10 s), then fails.
      assertNotEquals(0, first.await(w0, 90), first.allLogs());
      String logs = first.allLogs();
      assertTrue(
          logs.contains("timed out")
              || logs.contains("Unavailable")
              || logs.contains("UNAVAILABLE"),
          logs);
    }
    assertEquals("1", Files.readString(ckpt.resolve("checkpoint.epoch")).trim());

    Path restartLogs = Files.createDirectories(dir.resolve("restart"));
    try (LocalCluster second = new LocalCluster(restartLogs, Map.of("worker", 2))) {
      Process w0 =
          second.start(
              "worker",
              0,
              "mirrored-ckpt",
              dir.resolve("b0").toString(),
              ckpt.toString(),
              "" + epochs,
              "live");
      Process w1 =
          second.start(
              "worker",
              1,
              "mirrored-ckpt",
              dir.resolve("b1").toString(),
              ckpt.toString(),
              "" + epochs,
              "live");
      assertEquals(0, second.await(w0, 150), second.allLogs());
      assertEquals(0, second.await(w1, 60), second.allLogs());
      assertTrue(second.allLogs().contains("resuming at epoch 1"), second.allLogs());
    }
    assertEquals("3", Files.readString(ckpt.resolve("checkpoint.epoch")).trim());

    List<float[]> expected;
    try (Model single = TinyProblem.model()) {
      single.fit(
          TinyProblem.x(),
          TinyProblem.y(),
          FitOptions.epochs(epochs).batchSize(TinyProblem.GLOBAL_BATCH).shuffle(false).verbose(0));
      expected = TinyProblem.weights(single);
    }
    List<float[]> got = TinyProblem.readWeights(dir.resolve("b0"));
    for (int k = 0; k < expected.size(); k++) {
      for (int i = 0; i < expected.get(k).length; i++) {
        assertEquals(expected.get(k)[i], got.get(k)[i], 1e-5, "weight " + k + "[" + i + "]");
      }
    }
  }
}

package io.jkeras.callbacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jkeras.backend.HostArray;
import io.jkeras.layers.Dense;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.models.Model;
import io.jkeras.optimizers.Adam;
import io.jkeras.testing.PythonKeras;
import io.jkeras.training.FitOptions;
import io.jkeras.training.History;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fit interrupted after a backup resumes where it stopped, with the weights and the Adam state of
 * an uninterrupted run, and the backups cross between jkeras and Keras 3.15.1 both ways.
 */
class BackupAndRestoreTest {

  private static final float[] START = {0.3f, -0.2f, 0.1f};

  /** The program of src/test/python/callbacks/backup_and_restore.py, from the given weights. */
  private static Model model(float[] start) {
    KerasTensor in = Input.of(2);
    Dense d = new Dense(1);
    Model m = new Model(in, d.apply(in));
    d.kernel().assign(new float[] {start[0], start[1]});
    d.bias().assign(new float[] {start[2]});
    m.compile(new Adam(0.05), "mse");
    return m;
  }

  private static History fit(Model m, int epochs, Callback... callbacks) {
    return m.fit(
        HostArray.of(ZeroDenseFit.X),
        HostArray.of(ZeroDenseFit.Y),
        FitOptions.epochs(epochs).batchSize(2).shuffle(false).verbose(0).callbacks(callbacks));
  }

  private static float[] weights(Model m) {
    Dense d = (Dense) m.layers().get(1);
    float[] k = d.kernel().read();
    return new float[] {k[0], k[1], d.bias().read()[0]};
  }

  /** Stands for the process being killed at the end of an epoch, after the backup. */
  private static Callback killedAfterEpoch(int killed) {
    return new Callback() {
      @Override
      public void onEpochEnd(int epoch, Map<String, Double> logs) {
        if (epoch == killed) {
          throw new IllegalStateException("killed");
        }
      }
    };
  }

  @Test
  void anInterruptedFitResumesWhereItsBackupLeftOff(@TempDir Path dir) throws Exception {
    Path backup = dir.resolve("backup");
    float[] whole;
    try (Model m = model(START)) {
      fit(m, 4);
      whole = weights(m);
    }
    try (Model m = model(START)) {
      assertThrows(
          IllegalStateException.class,
          () -> fit(m, 4, new BackupAndRestore(backup), killedAfterEpoch(1)));
    }
    assertEquals(
        "{\"epoch\": 2, \"batch\": 0}", Files.readString(backup.resolve("training_metadata.json")));
    // A new process: other weights, an optimizer never run; the backup restores both.
    try (Model m = model(new float[] {9, 9, 9})) {
      History h = fit(m, 4, new BackupAndRestore(backup));
      assertEquals(2, h.epochs().size(), "epochs 2 and 3 only");
      assertArrayEquals(whole, weights(m), 1e-6f);
    }
    assertFalse(Files.exists(backup), "a run that ends deletes its backup");
  }

  @Test
  void batchBackupsAndTheDoubleCheckpointRecoverFromAnUnreadableLatest(@TempDir Path dir)
      throws Exception {
    Path backup = dir.resolve("backup");
    try (Model m = model(START)) {
      BackupAndRestore every2 =
          BackupAndRestore.builder(backup).saveFreq(2).doubleCheckpoint(true).build();
      assertThrows(IllegalStateException.class, () -> fit(m, 4, every2, killedAfterEpoch(1)));
    }
    // Three batches per epoch: backups after batches 2, 4 (epoch 1's first) and 6 (epoch 1's last).
    assertEquals(
        "{\"epoch\": 1, \"batch\": 2}", Files.readString(backup.resolve("training_metadata.json")));
    assertEquals(
        "{\"epoch\": 1, \"batch\": 0}",
        Files.readString(backup.resolve("training_metadata.json.bkp")));
    Files.writeString(backup.resolve("latest.weights.h5"), "torn write");
    try (Model m = model(START)) {
      History h = fit(m, 4, new BackupAndRestore(backup));
      assertEquals(3, h.epochs().size(), "resumed at epoch 1 from the previous backup");
    }
  }

  @Test
  void backupsCrossBetweenJkerasAndKeras(@TempDir Path dir) throws Exception {
    Path javaBackup = dir.resolve("java");
    Path kerasBackup = dir.resolve("keras");
    try (Model m = model(START)) {
      fit(m, 2, BackupAndRestore.builder(javaBackup).deleteCheckpoint(false).build());
    }
    assertTrue(Files.exists(javaBackup.resolve("latest.weights.h5")), "deleteCheckpoint(false)");
    PythonKeras.Result r =
        PythonKeras.runScript(
            "callbacks/backup_and_restore.py", javaBackup.toString(), kerasBackup.toString());
    String out = r.stdout();
    JsonNode keras = new ObjectMapper().readTree(out.substring(out.lastIndexOf("\n{") + 1));
    float[] whole = floats(keras.get("whole"));
    assertEquals(2, keras.get("resumed_epochs").asInt(), "Keras resumed jkeras's backup");
    // jkeras's two epochs differ from Keras's in the last float32 bits, which Adam's next steps
    // carry: 1e-5 as for files trained on in both (TrainingParityTest).
    assertArrayEquals(whole, floats(keras.get("resumed")), 1e-5f);
    try (Model m = model(new float[] {9, 9, 9})) {
      History h = fit(m, 4, new BackupAndRestore(kerasBackup));
      assertEquals(2, h.epochs().size(), "jkeras resumed Keras's backup");
      assertArrayEquals(whole, weights(m), 1e-5f);
    }
    assertFalse(Files.exists(kerasBackup), "the finished run deleted the backup it resumed");
  }

  private static float[] floats(JsonNode a) {
    float[] f = new float[a.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) a.get(i).asDouble();
    }
    return f;
  }
}

package io.jkeras.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.callbacks.Callback;
import io.jkeras.callbacks.EarlyStopping;
import io.jkeras.callbacks.ModelCheckpoint;
import io.jkeras.layers.Dense;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.losses.MeanSquaredError;
import io.jkeras.metrics.AUC;
import io.jkeras.models.Model;
import io.jkeras.models.ModelRuntime;
import io.jkeras.optimizers.SGD;
import io.jkeras.savedmodel.LoadedSavedModel;
import io.jkeras.savedmodel.SavedModel;
import io.jkeras.savedmodel.SavedModelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;

/**
 * ModelCheckpoint, EarlyStopping and {@code export(dir, overwrite)} as Keras 3.15.1 behaves: the
 * callbacks are driven epoch by epoch with chosen logs, and each epoch's weights are set to a value
 * that names the epoch, so every file written shows which epoch it holds.
 */
class CheckpointAndCallbackBuildersTest {

  @TempDir Path dir;

  private static Model model() {
    KerasTensor x = Input.of(2);
    Model m = new Model(x, new Dense(1).apply(x));
    m.compile(new SGD(0.1), new MeanSquaredError(), new AUC());
    return m;
  }

  /** Sets every weight to {@code value}, so a saved file tells which epoch it comes from. */
  private static void mark(Model m, float value) {
    List<FloatNdArray> values =
        m.weights().stream()
            .map(
                w -> {
                  FloatNdArray a = NdArrays.ofFloats(w.shape());
                  a.scalars().forEach(s -> s.setFloat(value));
                  return a;
                })
            .toList();
    m.setWeights(values);
  }

  private static float markOf(Path file) {
    try (Model m = file.toString().endsWith(".keras") ? Model.load(file, false) : model()) {
      if (!file.toString().endsWith(".keras")) {
        m.loadWeights(file);
      }
      return m.getWeights().get(0).getFloat(0, 0);
    }
  }

  /**
   * Runs {@code callback} over epochs whose logs hold {@code key} = {@code values[e]}, until a
   * callback stops training, as {@code fit} would.
   */
  private static void drive(Model m, Callback callback, String key, double... values) {
    ModelRuntime.of(m).resetStopTraining();
    callback.onTrainBegin(new Callback.TrainingRun(m, values.length, 1, 4));
    for (int e = 0; e < values.length && !m.isStopTraining(); e++) {
      callback.onEpochBegin(e);
      mark(m, e + 1);
      Map<String, Double> logs = new HashMap<>(Map.of("loss", 1.0, key, values[e]));
      callback.onEpochEnd(e, logs);
    }
    callback.onTrainEnd(Map.of());
  }

  @Test
  void bestOnlyWholeModelCheckpointsFollowTheMonitorAndFormatThePath() throws IOException {
    try (Model m = model()) {
      ModelCheckpoint c =
          ModelCheckpoint.builder(dir.resolve("ckpt/m-{epoch:02d}-{val_loss:.2f}.keras"))
              .saveBestOnly(true)
              .build();
      drive(m, c, "val_loss", 0.5, 0.7, 0.41, 0.41, 0.2);
      // Epochs 1, 3 and 5 improved (auto mode minimizes val_loss; 0.41 does not beat 0.41).
      assertEquals(List.of("m-01-0.50.keras", "m-03-0.41.keras", "m-05-0.20.keras"), files("ckpt"));
      assertEquals(3f, markOf(dir.resolve("ckpt/m-03-0.41.keras")));
      try (Model loaded = Model.load(dir.resolve("ckpt/m-05-0.20.keras"))) {
        assertTrue(loaded.isCompiled(), "a .keras checkpoint holds the compile config");
      }
    }
  }

  @Test
  void autoModeFollowsTheCompiledMetricsDirection() throws IOException {
    try (Model m = model()) {
      // Build the metrics (as training does) so that "auc" resolves to the compiled AUC: up.
      m.evaluate(
          io.jkeras.backend.HostArray.of(new float[][] {{1, 2}, {3, 4}}),
          io.jkeras.backend.HostArray.of(new float[] {0, 1}));
      ModelCheckpoint c =
          ModelCheckpoint.builder(dir.resolve("auc.weights.h5"))
              .monitor("val_auc")
              .saveBestOnly(true)
              .build();
      drive(m, c, "val_auc", 0.6, 0.9, 0.7);
      assertEquals(2f, markOf(dir.resolve("auc.weights.h5")));

      ModelCheckpoint unknown =
          ModelCheckpoint.builder(dir.resolve("u.keras"))
              .monitor("val_f9")
              .saveBestOnly(true)
              .build();
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> drive(m, unknown, "val_f9", 1));
      assertTrue(e.getMessage().contains("mode \"max\" or \"min\""), e.getMessage());

      ModelCheckpoint explicit =
          ModelCheckpoint.builder(dir.resolve("f9.keras"))
              .monitor("val_f9")
              .mode("max")
              .saveBestOnly(true)
              .initialValueThreshold(0.8)
              .build();
      drive(m, explicit, "val_f9", 0.5, 0.85, 0.7);
      assertEquals(2f, markOf(dir.resolve("f9.keras")));
    }
  }

  @Test
  void everyEpochAndEveryNBatches() throws IOException {
    try (Model m = model()) {
      drive(m, new ModelCheckpoint(dir.resolve("e{epoch}.weights.h5")), "val_loss", 3, 2, 1);
      assertEquals(List.of("e1.weights.h5", "e2.weights.h5", "e3.weights.h5"), files(""));

      ModelCheckpoint byBatch =
          ModelCheckpoint.builder(dir.resolve("b/{epoch}-{batch}.keras")).saveFreq(2).build();
      byBatch.onTrainBegin(new Callback.TrainingRun(m, 2, 3, 12));
      for (int e = 0; e < 2; e++) {
        byBatch.onEpochBegin(e);
        for (int b = 0; b < 3; b++) {
          byBatch.onBatchEnd(b, Map.of("loss", 1.0));
        }
        byBatch.onEpochEnd(e, new HashMap<>(Map.of("loss", 1.0)));
      }
      // Batches are counted across epochs, as Keras's integer save_freq does.
      assertEquals(List.of("1-2.keras", "2-1.keras", "2-3.keras"), files("b"));
    }
  }

  @Test
  void badCheckpointArgumentsAreRefused() {
    IllegalArgumentException h5 =
        assertThrows(
            IllegalArgumentException.class, () -> ModelCheckpoint.builder(Path.of("m.h5")).build());
    assertTrue(h5.getMessage().contains(".keras"), h5.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> ModelCheckpoint.builder(Path.of("m.keras")).saveWeightsOnly(true).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> ModelCheckpoint.builder(Path.of("m.keras")).mode("up").build());
    assertThrows(
        IllegalArgumentException.class,
        () -> ModelCheckpoint.builder(Path.of("m.keras")).saveFreq("batch"));
  }

  @Test
  void earlyStoppingWithBaselineWarmUpAndRestoreAtTheEnd() {
    try (Model m = model()) {
      // Warm-up: epochs 0 and 1 are not watched; baseline 0.5 must be beaten to reset the wait.
      EarlyStopping stop =
          EarlyStopping.builder()
              .monitor("val_loss")
              .patience(2)
              .baseline(0.5)
              .startFromEpoch(2)
              .restoreBestWeights(true)
              .build();
      drive(m, stop, "val_loss", 0.1, 0.1, 0.9, 0.8, 0.85, 0.3);
      // Epoch 2 is the first best (0.9, not beating the baseline, so the wait stays 1), epoch 3 a
      // better one (0.8, still above the baseline: wait 2), epoch 4 no better (wait 3 >= 2: stop).
      assertEquals(4, stop.stoppedEpoch());
      assertEquals(0.8, stop.best());
      // The weights of the best epoch (3, marked 4) are back after training ends.
      assertEquals(4f, m.getWeights().get(0).getFloat(0, 0));

      EarlyStopping plain = EarlyStopping.builder().monitor("val_loss").build();
      drive(m, plain, "other", 1);
      assertEquals(-1, plain.stoppedEpoch());
      assertNull(plain.best());
    }
  }

  @Test
  void exportRefusesAnExistingDirectoryUnlessOverwriting() throws IOException {
    Path export = dir.resolve("export/1");
    float[][] x = {{1, 2}, {3, -1}};
    try (Model m = model()) {
      mark(m, 1);
      m.export(export);
      SavedModelException e = assertThrows(SavedModelException.class, () -> m.export(export));
      assertTrue(e.getMessage().contains("overwrite"), e.getMessage());
      mark(m, 2);
      m.export(export, true);
      try (LoadedSavedModel loaded = SavedModel.load(export)) {
        assertArrayEquals(m.predict(x)[1], loaded.predict(x)[1]);
        assertEquals(2 * 3 + 2 * -1 + 2, loaded.predict(x)[1][0]);
      }
      // Nothing is left beside it: no temporary or replaced directory.
      assertEquals(List.of("1"), files("export"));
      Files.writeString(dir.resolve("file"), "x");
      assertThrows(SavedModelException.class, () -> m.export(dir.resolve("file"), true));
    }
  }

  private List<String> files(String sub) throws IOException {
    try (Stream<Path> s = Files.list(sub.isEmpty() ? dir : dir.resolve(sub))) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}

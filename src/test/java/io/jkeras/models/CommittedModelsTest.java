package io.jkeras.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jkeras.io.NpyArray;
import io.jkeras.io.NpyFile;
import io.jkeras.savedmodel.LoadedSavedModel;
import io.jkeras.savedmodel.SavedModel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The Python-trained files in models/ load in Java and reproduce Python's predictions. */
class CommittedModelsTest {

  static final Path DIR = Path.of(System.getProperty("user.dir"), "models", "imdb_fm_small");

  static int[][] input() throws Exception {
    NpyArray x = NpyFile.read(DIR.resolve("input.npy"));
    int[] flat = x.asInts();
    int rows = (int) x.shape()[0];
    int cols = (int) x.shape()[1];
    int[][] out = new int[rows][cols];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(flat, i * cols, out[i], 0, cols);
    }
    return out;
  }

  static float[] expected() throws Exception {
    return NpyFile.read(DIR.resolve("expected.npy")).asFloats();
  }

  @Test
  void kerasAndLegacyFilesPredictAsPythonAndKeepTrainingInJava() throws Exception {
    for (String file : new String[] {"model.keras", "model.h5"}) {
      try (Model m = Model.load(DIR.resolve(file))) {
        float[][] p = m.predict(input());
        for (int i = 0; i < p.length; i++) {
          assertEquals(expected()[i], p[i][0], 1e-5, file + " row " + i);
        }
        // Labels the model gets wrong half the time: a few epochs in Java must lower the loss.
        float[] y = {1, 1, 0, 0};
        io.jkeras.backend.HostArray xs = io.jkeras.backend.HostArray.of(input());
        io.jkeras.backend.HostArray ys = io.jkeras.backend.HostArray.of(y);
        double before = m.evaluate(xs, ys).get("loss");
        m.fit(xs, ys, io.jkeras.training.FitOptions.epochs(20).batchSize(4).verbose(0));
        double after = m.evaluate(xs, ys).get("loss");
        org.junit.jupiter.api.Assertions.assertTrue(
            after < before, file + ": loss " + before + " -> " + after);
      }
    }
  }

  @Test
  void savedModelExportedByPythonPredictsAsPython() throws Exception {
    try (LoadedSavedModel m = SavedModel.load(DIR.resolve("saved_model/1"))) {
      assertEquals(java.util.Set.of("tokens"), m.defaultSignature().inputs().keySet());
      float[][] p = m.predict(input());
      float[] flat = new float[p.length];
      for (int i = 0; i < p.length; i++) {
        flat[i] = p[i][0];
      }
      assertArrayEquals(expected(), flat, 1e-5f);
    }
  }
}

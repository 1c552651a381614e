package io.jkeras.saving;

import static io.jkeras.saving.ModelFileFixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.GlobalSeed;
import io.jkeras.models.Model;
import io.jkeras.models.Sequential;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .keras files written and read by jkeras alone: what they hold and that models come back. */
class KerasModelFileTest {

  @TempDir Path dir;

  @Test
  void everyArchitectureComesBackWithItsPredictionsAndOptimizerState() {
    GlobalSeed.set(3);
    for (String arch : List.of("fm", "dense", "sequential", "shared")) {
      Path file = dir.resolve(arch + ".keras");
      float[] before;
      long iterations;
      try (Model model = ModelFileFixtures.build(arch)) {
        model.compile("adam", "binary_crossentropy", "accuracy");
        ModelFileFixtures.fit(model, arch, 2);
        before = ModelFileFixtures.predict(model, arch);
        iterations = model.optimizer().iterations();
        KerasModelFile.save(model, file);
      }
      try (Model loaded = KerasModelFile.load(file)) {
        assertEquals(arch.equals("sequential"), loaded instanceof Sequential, arch);
        assertTrue(loaded.isCompiled(), arch);
        assertClose(before, ModelFileFixtures.predict(loaded, arch), 0, arch);
        assertEquals(iterations, loaded.optimizerState().get(0).longs()[0], arch);
        ModelFileFixtures.fit(loaded, arch, 1);
        assertEquals(iterations + 2, loaded.optimizer().iterations(), arch);
      }
    }
  }
}

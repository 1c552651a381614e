package io.jkeras.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.GlobalSeed;
import io.jkeras.backend.HostArray;
import io.jkeras.layers.Dense;
import io.jkeras.layers.FMLayer;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.models.Model;
import io.jkeras.optimizers.Adam;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrainingTest {

  @Test
  void fmModelLearnsAnInteractionProblem() {
    GlobalSeed.set(5);
    Random rnd = new Random(5);
    int n = 2000;
    float[][] x = new float[n][6];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 6; j++) {
        x[i][j] = rnd.nextBoolean() ? 1 : 0;
      }
      // XOR-like interaction of features 0 and 1: a pairwise term separates it.
      y[i] = x[i][0] * x[i][1] > 0 || (x[i][0] + x[i][1] == 0) ? 1 : 0;
    }
    KerasTensor in = Input.of(6);
    KerasTensor h = new FMLayer(8, 4, "relu").apply(in);
    KerasTensor out = new Dense(1, "sigmoid").apply(h);
    try (Model m = new Model(in, out)) {
      m.compile(new Adam(0.01), "binary_crossentropy", "accuracy");
      History hist =
          m.fit(x, y, FitOptions.epochs(30).batchSize(32).verbose(0).validationSplit(0.2));
      assertTrue(hist.last("loss") < hist.get("loss").get(0), "loss went down");
      assertTrue(hist.last("val_accuracy") > 0.95, "val_accuracy " + hist.last("val_accuracy"));
      var eval = m.evaluate(HostArray.of(x), HostArray.of(y));
      assertTrue(eval.get("accuracy") > 0.95);
      assertEquals(30, hist.epochs().size());
      assertTrue(
          m.optimizer().iterations() == 30L * 50, "iterations " + m.optimizer().iterations());
    }
  }
}

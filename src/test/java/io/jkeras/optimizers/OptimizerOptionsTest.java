package io.jkeras.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.backend.HostArray;
import io.jkeras.layers.Dense;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.models.Model;
import io.jkeras.training.FitOptions;
import org.junit.jupiter.api.Test;

class OptimizerOptionsTest {

  private static final float[][] X = {{1, 0}, {0, 1}, {1, 1}, {2, 1}, {0, 2}};
  private static final float[] Y = {1, -1, 0, 1, -2};

  /**
   * A loss scale of 0 makes every gradient 0/0: training would silently turn the weights into NaN
   * (Keras multiplies the loss by the factor and divides the gradients by it).
   */
  @Test
  void lossScaleFactorOfZeroIsRefusedByName() {
    for (double bad : new double[] {0, Double.NaN, Double.POSITIVE_INFINITY}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> new SGD().lossScaleFactor(bad));
      assertTrue(e.getMessage().contains("SGD"), e.getMessage());
      assertTrue(e.getMessage().contains("loss_scale_factor"), e.getMessage());
      assertTrue(e.getMessage().contains(Double.toString(bad)), e.getMessage());
    }
    // A valid factor leaves the update as without it: Keras unscales the gradients exactly.
    KerasTensor in = Input.of(2);
    Dense d = new Dense(1);
    try (Model m = new Model(in, d.apply(in))) {
      d.kernel().assign(new float[] {0, 0});
      d.bias().assign(new float[] {0});
      m.compile(new SGD(0.1).lossScaleFactor(64), "mse");
      m.fit(HostArray.of(X), HostArray.of(Y), FitOptions.epochs(1).batchSize(5).verbose(0));
      // One SGD step from zeros: w -= 0.1 · (2/5) Σ x (0 - y); b -= 0.1 · (2/5) Σ (0 - y).
      float[] w = d.kernel().read();
      assertEquals(0.1 * 0.4 * (1 + 2), w[0], 1e-6);
      assertEquals(0.1 * 0.4 * (-1 + 1 - 4), w[1], 1e-6);
      assertEquals(0.1 * 0.4 * (1 - 1 + 0 + 1 - 2), d.bias().read()[0], 1e-6);
    }
  }

  /** The constructor refuses an infinite learning rate; setting one later must too. */
  @Test
  void infiniteLearningRateIsRefusedWhenSet() {
    SGD sgd = new SGD(0.1);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> sgd.setLearningRate(Double.POSITIVE_INFINITY));
    assertTrue(e.getMessage().contains("SGD") && e.getMessage().contains("Infinity"));
    assertEquals(0.1, sgd.learningRate());
  }
}

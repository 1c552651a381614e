package io.jkeras.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jkeras.backend.HostArray;
import io.jkeras.layers.Dense;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.models.Model;
import io.jkeras.optimizers.schedules.ExponentialDecay;
import io.jkeras.training.FitOptions;
import org.junit.jupiter.api.Test;

class GradientAccumulationTest {

  private static final float[][] X = {{1, 0}, {0, 1}, {1, 1}, {2, 1}, {0, 2}};
  private static final float[] Y = {1, -1, 0, 1, -2};

  /**
   * Keras 3.15.1: after 5 one-batch epochs with gradient_accumulation_steps=2, {@code
   * optimizer.iterations} is 2 (updates applied: 5 // 2), while the saved {@code iteration}
   * variable and the schedule's step count every call (5): ExponentialDecay(0.1, 1, 0.5) at step 5
   * is 0.003125.
   */
  @Test
  void iterationsCountsAppliedUpdatesAndTheScheduleCountsCalls() {
    KerasTensor in = Input.of(2);
    try (Model m = new Model(in, new Dense(1).apply(in))) {
      Optimizer sgd =
          new SGD()
              .learningRate(new ExponentialDecay(0.1, 1, 0.5, false))
              .gradientAccumulationSteps(2);
      m.compile(sgd, "mse");
      m.fit(HostArray.of(X), HostArray.of(Y), FitOptions.epochs(5).batchSize(5).verbose(0));
      assertEquals(2L, sgd.iterations());
      assertEquals(5L, ((long[]) sgd.state().get(0))[0]);
      assertEquals(0.1 * Math.pow(0.5, 5), sgd.currentLearningRate(), 1e-9);
    }
  }
}

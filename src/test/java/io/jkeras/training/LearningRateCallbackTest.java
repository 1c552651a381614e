package io.jkeras.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jkeras.backend.HostArray;
import io.jkeras.callbacks.Callback;
import io.jkeras.callbacks.LearningRateScheduler;
import io.jkeras.callbacks.ReduceLROnPlateau;
import io.jkeras.layers.Dense;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.models.Model;
import io.jkeras.optimizers.SGD;
import io.jkeras.optimizers.schedules.ExponentialDecay;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ReduceLROnPlateau and LearningRateScheduler follow Keras's rules epoch by epoch. */
class LearningRateCallbackTest {

  private static final float[][] X = {{1, 0}, {0, 1}, {1, 1}, {2, 1}};
  private static final float[] Y = {1, -1, 0, 1};

  private static Model linear() {
    KerasTensor in = Input.of(2);
    return new Model(in, new Dense(1).apply(in));
  }

  @Test
  void schedulerSetsTheRateBeforeEveryEpoch() {
    List<Double> seen = new ArrayList<>();
    Callback recorder =
        new Callback() {
          public void onEpochEnd(int epoch, Map<String, Double> logs) {
            seen.add(logs.get("learning_rate"));
          }
        };
    try (Model m = linear()) {
      m.compile(new SGD(0.1), "mse");
      m.fit(
          HostArray.of(X),
          HostArray.of(Y),
          FitOptions.epochs(3)
              .verbose(0)
              .callbacks(
                  new LearningRateScheduler((epoch, lr) -> epoch == 0 ? lr : lr * 0.5), recorder));
      assertEquals(List.of((double) 0.1f, (double) 0.05f, (double) 0.025f), seen);
      assertEquals(0.025f, (float) m.optimizer().learningRate());
    }
  }

  @Test
  void plateauLowersTheRateAfterPatienceThenCoolsDown() {
    try (Model m = linear()) {
      m.compile(new SGD(0.1), "mse");
      ReduceLROnPlateau r =
          ReduceLROnPlateau.builder()
              .monitor("loss")
              .factor(0.5)
              .patience(2)
              .minDelta(0.01)
              .cooldown(1)
              .minLr(0.02)
              .build();
      r.onTrainBegin(new Callback.TrainingRun(m, 10, 1, 4));
      // Improvements must beat the best by min_delta 0.01: 0.995 does not.
      double[] losses = {1.0, 0.995, 0.999, 0.98, 0.975, 0.975, 0.99, 0.99};
      double[] expected = {0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.02};
      for (int e = 0; e < losses.length; e++) {
        Map<String, Double> logs = new HashMap<>(Map.of("loss", losses[e]));
        r.onEpochEnd(e, logs);
        assertEquals((float) expected[e], (float) m.optimizer().learningRate(), "epoch " + e);
      }
      // 0.025 · 0.5 was capped at min_lr 0.02, which stays.
      for (int e = 8; e < 12; e++) {
        r.onEpochEnd(e, new HashMap<>(Map.of("loss", 2.0)));
      }
      assertEquals(0.02f, (float) m.optimizer().learningRate());
    }
  }

  @Test
  void scheduledOptimizersRefuseRateChanges() {
    try (Model m = linear()) {
      m.compile(new SGD().learningRate(new ExponentialDecay(0.1, 10, 0.5, false)), "mse");
      assertThrows(IllegalStateException.class, () -> m.optimizer().setLearningRate(0.01));
    }
  }
}

package io.jkeras.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jkeras.backend.HostArray;
import io.jkeras.layers.Dense;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.models.Model;
import io.jkeras.optimizers.SGD;
import io.jkeras.optimizers.schedules.ExponentialDecay;
import io.jkeras.training.FitOptions;
import io.jkeras.training.History;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReduceLROnPlateauTest {

  /**
   * With a learning-rate schedule, Keras 3.15.1 logs the schedule's value at the optimizer's
   * iteration count: SGD(ExponentialDecay(0.1, 1, 0.5)), one batch per epoch, 3 epochs,
   * ReduceLROnPlateau(monitor="loss", patience=100) logs learning_rate 0.05, 0.025, 0.0125.
   */
  @Test
  void logsTheScheduledLearningRate() {
    KerasTensor in = Input.of(2);
    try (Model m = new Model(in, new Dense(1).apply(in))) {
      m.compile(new SGD().learningRate(new ExponentialDecay(0.1, 1, 0.5, false)), "mse");
      List<Double> lr = new ArrayList<>();
      Callback after =
          new Callback() {
            @Override
            public void onEpochEnd(int epoch, Map<String, Double> logs) {
              lr.add(logs.get("learning_rate"));
            }
          };
      m.fit(
          HostArray.of(ZeroDenseFit.X),
          HostArray.of(ZeroDenseFit.Y),
          FitOptions.epochs(3)
              .batchSize(5)
              .verbose(0)
              .callbacks(ReduceLROnPlateau.builder().monitor("loss").patience(100).build(), after));
      double[] keras = {0.05000000074505806, 0.02500000037252903, 0.012500000186264515};
      assertEquals(3, lr.size());
      for (int e = 0; e < 3; e++) {
        assertEquals(keras[e], lr.get(e), 1e-9, "epoch " + e);
      }
    }
  }

  /**
   * Keras runs History after the user's callbacks, so {@code history["learning_rate"]} holds what
   * ReduceLROnPlateau logged, the rate each epoch ran with: Keras 3.15.1 gives 0.1, 0.1, 0.05 for
   * SGD(0.1) and ReduceLROnPlateau(monitor="loss", mode="max", patience=1, factor=0.5,
   * min_delta=1e9), where only the first epoch counts as better.
   */
  @Test
  void historyRecordsTheLearningRateTheCallbackLogged() {
    KerasTensor in = Input.of(2);
    try (Model m = new Model(in, new Dense(1).apply(in))) {
      m.compile(new SGD(0.1), "mse");
      History h =
          m.fit(
              HostArray.of(ZeroDenseFit.X),
              HostArray.of(ZeroDenseFit.Y),
              FitOptions.epochs(3)
                  .batchSize(5)
                  .verbose(0)
                  .callbacks(
                      ReduceLROnPlateau.builder()
                          .monitor("loss")
                          .mode("max")
                          .patience(1)
                          .factor(0.5)
                          .minDelta(1e9)
                          .build()));
      List<Double> lr = h.get("learning_rate");
      assertEquals(3, lr.size());
      double[] keras = {0.10000000149011612, 0.10000000149011612, 0.05000000074505806};
      for (int e = 0; e < 3; e++) {
        assertEquals(keras[e], lr.get(e), 1e-9, "epoch " + e);
      }
    }
  }
}

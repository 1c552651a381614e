package io.jkeras.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.backend.HostArray;
import io.jkeras.callbacks.EarlyStopping;
import io.jkeras.layers.Dense;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.models.Model;
import io.jkeras.optimizers.SGD;
import io.jkeras.training.FitOptions;
import io.jkeras.training.History;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * CTR teams' setup: PR-curve AUC as a metric, {@code val_auc} monitored by EarlyStopping with mode
 * max. The logged validation value is the PR AUC of the validation predictions (checked against the
 * metric fed directly), and training stops exactly when val_auc has not risen for patience + 1
 * epochs.
 */
class PrAucEarlyStoppingTest {

  @Test
  void valAucOfThePrCurveDrivesEarlyStoppingInModeMax() {
    Random rnd = new Random(9);
    int n = 400;
    float[][] x = new float[n][4];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      double score = 0;
      for (int j = 0; j < 4; j++) {
        x[i][j] = (float) rnd.nextGaussian();
        score += (j + 1) * 0.3 * x[i][j];
      }
      y[i] = rnd.nextDouble() < 1 / (1 + Math.exp(-score)) ? 1 : 0;
    }
    KerasTensor in = Input.of(4);
    try (Model m = new Model(in, Dense.builder(1).activation("sigmoid").build().apply(in))) {
      m.compile(
          new SGD(0.5),
          new io.jkeras.losses.BinaryCrossentropy(),
          AUC.builder().curve("PR").build(),
          new BinaryCrossentropy());
      int patience = 1;
      EarlyStopping stop =
          EarlyStopping.builder().monitor("val_auc").patience(patience).mode("max").build();
      History h =
          m.fit(
              HostArray.of(x),
              HostArray.of(y),
              FitOptions.epochs(40)
                  .batchSize(64)
                  .shuffle(false)
                  .validationSplit(0.25)
                  .callbacks(stop)
                  .verbose(0));
      List<Double> val = h.get("val_auc");
      assertTrue(h.history().containsKey("val_binary_crossentropy"));
      // Replay mode max: the first epoch after `patience` epochs without a new maximum.
      double best = Double.NEGATIVE_INFINITY;
      int wait = 0;
      int expectedStop = -1;
      for (int e = 0; e < val.size(); e++) {
        wait++;
        if (val.get(e) > best) {
          best = val.get(e);
          wait = 0;
        } else if (wait >= patience && e > 0) {
          expectedStop = e;
          break;
        }
      }
      assertTrue(expectedStop > 0, "val_auc kept rising for 40 epochs: " + val);
      assertEquals(expectedStop, stop.stoppedEpoch(), "val_auc " + val);
      assertEquals(expectedStop + 1, val.size());

      // The last val_auc is the PR AUC of the validation rows under the final weights.
      float[][] valX = java.util.Arrays.copyOfRange(x, 300, n);
      float[] valY = java.util.Arrays.copyOfRange(y, 300, n);
      float[][] p = m.predict(valX);
      AUC direct = AUC.builder().curve("PR").build();
      direct.updateState(HostArray.of(valY), HostArray.of(p), null);
      assertEquals(direct.result(), val.get(val.size() - 1), 1e-6);
      assertTrue(direct.result() > 0.5, "PR AUC " + direct.result());
    }
  }
}

package io.jkeras.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jkeras.testing.PythonKeras;
import io.jkeras.training.FitOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorBoardTest {

  /** The train folder's scalars as tensorboard reads them: tag to [[step, value], ...]. */
  @SuppressWarnings("unchecked")
  private static Map<String, List<List<Number>>> trainScalars(Path dir) throws Exception {
    ZeroDenseFit.fit(
        FitOptions.epochs(2)
            .batchSize(2)
            .shuffle(false)
            .verbose(0)
            .callbacks(TensorBoard.builder(dir).updateFreq("batch").build()));
    PythonKeras.Result res = PythonKeras.runScript("callbacks/tensorboard_read.py", dir.toString());
    Map<String, Map<String, List<List<Number>>>> read =
        new ObjectMapper().readValue(res.stdout().trim(), Map.class);
    return read.get("train");
  }

  /**
   * Keras 3.15.1 (Dense(1) from zeros, SGD(0.01), mse, fit(X, Y, epochs=2, batch_size=2,
   * shuffle=False) with TensorBoard(update_freq="batch")) counts the global batch before writing
   * it: batch_loss at steps 1..6 = 1.0, 0.74502504, 1.4037988, 0.8958484, 0.7193299, 1.2420194.
   */
  @Test
  void batchScalarsStartAtStepOne(@TempDir Path dir) throws Exception {
    List<List<Number>> batches = trainScalars(dir).get("batch_loss");
    double[] keras = {1.0, 0.74502504, 1.4037988, 0.8958484, 0.7193299, 1.2420194};
    assertEquals(keras.length, batches.size());
    for (int i = 0; i < keras.length; i++) {
      assertEquals(i + 1, batches.get(i).get(0).intValue(), "step of batch " + i);
      assertEquals(keras[i], batches.get(i).get(1).doubleValue(), 1e-6, "batch " + i);
    }
  }

  /**
   * Keras 3.15.1 adds the optimizer's learning rate to every epoch's train scalars: in the same
   * fit, epoch_learning_rate is 0.01 (float32) at steps 0 and 1.
   */
  @Test
  void epochScalarsHoldTheLearningRate(@TempDir Path dir) throws Exception {
    List<List<Number>> lr = trainScalars(dir).get("epoch_learning_rate");
    assertEquals(2, lr == null ? 0 : lr.size(), "epoch_learning_rate points");
    for (int e = 0; e < 2; e++) {
      assertEquals(e, lr.get(e).get(0).intValue());
      assertEquals((float) 0.01, lr.get(e).get(1).doubleValue(), 1e-9);
    }
  }
}

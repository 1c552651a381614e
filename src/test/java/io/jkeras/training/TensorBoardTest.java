package io.jkeras.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jkeras.GlobalSeed;
import io.jkeras.backend.HostArray;
import io.jkeras.callbacks.TensorBoard;
import io.jkeras.layers.Dense;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.models.Model;
import io.jkeras.testing.PythonKeras;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Event files the TensorBoard callback writes, read back by tensorboard's own EventAccumulator. */
class TensorBoardTest {

  @TempDir Path dir;

  @Test
  @SuppressWarnings("unchecked")
  void tensorboardReadsEveryEpochAndBatchScalar() throws Exception {
    GlobalSeed.set(2);
    Random r = new Random(1);
    float[][] x = new float[40][3];
    float[] y = new float[40];
    for (int i = 0; i < 40; i++) {
      for (int j = 0; j < 3; j++) {
        x[i][j] = (float) r.nextGaussian();
      }
      y[i] = x[i][0] > 0 ? 1 : 0;
    }
    KerasTensor in = Input.of(3);
    KerasTensor out = Dense.builder(1).activation("sigmoid").build().apply(in);
    Path logs = dir.resolve("logs");
    History h;
    try (Model m = new Model(in, out)) {
      m.compile("adam", "binary_crossentropy", "accuracy");
      h =
          m.fit(
              HostArray.of(x),
              HostArray.of(y),
              FitOptions.epochs(3)
                  .batchSize(10)
                  .verbose(0)
                  .validationData(HostArray.of(x), HostArray.of(y))
                  .callbacks(TensorBoard.builder(logs).updateFreq("batch").build()));
    }
    PythonKeras.Result res =
        PythonKeras.runScript("callbacks/tensorboard_read.py", logs.toString());
    Map<String, Map<String, List<List<Number>>>> read =
        new ObjectMapper().readValue(res.stdout().trim(), Map.class);
    List<List<Number>> loss = read.get("train").get("epoch_loss");
    List<List<Number>> valAcc = read.get("validation").get("epoch_accuracy");
    assertEquals(3, loss.size());
    for (int e = 0; e < 3; e++) {
      assertEquals(e, loss.get(e).get(0).intValue());
      assertEquals(h.get("loss").get(e), loss.get(e).get(1).doubleValue(), 1e-6);
      assertEquals(h.get("val_accuracy").get(e), valAcc.get(e).get(1).doubleValue(), 1e-6);
    }
    List<List<Number>> batches = read.get("train").get("batch_loss");
    assertEquals(12, batches.size(), "4 batches x 3 epochs");
    assertEquals(12, batches.get(11).get(0).intValue(), "Keras counts batches from 1");
    assertTrue(read.get("validation").containsKey("epoch_loss"), read.toString());
  }
}

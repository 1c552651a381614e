package io.jkeras.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jkeras.backend.HostArray;
import io.jkeras.layers.Dense;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.models.Model;
import io.jkeras.optimizers.SGD;
import io.jkeras.training.FitOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CSVLoggerTest {

  private static final float[][] X = {{1, 0}, {0, 1}, {1, 1}, {2, 1}, {0, 2}};
  private static final float[] Y = {1, -1, 0, 1, -2};

  /**
   * Keras 3.15.1 (Dense(1, kernel_initializer="zeros"), SGD(0.01), mse, fit(X, Y, epochs=2) with
   * CSVLogger and no validation) writes {@code epoch,loss,val_loss}, then {@code
   * 0,1.399999976158142,NA} and {@code 1,1.3587679862976074,NA}: without val_ values in the first
   * epoch's logs it adds a val_ column per key, filled with NA when absent.
   */
  @Test
  void withoutValidationKerasAddsValColumnsFilledWithNa(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("h.csv");
    KerasTensor in = Input.of(2);
    Dense d = new Dense(1);
    try (Model m = new Model(in, d.apply(in))) {
      d.kernel().assign(new float[] {0, 0});
      d.bias().assign(new float[] {0});
      m.compile(new SGD(0.01), "mse");
      m.fit(
          HostArray.of(X),
          HostArray.of(Y),
          FitOptions.epochs(2).verbose(0).callbacks(new CSVLogger(csv)));
    }
    List<String> lines = Files.readAllLines(csv);
    assertEquals(3, lines.size());
    assertEquals("epoch,loss,val_loss", lines.get(0));
    double[] kerasLoss = {1.399999976158142, 1.3587679862976074};
    for (int e = 0; e < 2; e++) {
      String[] row = lines.get(e + 1).split(",");
      assertEquals(3, row.length, lines.get(e + 1));
      assertEquals(Integer.toString(e), row[0]);
      assertEquals(kerasLoss[e], Double.parseDouble(row[1]), 1e-6);
      assertEquals("NA", row[2]);
    }
  }
}

package io.jkeras.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jkeras.training.FitOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CSVLoggerTest {

  /**
   * Keras 3.15.1 (Dense(1, kernel_initializer="zeros"), SGD(0.01), mse, fit(X, Y, epochs=2) with
   * CSVLogger and no validation) writes {@code epoch,loss,val_loss}, then {@code
   * 0,1.399999976158142,NA} and {@code 1,1.3587679862976074,NA}: without val_ values in the first
   * epoch's logs it adds a val_ column per key, filled with NA when absent.
   */
  @Test
  void withoutValidationKerasAddsValColumnsFilledWithNa(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("h.csv");
    ZeroDenseFit.fit(FitOptions.epochs(2).verbose(0).callbacks(new CSVLogger(csv)));
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

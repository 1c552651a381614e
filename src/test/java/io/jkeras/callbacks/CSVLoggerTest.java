package io.jkeras.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jkeras.training.FitOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  /**
   * The file's text as Keras's (Python's csv module, excel dialect, and {@code str} of each float):
   * Python writes {@code 'epoch,"a,b",loss\r\n0,0.0005,1e-05\r\n1,NA,nan\r\n'} for these logs,
   * where Java's {@code Double.toString} would write 5.0E-4 and 1.0E-5.
   */
  @Test
  void writesNumbersLineEndsAndQuotesAsPython(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("h.csv");
    CSVLogger logger = new CSVLogger(csv);
    logger.onTrainBegin(null);
    Map<String, Double> first = new LinkedHashMap<>();
    first.put("loss", 1e-5);
    first.put("a,b", 0.0005);
    first.put("val_loss", 2.0);
    logger.onEpochEnd(0, first);
    Map<String, Double> second = new LinkedHashMap<>();
    second.put("loss", Double.NaN);
    second.put("val_loss", 1e16);
    logger.onEpochEnd(1, second);
    logger.onTrainEnd(Map.of());
    assertEquals(
        "epoch,\"a,b\",loss,val_loss\r\n0,0.0005,1e-05,2.0\r\n1,NA,nan,1e+16\r\n",
        Files.readString(csv, StandardCharsets.UTF_8));
  }
}

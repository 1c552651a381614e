package io.jkeras.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CtrCommandTest {

  @TempDir Path dir;

  /** One-hot rows of 3 fields (ids 0-9, 10-19, 20-24); clicks follow field 0's id parity. */
  private Path libfm(String name, int rows, long seed) throws Exception {
    Random r = new Random(seed);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < rows; i++) {
      int a = r.nextInt(10);
      boolean click = (a % 2 == 0) ^ (r.nextDouble() < 0.1);
      sb.append(click ? "1" : "-1")
          .append(' ')
          .append(a)
          .append(":1 ")
          .append(10 + r.nextInt(10))
          .append(":1 ")
          .append(20 + r.nextInt(5))
          .append(":1\n");
    }
    Path p = dir.resolve(name);
    Files.writeString(p, sb.toString());
    return p;
  }

  @Test
  @SuppressWarnings("unchecked")
  void trainsTheModelsAndWritesResultsHistoriesAndChart() throws Exception {
    Path train = libfm("train.libfm", 600, 1);
    Path test = libfm("test.libfm", 200, 2);
    Path out = dir.resolve("out");
    int code =
        Main.run(
            new String[] {
              "ctr",
              "--train",
              train.toString(),
              "--test",
              test.toString(),
              "--models",
              "fm,dlrm",
              "--epochs",
              "3",
              "--batch-size",
              "64",
              "--emb",
              "4",
              "--out",
              out.toString(),
              "--verbose",
              "0",
              "--learning-rate",
              "0.02"
            });
    assertEquals(0, code);
    Map<String, Object> json =
        new ObjectMapper().readValue(out.resolve("results.json").toFile(), Map.class);
    Map<String, Object> models = (Map<String, Object>) json.get("models");
    assertEquals(java.util.List.of("fm", "dlrm"), java.util.List.copyOf(models.keySet()));
    Map<String, Object> fm = (Map<String, Object>) models.get("fm");
    for (String key :
        new String[] {"params", "epochs", "seconds_per_epoch", "test_auc", "test_logloss"}) {
      assertTrue(fm.containsKey(key), key);
    }
    // ids 0..24: embedding 25*4 + linear table 25 + Dense(3+1) + output Dense(2+1).
    assertEquals(25 * 4 + 25 + 4 + 3, ((Number) fm.get("params")).intValue());
    assertTrue(((Number) fm.get("test_auc")).doubleValue() > 0.8, "" + fm);
    assertTrue(Files.size(out.resolve("ctr_val_auc.png")) > 1000);
    String csv = Files.readString(out.resolve("fm_history.csv"));
    assertTrue(csv.startsWith("epoch,") && csv.contains("val_auc"), csv);
  }

  @Test
  void badDataFailsWithFileLineAndFieldBeforeTraining() throws Exception {
    Path train = libfm("train.libfm", 50, 1);
    Path test = dir.resolve("test.libfm");
    Files.writeString(test, "1 0:1 11:1 20:1\n1 0:1 11:1\n");
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int code;
    try {
      code =
          Main.run(
              new String[] {
                "ctr",
                "--train",
                train.toString(),
                "--test",
                test.toString(),
                "--out",
                dir.resolve("o").toString()
              });
    } finally {
      System.setErr(saved);
    }
    assertEquals(2, code);
    String message = err.toString(StandardCharsets.UTF_8);
    assertTrue(message.contains(test + ":2: expected 3 id:value pairs"), message);
    assertTrue(!Files.exists(dir.resolve("o").resolve("results.json")));
  }
}

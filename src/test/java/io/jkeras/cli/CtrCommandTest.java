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

  /** Starts SLF4J before standard error is captured, so its start-up notes are not captured. */
  @org.junit.jupiter.api.BeforeAll
  static void startLogging() {
    org.slf4j.LoggerFactory.getLogger(CtrCommandTest.class);
  }

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

  /** Exit code, standard output and standard error of one command. */
  private static String[] runCapturing(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      return new String[] {
        String.valueOf(code), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)
      };
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void verboseTwoPrintsALinePerEpochAndZeroNothing() throws Exception {
    Path train = libfm("train.libfm", 300, 1);
    Path test = libfm("test.libfm", 100, 2);
    String[] common = {
      "ctr",
      "--train",
      train.toString(),
      "--test",
      test.toString(),
      "--models",
      "fm",
      "--epochs",
      "2",
      "--patience",
      "5",
      "--batch-size",
      "64",
      "--out",
      dir.resolve("o").toString()
    };
    // The default is --verbose 2: "Epoch 1/2", then a line of the epoch's logs.
    String lines = runCapturing(common)[1];
    assertTrue(lines.contains("Epoch 1/2\n5/5 - "), lines);
    assertTrue(lines.contains("Epoch 2/2\n5/5 - ") && lines.contains(" - val_auc: "), lines);
    String[] withQuiet = java.util.Arrays.copyOf(common, common.length + 2);
    withQuiet[common.length] = "--verbose";
    withQuiet[common.length + 1] = "0";
    String quiet = runCapturing(withQuiet)[1];
    assertTrue(!quiet.contains("Epoch") && quiet.contains("test AUC"), quiet);
  }

  @Test
  void badNumbersAndStreamOnlyOptionsAreRefusedBeforeReadingTheData() throws Exception {
    Path train = libfm("train.libfm", 50, 1);
    Path test = libfm("test.libfm", 20, 2);
    Path out = dir.resolve("o");
    String[][] cases = {
      {"--epochs", "0", "ctr: --epochs: expected a whole number of at least 1, got 0"},
      {"--batch-size", "-1", "ctr: --batch-size: expected a whole number of at least 1, got -1"},
      {"--emb", "0", "ctr: --emb: expected a whole number of at least 1, got 0"},
      {"--patience", "-1", "ctr: --patience: expected a whole number of at least 0, got -1"},
      {"--hash-bins", "-3", "ctr: --hash-bins: expected a whole number of at least 1, got -3"},
      {"--verbose", "7", "ctr: --verbose: expected 0, 1 or 2, got 7"},
      {"--learning-rate", "-1", "ctr: --learning-rate: expected a positive number, got -1"},
      {
        "--holdout",
        "1.5",
        "ctr: --holdout: expected a fraction between 0 and 1 (exclusive), got 1.5"
      },
      {"--valid", test.toString(), "ctr: --valid applies only with --stream"},
      {"--shuffle-buffer", "10", "ctr: --shuffle-buffer applies only with --stream"},
      {"--label", "click", "ctr: --label is for CSV/TSV data (a .csv or .tsv file)"},
      {"--hash-bins", "8", "ctr: --hash-bins is for CSV/TSV data (a .csv or .tsv file)"},
    };
    for (String[] c : cases) {
      String[] r =
          runCapturing(
              "ctr",
              "--train",
              train.toString(),
              "--test",
              test.toString(),
              "--out",
              out.toString(),
              c[0],
              c[1]);
      assertEquals("2", r[0], c[0] + " " + c[1]);
      assertTrue(r[2].startsWith("jkeras: " + c[2]), r[2]);
      assertTrue(!r[1].contains("CTR data"), "the data was read: " + r[1]);
    }
    assertTrue(!Files.exists(out));
    Path file = Files.writeString(dir.resolve("notes.txt"), "a file");
    String[] r =
        runCapturing(
            "ctr",
            "--train",
            train.toString(),
            "--test",
            test.toString(),
            "--out",
            file.toString());
    assertEquals("2", r[0]);
    assertEquals("jkeras: ctr: --out: expected a folder, got the file " + file, r[2].strip());
    assertTrue(!r[1].contains("CTR data"), "the data was read: " + r[1]);
  }
}

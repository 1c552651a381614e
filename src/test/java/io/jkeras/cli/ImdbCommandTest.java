package io.jkeras.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.datasets.TarBuilder;
import io.jkeras.io.NpyArray;
import io.jkeras.io.NpyFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The {@code jkeras imdb} command end to end on a small archive the test writes. */
class ImdbCommandTest {

  /** Starts SLF4J before standard error is captured, so its start-up notes are not captured. */
  @BeforeAll
  static void startLogging() {
    LoggerFactory.getLogger(ImdbCommandTest.class);
  }

  private static Path archive(Path dir) throws Exception {
    String[] good = {"great", "fun", "wonderful", "best", "loved"};
    String[] bad = {"awful", "boring", "worst", "bad", "waste"};
    Random r = new Random(1);
    TarBuilder tar = new TarBuilder().dir("aclImdb/");
    for (String split : new String[] {"train", "test"}) {
      for (int i = 0; i < 40; i++) {
        boolean pos = i % 2 == 0;
        String[] words = pos ? good : bad;
        StringBuilder text = new StringBuilder("this movie was");
        for (int k = 0; k < 6; k++) {
          text.append(' ').append(words[r.nextInt(words.length)]);
        }
        tar.file(
            "aclImdb/"
                + split
                + "/"
                + (pos ? "pos" : "neg")
                + "/"
                + i
                + "_"
                + (pos ? 9 : 2)
                + ".txt",
            text.append("<br /> the end").toString());
      }
    }
    return tar.writeTarGz(dir.resolve("tiny.tar.gz"));
  }

  @Test
  void trainsBothModelsAndWritesHistoriesChartAndResults(@TempDir Path dir) throws Exception {
    Path data = archive(dir);
    Path out = dir.resolve("out");
    PrintStream saved = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
      code =
          Main.run(
              new String[] {
                "imdb",
                "--data",
                data.toString(),
                "--epochs",
                "1",
                "--num-words",
                "50",
                "--max-len",
                "12",
                "--out",
                out.toString(),
                "--verbose",
                "2"
              });
    } finally {
      System.setOut(saved);
    }
    String printed = buf.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, printed);
    assertTrue(printed.contains("Model: \"baseline\"") && printed.contains("Model: \"fm\""));
    // Embedding(50, 50) + Conv1D 37,750 + FMLayer(250->200, k=100) 75,200 + Dense 201
    assertTrue(printed.contains("Total params: 115,651"), printed);
    assertTrue(printed.contains("seconds per epoch"));
    for (String f :
        new String[] {
          "baseline_history.csv", "fm_history.csv", "imdb_history.png", "results.json"
        }) {
      assertTrue(Files.size(out.resolve(f)) > 0, f);
    }
    String json = Files.readString(out.resolve("results.json"));
    assertTrue(json.contains("\"fm\": {\"params\": 115651"), json);
  }

  @Test
  void exportsTheTokenArraysAsNpy(@TempDir Path dir) throws Exception {
    Path data = archive(dir);
    // --out is not used by --export-npy, so a file there is no error.
    Path unusedOut = Files.writeString(dir.resolve("notes.txt"), "a file");
    assertEquals(
        0,
        Main.run(
            new String[] {
              "imdb",
              "--data",
              data.toString(),
              "--num-words",
              "50",
              "--max-len",
              "12",
              "--export-npy",
              dir.resolve("npy").toString(),
              "--out",
              unusedOut.toString()
            }));
    NpyArray x = NpyFile.read(dir.resolve("npy/x_train.npy"));
    assertEquals("int32", x.dtype());
    assertEquals(40, x.shape()[0]);
    assertEquals(12, x.shape()[1]);
    assertEquals(40, NpyFile.read(dir.resolve("npy/y_test.npy")).shape()[0]);
  }

  @Test
  void badUsageAndBadFilesExitWithTwo(@TempDir Path dir) throws Exception {
    assertEquals(0, Main.run(new String[] {"imdb", "--help"}));
    assertEquals(2, Main.run(new String[] {"imdb", "--epochz", "2"}));
    assertEquals(2, Main.run(new String[] {"imdb", "--models", "lstm"}));
    assertEquals(2, Main.run(new String[] {"nope"}));
    Path broken = dir.resolve("broken.tar.gz");
    Files.write(broken, new byte[] {31, -117, 8, 0, 1, 2, 3});
    assertEquals(2, Main.run(new String[] {"imdb", "--data", broken.toString()}));
  }

  @Test
  void badNumbersAndATakenSaveModelsFolderAreRefusedBeforeLoadingOrTraining(@TempDir Path dir)
      throws Exception {
    Path data = archive(dir);
    Path out = dir.resolve("out");
    String[][] cases = {
      {"--epochs", "0", "imdb: --epochs: expected a positive whole number, got 0"},
      {"--batch-size", "-32", "imdb: --batch-size: expected a positive whole number, got -32"},
      {"--max-len", "0", "imdb: --max-len: expected a positive whole number, got 0"},
      {
        "--num-words",
        "2",
        "imdb: --num-words: expected at least 3 (ids 0 to 2 are reserved), got 2"
      },
      {"--verbose", "3", "imdb: --verbose: expected 0, 1 or 2, got 3"},
    };
    for (String[] c : cases) {
      String[] printed =
          runCapturing("imdb", "--data", data.toString(), "--out", out.toString(), c[0], c[1]);
      assertEquals("2", printed[0], c[0]);
      assertEquals("jkeras: " + c[2], printed[2].strip());
      assertFalse(printed[1].contains("IMDB:"), "the data was loaded: " + printed[1]);
    }
    assertFalse(Files.exists(out));
    Path file = Files.writeString(dir.resolve("notes.txt"), "a file");
    String[] onFile = runCapturing("imdb", "--data", data.toString(), "--out", file.toString());
    assertEquals("2", onFile[0]);
    assertEquals("jkeras: imdb: --out: expected a folder, got the file " + file, onFile[2].strip());
    assertFalse(onFile[1].contains("IMDB:"), "the data was loaded: " + onFile[1]);
    // A SavedModel version that --save-models would have to overwrite stops the run at once, not
    // after training the model.
    Path models = dir.resolve("models");
    Files.createDirectories(models.resolve("fm/1"));
    String[] printed =
        runCapturing(
            "imdb",
            "--data",
            data.toString(),
            "--out",
            out.toString(),
            "--epochs",
            "1",
            "--num-words",
            "50",
            "--max-len",
            "12",
            "--models",
            "fm",
            "--save-models",
            models.toString());
    assertEquals("2", printed[0]);
    assertEquals(
        "jkeras: imdb: --save-models: "
            + models.resolve("fm").resolve("1")
            + " exists already; choose another folder",
        printed[2].strip());
    assertFalse(printed[1].contains("Epoch"), printed[1]);
    assertFalse(Files.exists(models.resolve("fm.keras")));
    assertFalse(Files.exists(out));
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
}

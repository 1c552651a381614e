package io.jkeras.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.io.NpyArray;
import io.jkeras.io.NpyFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** inspect, convert and predict on the Python-trained files in models/imdb_fm_small. */
class ModelCommandsTest {

  static final Path DIR = Path.of(System.getProperty("user.dir"), "models", "imdb_fm_small");

  private static String run(String... args) {
    PrintStream saved = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      assertEquals(0, code, "exit code of " + String.join(" ", args) + "\n" + buf);
    } finally {
      System.setOut(saved);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  private static float[] expected() throws Exception {
    return NpyFile.read(DIR.resolve("expected.npy")).asFloats();
  }

  @Test
  void inspectShowsLayersOrSignatures() {
    String keras = run("inspect", DIR.resolve("model.keras").toString());
    assertTrue(
        keras.contains("fm_layer (FMLayer)") && keras.contains("Total params: 16,209"), keras);
    assertTrue(keras.contains("input  tokens: int32 (None, 50)"), keras);
    String legacy = run("inspect", DIR.resolve("model.h5").toString());
    assertTrue(legacy.contains("Total params: 16,209"), legacy);
    String saved = run("inspect", DIR.resolve("saved_model/1").toString());
    assertTrue(
        saved.contains("signature \"serving_default\"")
            && saved.contains("input  tokens: int32 (None, 50)")
            && saved.contains("output output_0: float32 (None, 1)"),
        saved);
  }

  @Test
  void predictFromEveryFormatGivesPythonsNumbers(@TempDir Path dir) throws Exception {
    for (String model : new String[] {"model.keras", "model.h5", "saved_model/1"}) {
      Path out = dir.resolve(model.replace('/', '_') + ".npy");
      run(
          "predict",
          DIR.resolve(model).toString(),
          DIR.resolve("input.npy").toString(),
          out.toString());
      NpyArray y = NpyFile.read(out);
      assertArrayEquals(new long[] {4, 1}, y.shape());
      assertArrayEquals(expected(), y.asFloats(), 1e-5f, model);
    }
  }

  @Test
  void convertToKerasAndToSavedModelKeepsPredictions(@TempDir Path dir) throws Exception {
    Path keras = dir.resolve("from_h5.keras");
    run("convert", DIR.resolve("model.h5").toString(), keras.toString());
    Path saved = dir.resolve("exported");
    run("convert", keras.toString(), saved.toString());
    assertTrue(Files.exists(saved.resolve("saved_model.pb")));
    Path out = dir.resolve("y.npy");
    run("predict", saved.toString(), DIR.resolve("input.npy").toString(), out.toString());
    assertArrayEquals(expected(), NpyFile.read(out).asFloats(), 1e-5f);
  }

  @Test
  void badFilesExitWithTwo(@TempDir Path dir) throws Exception {
    Path junk = dir.resolve("junk.keras");
    Files.writeString(junk, "not a zip");
    assertEquals(2, Main.run(new String[] {"inspect", junk.toString()}));
    assertEquals(2, Main.run(new String[] {"inspect", dir.resolve("missing.keras").toString()}));
    assertEquals(
        2,
        Main.run(
            new String[] {
              "convert", DIR.resolve("saved_model/1").toString(), dir.resolve("x.keras").toString()
            }));
    assertEquals(
        2,
        Main.run(
            new String[] {
              "predict",
              DIR.resolve("model.keras").toString(),
              junk.toString(),
              dir.resolve("o.npy").toString()
            }));
  }

  @Test
  void fitPrintsTheProgressVerboseAsksFor(@TempDir Path dir) throws Exception {
    String[] common = {
      "fit",
      DIR.resolve("model.keras").toString(),
      DIR.resolve("input.npy").toString(),
      DIR.resolve("expected.npy").toString(),
      dir.resolve("trained.keras").toString(),
      "--epochs",
      "2",
      "--batch-size",
      "2"
    };
    String lines = run(concat(common, "--verbose", "2"));
    // input.npy holds 4 rows: 2 steps of 2 per epoch, one line per epoch after its header.
    assertTrue(lines.contains("Epoch 1/2\n2/2 - "), lines);
    assertTrue(lines.contains("Epoch 2/2\n2/2 - "), lines);
    assertTrue(lines.contains(" - loss: "), lines);
    String bar = run(concat(common, "--verbose", "1"));
    assertTrue(bar.contains("Epoch 2/2") && bar.contains("━━━━") && bar.contains(" - loss: "), bar);
    String quiet = run(concat(common, "--verbose", "0"));
    assertEquals("Wrote Keras file " + dir.resolve("trained.keras") + "\n", quiet);
    assertEquals(
        2, Main.run(concat(common, "--verbose", "3")), "--verbose 3 is not a Keras verbosity");
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}

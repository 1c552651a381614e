package io.jkeras.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.cli.Main;
import io.jkeras.io.NpyArray;
import io.jkeras.io.NpyFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The {@code jkeras} command line run in this JVM, for tests: one command, or the round trip of a
 * model Python Keras saved through {@code jkeras predict} and {@code jkeras convert} and back into
 * Python Keras.
 *
 * <pre>{@code
 * String printed = JkerasCli.run("inspect", model.toString());
 * // dir holds cnn.keras, cnn.x.npy and cnn.pred.npy, written by Python Keras
 * JkerasCli.predictAndConvertBackToKeras(dir, "cnn", "cnn.x.npy", 4, 3);
 * }</pre>
 */
public final class JkerasCli {

  /** How far jkeras's and Keras's predictions may be apart. */
  private static final float TOLERANCE = 1e-5f;

  private JkerasCli() {}

  /**
   * Runs {@code jkeras args...} and fails the test, with what it printed, unless it exits with 0.
   *
   * <pre>{@code
   * JkerasCli.run("convert", "in.keras", "out.keras");
   * }</pre>
   *
   * @return what the command printed
   */
  public static String run(String... args) {
    PrintStream saved = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
      assertEquals(0, Main.run(args), String.join(" ", args) + "\n" + buf);
    } finally {
      System.setOut(saved);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  /**
   * Runs Python's model {@code dir/NAME.keras} through {@code jkeras predict} on {@code dir/input}
   * and asserts the predictions have {@code shape} and equal {@code dir/NAME.pred.npy} (Keras's)
   * within 1e-5; then {@code jkeras convert}s it to {@code dir/NAME_converted.keras} and asserts
   * that Python Keras loads that file and predicts {@code NAME.pred.npy} within 1e-5.
   *
   * <pre>{@code
   * JkerasCli.predictAndConvertBackToKeras(dir, "encoder", "encoder.x0.npy", 4, 3);
   * }</pre>
   *
   * @param dir the folder of Python's files; the outputs are written there too
   * @param name the model's file name without {@code .keras}
   * @param input the {@code .npy} file in {@code dir} to predict on
   * @param shape the prediction shape jkeras must write
   */
  public static void predictAndConvertBackToKeras(
      Path dir, String name, String input, long... shape) throws IOException {
    Path model = dir.resolve(name + ".keras");
    Path x = dir.resolve(input);
    Path expected = dir.resolve(name + ".pred.npy");
    Path out = dir.resolve(name + ".cli_pred.npy");
    run("predict", model.toString(), x.toString(), out.toString());
    NpyArray y = NpyFile.read(out);
    assertArrayEquals(shape, y.shape(), name + ": jkeras predict shape");
    assertArrayEquals(
        NpyFile.read(expected).asFloats(), y.asFloats(), TOLERANCE, name + ": jkeras predict");
    Path converted = dir.resolve(name + "_converted.keras");
    run("convert", model.toString(), converted.toString());
    PythonKeras.Result r =
        PythonKeras.runCode(
            String.join(
                "\n",
                "import sys, numpy as np, keras",
                "m = keras.saving.load_model(sys.argv[1])",
                "d = np.max(np.abs(m.predict(np.load(sys.argv[2]), verbose=0) -"
                    + " np.load(sys.argv[3])))",
                "assert d <= float(sys.argv[4]), d",
                "print('converted', sys.argv[5], 'agrees', d)"),
            converted.toString(),
            x.toString(),
            expected.toString(),
            Float.toString(TOLERANCE),
            name);
    assertTrue(r.stdout().contains("converted " + name + " agrees"), r.stdout());
  }
}

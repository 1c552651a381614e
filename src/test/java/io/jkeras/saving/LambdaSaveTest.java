package io.jkeras.saving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.layers.Dense;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Lambda;
import io.jkeras.models.Model;
import io.jkeras.testing.PythonKeras;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saving a Java Lambda warns (or refuses in safe mode), and the advice given works in Python. */
class LambdaSaveTest {

  @TempDir Path dir;

  private static Model squareModel() {
    KerasTensor x = Input.of(2);
    KerasTensor y = new Lambda((tf, v) -> tf.math.mul(v, v), s -> s, "square").apply(x);
    return new Model(x, new Dense(1, "linear").apply(y));
  }

  @Test
  void savingWarnsThroughSlf4jAndPythonLoadsItWithTheAdvisedReplacement() {
    Path file = dir.resolve("lambda.keras");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream original = System.err;
    float[][] expected;
    try (Model model = squareModel()) {
      expected = model.predict(new float[][] {{1, 2}, {-3, 0.5f}});
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      try {
        model.save(file);
      } finally {
        System.setErr(original);
      }
    }
    String log = err.toString(StandardCharsets.UTF_8);
    assertTrue(log.contains("WARN"), log);
    assertTrue(log.contains("Java Lambda layer(s) [square]"), log);
    assertTrue(log.contains("custom_objects={\"Lambda\": PyLambda}"), log);

    String code =
        String.join(
            "\n",
            "import sys, keras, numpy as np",
            "class PyLambda(keras.layers.Layer):",
            "    def __init__(self, function=None, output_shape=None, arguments=None, **kw):",
            "        super().__init__(**kw)",
            "    def call(self, x):",
            "        return x * x",
            "m = keras.saving.load_model(sys.argv[1], custom_objects={'Lambda': PyLambda})",
            "p = m.predict(np.array([[1, 2], [-3, 0.5]], dtype='float32'), verbose=0)",
            "print(' '.join(repr(float(v)) for v in p.ravel()))");
    PythonKeras.Result r = PythonKeras.runCode(code, file.toString());
    assertEquals(0, r.exitCode(), r.stderr());
    String[] values = r.stdout().trim().split(" ");
    assertEquals(expected[0][0], Float.parseFloat(values[0]), 1e-5);
    assertEquals(expected[1][0], Float.parseFloat(values[1]), 1e-5);
  }

  @Test
  void safeModeRefusesBeforeWritingAnything() {
    Path file = dir.resolve("refused.keras");
    System.setProperty(KerasModelFile.SAFE_MODE_PROPERTY, "true");
    try (Model model = squareModel()) {
      model.predict(new float[][] {{1, 2}});
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> model.save(file));
      assertTrue(e.getMessage().contains("jkeras.saving.safe_mode=true refuses"), e.getMessage());
      assertTrue(e.getMessage().contains("[square]"), e.getMessage());
    } finally {
      System.clearProperty(KerasModelFile.SAFE_MODE_PROPERTY);
    }
    assertFalse(Files.exists(file));
  }
}

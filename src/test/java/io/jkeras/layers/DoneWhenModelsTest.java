package io.jkeras.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.backend.HostArray;
import io.jkeras.io.NpyArray;
import io.jkeras.io.NpyFile;
import io.jkeras.models.Model;
import io.jkeras.saving.KerasModelFile;
import io.jkeras.testing.JkerasCli;
import io.jkeras.testing.PythonKeras;
import io.jkeras.training.FitOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

/**
 * Issue 8's last "done when" models through the command line, against real Python Keras 3.15.1
 * (src/test/python/layers/done_when_models.py, two Python processes): an MLP with
 * BatchNormalization and a functional model using Add, Multiply and Reshape, both trained briefly
 * in Python, predict through {@code jkeras predict} as Keras does (1e-5), and after {@code jkeras
 * convert} Python loads them with the same predictions and weights, BatchNormalization's moving
 * mean and variance included. Once trained in Java, their summaries equal Keras's text for the
 * trained models, "Optimizer params" line and its bytes (the int64 iteration counts 8) included.
 */
class DoneWhenModelsTest {

  private static final List<String> NAMES = List.of("bn_mlp", "add_multiply_reshape");

  @Test
  void pythonModelsPredictThroughTheCommandLineAndConvertBackToKeras() throws IOException {
    Path dir = Files.createTempDirectory("jkeras-done-when-");
    try {
      PythonKeras.runScript("layers/done_when_models.py", "make", dir.toString());
      for (String name : NAMES) {
        NpyArray expected = NpyFile.read(dir.resolve(name + ".pred.npy"));
        Path model = dir.resolve(name + ".keras");
        Path out = dir.resolve(name + ".cli.npy");
        JkerasCli.run(
            "predict", model.toString(), dir.resolve(name + ".x.npy").toString(), out.toString());
        NpyArray actual = NpyFile.read(out);
        assertArrayEquals(expected.shape(), actual.shape(), name + ": prediction shape");
        assertArrayEquals(expected.asFloats(), actual.asFloats(), 1e-5f, name + ": jkeras predict");
        JkerasCli.run(
            "convert", model.toString(), dir.resolve(name + "_converted.keras").toString());
      }
      for (String name : NAMES) {
        try (Model model = KerasModelFile.load(dir.resolve(name + ".keras"))) {
          model.fit(
              List.of(floats(dir.resolve(name + ".x.npy"))),
              List.of(floats(dir.resolve(name + ".y.npy"))),
              FitOptions.epochs(1).batchSize(4).verbose(0));
          assertEquals(
              Files.readString(dir.resolve(name + ".summary.txt")).strip(),
              model.summaryString(76).strip(),
              name + ": summary after training");
        }
      }
      PythonKeras.Result r =
          PythonKeras.runScript("layers/done_when_models.py", "check", dir.toString());
      assertTrue(r.stdout().contains("bn_mlp bn_2 moving statistics survived"), r.stdout());
      assertTrue(r.stdout().contains("all checks passed"), r.stdout());
    } finally {
      try (var paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static HostArray floats(Path npy) throws IOException {
    NpyArray a = NpyFile.read(npy);
    return HostArray.ofFloats(Shape.of(a.shape()), a.asFloats());
  }
}

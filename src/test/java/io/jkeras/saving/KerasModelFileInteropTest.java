package io.jkeras.saving;

import static io.jkeras.saving.ModelFileFixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.GlobalSeed;
import io.jkeras.layers.FMLayer;
import io.jkeras.layers.LayerCatalog;
import io.jkeras.models.Model;
import io.jkeras.models.ModelRuntime;
import io.jkeras.models.Sequential;
import io.jkeras.optimizers.Adam;
import io.jkeras.testing.PythonKeras;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model files checked against real Keras 3.15 (python-interop/.venv), both ways: Java loads and
 * trains on what Python saved (.keras and legacy .h5), Python loads and trains on what Java saved,
 * and a Python file that goes through Java comes back bit for bit. Python runs twice in all (see
 * src/test/python/saving/keras_model_files.py).
 */
class KerasModelFileInteropTest {

  /** Both sides run the same float32 math, but kernels may sum in another order. */
  private static final double TOLERANCE = 1e-5;

  @TempDir Path dir;

  @Test
  void pythonKerasFilesLoadInJavaAndTrainingContinues() {
    Path py = ModelFileFixtures.pythonFiles();
    for (String arch : ModelFileFixtures.ARCHS) {
      long pyIterations = ModelFileFixtures.readLong(py.resolve("py_" + arch + ".iter.txt"));
      try (Model model = KerasModelFile.load(py.resolve("py_" + arch + ".keras"))) {
        assertEquals(arch.equals("sequential"), model instanceof Sequential, arch);
        assertClose(
            ModelFileFixtures.readF32(py.resolve("py_" + arch + ".pred.f32")),
            ModelFileFixtures.predict(model, arch),
            TOLERANCE,
            arch + ": predictions");
        assertTrue(model.isCompiled(), arch);
        assertInstanceOf(Adam.class, model.optimizer(), arch);
        assertEquals("binary_crossentropy", model.loss().name(), arch);
        assertEquals(List.of("accuracy"), model.metricNames(), arch);
        List<StoredArray> state = ModelRuntime.of(model).optimizerState();
        assertEquals(2 + 2 * model.trainableWeights().size(), state.size(), arch);
        assertEquals(pyIterations, state.get(0).longs()[0], arch + ": restored iteration");

        double before = ModelFileFixtures.loss(model, arch);
        ModelFileFixtures.fit(model, arch, 10);
        double after = ModelFileFixtures.loss(model, arch);
        assertEquals(
            pyIterations + 20,
            model.optimizer().iterations(),
            arch + ": the iteration count continues from Python's");
        assertTrue(after < before, arch + ": loss " + before + " -> " + after);
      }
    }
  }

  @Test
  void legacyH5FilesLoadWithEqualPredictions() {
    Path py = ModelFileFixtures.pythonFiles();
    // Keras 3's own legacy writer: variable-length strings, Keras 3 configs, optimizer weights.
    try (Model model = KerasModelFile.load(py.resolve("py_fm.h5"))) {
      assertClose(
          ModelFileFixtures.readF32(py.resolve("py_fm.pred.f32")),
          ModelFileFixtures.predict(model, "fm"),
          TOLERANCE,
          "py_fm.h5");
      assertTrue(model.isCompiled());
      long iterations = ModelFileFixtures.readLong(py.resolve("py_fm.iter.txt"));
      assertEquals(iterations, ModelRuntime.of(model).optimizerState().get(0).longs()[0]);
    }
    // Keras 2 layout: kfm>FMLayer with the seed's formula, [[name, 0, 0, {}]] nodes, ":0" names,
    // fixed-length strings, Adam's m/v slots by weight name.
    try (Model model = KerasModelFile.load(py.resolve("k2_fm.h5"))) {
      assertClose(
          ModelFileFixtures.readF32(py.resolve("k2_fm.pred.f32")),
          ModelFileFixtures.predict(model, "fm"),
          TOLERANCE,
          "k2_fm.h5");
      assertEquals("seed", ((FMLayer) model.getLayer("fm_layer")).interaction());
      assertTrue(model.isCompiled());
      assertEquals(List.of("binary_accuracy"), model.metricNames());
      long iterations = ModelFileFixtures.readLong(py.resolve("k2_fm.iter.txt"));
      assertEquals(iterations, ModelRuntime.of(model).optimizerState().get(0).longs()[0]);
      ModelFileFixtures.fit(model, "fm", 1);
      assertEquals(iterations + 2, model.optimizer().iterations());
    }
    // Keras 2 Sequential: no InputLayer entry, batch_input_shape on the first layer, uncompiled.
    try (Model model = KerasModelFile.load(py.resolve("k2_seq.h5"))) {
      assertInstanceOf(Sequential.class, model);
      assertFalse(model.isCompiled());
      assertClose(
          ModelFileFixtures.readF32(py.resolve("k2_seq.pred.f32")),
          ModelFileFixtures.predict(model, "sequential"),
          TOLERANCE,
          "k2_seq.h5");
    }
  }

  @Test
  void javaFilesLoadInPythonAndPythonFilesSurviveJavaBitForBit() {
    Path py = ModelFileFixtures.pythonFiles();
    GlobalSeed.set(11);
    for (String arch : List.of("fm", "dense", "sequential", "shared")) {
      try (Model model = ModelFileFixtures.build(arch)) {
        model.compile(new Adam(), "binary_crossentropy", "accuracy");
        ModelFileFixtures.fit(model, arch, 2);
        KerasModelFile.save(model, py.resolve("java_" + arch + ".keras"));
        ModelFileFixtures.writeF32(
            py.resolve("java_" + arch + ".pred.f32"), ModelFileFixtures.predict(model, arch));
        writeText(
            py.resolve("java_" + arch + ".iter.txt"),
            Long.toString(model.optimizer().iterations()));
      }
      if (arch.equals("shared")) {
        continue;
      }
      // Python -> Java -> Python, untouched in between.
      try (Model model = KerasModelFile.load(py.resolve("py_" + arch + ".keras"))) {
        KerasModelFile.save(model, py.resolve("rt_" + arch + ".keras"));
      }
    }
    PythonKeras.Result r =
        PythonKeras.runScript("saving/keras_model_files.py", "check", py.toString());
    assertTrue(r.stdout().contains("all checks passed"), r.stdout());
  }

  /**
   * Every built-in layer config Keras writes (defaults, and every option jkeras has) becomes a
   * jkeras layer whose own config is the same, key for key and in Keras's order.
   */
  @Test
  @SuppressWarnings("unchecked")
  void layerConfigsAsKerasWritesThemRoundTrip() throws Exception {
    Path py = ModelFileFixtures.pythonFiles();
    List<Object> entries =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readValue(py.resolve("layers.json").toFile(), List.class);
    assertEquals(21, entries.size());
    for (Object e : entries) {
      Map<String, Object> expected = normalized((Map<String, Object>) e);
      Map<String, Object> config = (Map<String, Object>) expected.get("config");
      io.jkeras.layers.Layer layer =
          LayerCatalog.create(
              (String) expected.get("class_name"),
              (String) expected.get("registered_name"),
              (String) config.get("name"),
              config,
              true);
      Map<String, Object> actual = normalized(LayerCatalog.entry(layer));
      if (layer instanceof FMLayer) {
        expected.put("module", null); // Python names the module that registered it
      }
      assertEquals(expected.toString(), actual.toString(), "layer " + config.get("name"));
    }
  }

  /** Through JSON (as files hold it), without Python's object ids. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> normalized(Map<String, Object> entry) {
    Map<String, Object> copy = KerasJson.parseObject(KerasJson.write(entry), "entry");
    stripIds(copy);
    return copy;
  }

  @SuppressWarnings("unchecked")
  private static void stripIds(Object v) {
    if (v instanceof Map<?, ?> m) {
      m.remove("shared_object_id");
      m.values().forEach(KerasModelFileInteropTest::stripIds);
    } else if (v instanceof List<?> l) {
      l.forEach(KerasModelFileInteropTest::stripIds);
    }
  }

  @Test
  void damagedLegacyFilesAreReported() throws Exception {
    Path py = ModelFileFixtures.pythonFiles();
    byte[] h5 = java.nio.file.Files.readAllBytes(py.resolve("k2_fm.h5"));
    Path cut = dir.resolve("cut.h5");
    java.nio.file.Files.write(cut, java.util.Arrays.copyOf(h5, h5.length - 500));
    KerasFileException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            KerasFileException.class, () -> KerasModelFile.load(cut));
    assertTrue(e.getMessage().contains("cut.h5: truncated"), e.getMessage());

    // A weights-only file is HDF5 too, but not a model.
    Path weights = dir.resolve("only.weights.h5");
    try (Model m = ModelFileFixtures.build("sequential")) {
      m.saveWeights(weights);
    }
    KerasFileException w =
        org.junit.jupiter.api.Assertions.assertThrows(
            KerasFileException.class, () -> KerasModelFile.load(weights));
    assertTrue(w.getMessage().contains("without a \"model_config\" attribute"), w.getMessage());
  }

  private static void writeText(Path p, String text) {
    try {
      java.nio.file.Files.writeString(p, text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

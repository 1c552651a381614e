package io.jkeras.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.backend.HostArray;
import io.jkeras.config.ConfigException;
import io.jkeras.io.NpyArray;
import io.jkeras.io.NpyFile;
import io.jkeras.models.Model;
import io.jkeras.saving.KerasModelFile;
import io.jkeras.testing.PythonKeras;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * HashedCrossing against real Python Keras 3.15.1, both ways, in two Python processes
 * (src/test/python/layers/hashed_crossing.py): Python's models crossing string, int32 and int64
 * inputs (shapes (batch,) and (batch, 1), "int" and "one_hot" output, an int32 dtype feeding an
 * Embedding) load in Java and give Keras's bins exactly, including int64 values near 1e15 and the
 * whole int32 range; Java saves them again and builds the same models with its own API; Python
 * loads every Java file, predicts its own numbers and finds the same layer configs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HashedCrossingInteropTest {

  /** The Java twins of the Python cases: input dtypes and sample shapes, and the head. */
  record Case(List<String> dtypes, long[] sample, Function<List<KerasTensor>, KerasTensor> head) {}

  static final Map<String, Case> CASES = new LinkedHashMap<>();

  static {
    CASES.put(
        "string_int32",
        new Case(
            List.of("string", "int32"),
            new long[] {1},
            xs -> new HashedCrossing(5, "int", null, "cross").apply(xs).get(0)));
    CASES.put(
        "int64_int32_scalars_large",
        new Case(
            List.of("int64", "int32"),
            new long[0],
            xs -> new HashedCrossing(1 << 20, "int", null, "cross").apply(xs).get(0)));
    CASES.put(
        "strings_one_hot",
        new Case(
            List.of("string", "string"),
            new long[] {1},
            xs -> new HashedCrossing(7, "one_hot", null, "cross").apply(xs).get(0)));
    CASES.put(
        "int32_dtype_to_embedding",
        new Case(
            List.of("int64", "string"),
            new long[] {1},
            xs -> {
              KerasTensor bins = new HashedCrossing(11, "int", "int32", "cross").apply(xs).get(0);
              KerasTensor v = Embedding.builder(11, 3).name("embedding").build().apply(bins);
              return Dense.builder(2).name("dense").build().apply(new Flatten("flatten").apply(v));
            }));
    CASES.put(
        "scalars_one_hot",
        new Case(
            List.of("int64", "string"),
            new long[0],
            xs -> new HashedCrossing(4, "one_hot", null, "cross").apply(xs).get(0)));
  }

  @TempDir static Path dir;

  @BeforeAll
  static void pythonMakesTheFiles() {
    PythonKeras.runScript("layers/hashed_crossing.py", "make", dir.toString());
  }

  @Test
  @Order(1)
  void pythonFilesGiveKerasBinsInJavaAndSaveAgain() throws IOException {
    for (String name : CASES.keySet()) {
      float[] expected = read(dir.resolve(name + ".pred.npy")).asFloats();
      try (Model model = KerasModelFile.load(dir.resolve(name + ".keras"))) {
        assertArrayEquals(expected, predict(model, name), 1e-5f, name);
        KerasModelFile.save(model, dir.resolve("java_" + name + ".keras"));
      }
    }
  }

  @Test
  @Order(2)
  void javaBuiltTwinsPredictAsKeras() throws IOException {
    for (Map.Entry<String, Case> e : CASES.entrySet()) {
      String name = e.getKey();
      Case c = e.getValue();
      float[] expected = read(dir.resolve(name + ".pred.npy")).asFloats();
      List<KerasTensor> inputs = new ArrayList<>();
      for (int i = 0; i < c.dtypes().size(); i++) {
        inputs.add(Input.named("in" + i, c.dtypes().get(i), c.sample()));
      }
      try (Model python = KerasModelFile.load(dir.resolve(name + ".keras"));
          Model built = new Model(inputs, List.of(c.head().apply(inputs)), name)) {
        built.setWeights(python.getWeights());
        assertArrayEquals(expected, predict(built, name), 1e-5f, name + ": Java-built");
        KerasModelFile.save(built, dir.resolve("jb_" + name + ".keras"));
      }
    }
  }

  @Test
  @Order(3)
  void pythonLoadsWhatJavaWrote() {
    PythonKeras.Result r =
        PythonKeras.runScript("layers/hashed_crossing.py", "check", dir.toString());
    assertTrue(r.stdout().contains("all checks passed"), r.stdout());
  }

  @Test
  void badArgumentsAndInputsAreRefusedNamingTheLayer() {
    assertEquals(
        "HashedCrossing: num_bins must be a positive integer, got 0",
        assertThrows(IllegalArgumentException.class, () -> new HashedCrossing(0)).getMessage());
    assertEquals(
        "HashedCrossing: output_mode must be \"int\" or \"one_hot\", got \"count\"",
        assertThrows(
                IllegalArgumentException.class, () -> new HashedCrossing(3, "count", null, null))
            .getMessage());
    ConfigException sparse =
        assertThrows(
            ConfigException.class,
            () ->
                HashedCrossing.fromConfig(
                    Map.of("num_bins", 3, "output_mode", "one_hot", "sparse", true)));
    assertTrue(
        sparse.getMessage().contains("HashedCrossing") && sparse.getMessage().contains("sparse"),
        sparse.getMessage());
    ConfigException dtype =
        assertThrows(
            ConfigException.class,
            () -> HashedCrossing.fromConfig(Map.of("num_bins", 3, "dtype", "float32")));
    assertTrue(
        dtype.getMessage().contains("dtype \"float32\" is not supported"), dtype.getMessage());

    KerasTensor s = Input.of("string", 1);
    KerasTensor i = Input.of("int64", 1);
    assertRefused(
        "takes a list of two inputs, got 3",
        () -> new HashedCrossing(3, "int", null, "hc").apply(List.of(s, i, i)));
    assertRefused(
        "inputs must have an integer or string dtype, got [string, float32]",
        () -> new HashedCrossing(3, "int", null, "hc").apply(List.of(s, Input.of(1))));
    assertRefused(
        "inputs must have shape (batch,) or (batch, 1), got (None, 2)",
        () ->
            new HashedCrossing(3, "int", null, "hc")
                .apply(List.of(Input.of("string", 2), Input.of("int64", 2))));
    assertRefused(
        "inputs must all have one shape, got (None, 1) and (None,)",
        () -> new HashedCrossing(3, "int", null, "hc").apply(List.of(s, Input.of("int64"))));
  }

  private static void assertRefused(String detail, Runnable call) {
    RuntimeException e = assertThrows(RuntimeException.class, call::run);
    assertTrue(e.getMessage().contains("Layer \"hc\" (HashedCrossing): " + detail), e.getMessage());
  }

  private static NpyArray read(Path file) {
    try {
      return NpyFile.read(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static float[] predict(Model model, String name) {
    List<HostArray> xs = new ArrayList<>();
    for (int i = 0; i < CASES.get(name).dtypes().size(); i++) {
      NpyArray x = read(dir.resolve(name + ".x" + i + ".npy"));
      Shape shape = Shape.of(x.shape());
      xs.add(
          x.isStrings()
              ? HostArray.ofStrings(shape, x.asStrings())
              : x.dtype().equals("int32")
                  ? HostArray.ofInts(shape, x.asInts())
                  : HostArray.ofLongs(shape, x.asLongs()));
    }
    FloatNdArray y = model.predict(xs, 32).get(0);
    float[] out = new float[(int) y.size()];
    y.copyTo(DataBuffers.of(out, false, false));
    return out;
  }
}

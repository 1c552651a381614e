package io.jkeras.savedmodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jkeras.backend.HostArray;
import io.jkeras.io.NpyArray;
import io.jkeras.io.NpyFile;
import io.jkeras.layers.Concatenate;
import io.jkeras.layers.Dense;
import io.jkeras.layers.Embedding;
import io.jkeras.layers.FMLayer;
import io.jkeras.layers.GlobalAveragePooling1D;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.models.Model;
import io.jkeras.testing.PythonKeras;
import io.jkeras.training.FitOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.IntNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DataType;

/**
 * SavedModels checked against TensorFlow 2.21 / Keras 3 (python-interop/.venv), with one Python
 * process for everything (src/test/python/savedmodel/interop.py): Python runs the SavedModels that
 * jkeras exported, and writes SavedModels with {@code model.export} and {@code tf.saved_model.save}
 * that jkeras then loads and runs.
 */
class SavedModelInteropTest {

  /** Java and Python run the same float32 graphs, but kernels may sum in another order. */
  private static final double TOLERANCE = 1e-5;

  @TempDir static Path work;

  /** A model jkeras exported: its inputs, its predictions, and what Python must find. */
  record JavaCase(
      Path dir,
      Map<String, NdArray<?>> inputs,
      List<FloatNdArray> predictions,
      int weightCount,
      List<String> inputDtypes,
      List<Shape> inputShapes) {}

  private static final Map<String, JavaCase> JAVA = new LinkedHashMap<>();
  private static JsonNode report;

  @BeforeAll
  static void exportFromJavaAndRunPython() throws IOException {
    Random rnd = new Random(5);
    int n = 12;

    // Dense, trained one epoch so that the live graph holds Adam slots that must not be exported.
    KerasTensor features = Input.named("features", "float32", 5);
    KerasTensor hidden = new Dense(4, "relu").apply(features);
    KerasTensor scores = new Dense(2).apply(hidden);
    FloatNdArray xDense = gaussian(rnd, n, 5);
    try (Model m = new Model(List.of(features), List.of(scores), "dense_model")) {
      m.compile("adam", "mse");
      m.fit(
          HostArray.of(xDense),
          HostArray.of(gaussian(rnd, n, 2)),
          FitOptions.epochs(1).verbose(0).batchSize(4));
      record(m, "dense", Map.of("features", xDense));
    }

    KerasTensor x = Input.named("x", "float32", 6);
    KerasTensor fmOut = new Dense(1, "sigmoid").apply(new FMLayer(4, 3).apply(x));
    FloatNdArray xFm = gaussian(rnd, n, 6);
    try (Model m = new Model(List.of(x), List.of(fmOut), "fm_model")) {
      record(m, "fm", Map.of("x", xFm));
    }

    // The int32-input model of the brief: Embedding -> pooling -> FM -> sigmoid.
    KerasTensor ids = Input.named("ids", "int32", 20);
    KerasTensor pooled = new GlobalAveragePooling1D().apply(new Embedding(100, 8).apply(ids));
    KerasTensor prob = new Dense(1, "sigmoid").apply(new FMLayer(8, 4).apply(pooled));
    IntNdArray xIds = NdArrays.ofInts(Shape.of(n, 20));
    xIds.scalars().forEach(s -> s.setInt(rnd.nextInt(100)));
    try (Model m = new Model(List.of(ids), List.of(prob), "ids_model")) {
      m.compile("adam", "binary_crossentropy");
      float[] labels = new float[n];
      for (int i = 0; i < n; i++) {
        labels[i] = i % 2;
      }
      m.fit(HostArray.of(xIds), HostArray.of(labels), FitOptions.epochs(1).verbose(0));
      record(m, "ids", Map.of("ids", xIds));
    }

    // Two inputs, two outputs.
    KerasTensor a = Input.named("a", "float32", 4);
    KerasTensor b = Input.named("b", "float32", 3);
    KerasTensor ha = new Dense(5, "tanh").apply(a);
    KerasTensor hb = new Dense(2).apply(b);
    KerasTensor cat = new Concatenate().apply(ha, hb);
    KerasTensor o1 = new Dense(3).apply(cat);
    KerasTensor o2 = new Dense(1, "sigmoid").apply(hb);
    Map<String, NdArray<?>> twoInputs = new LinkedHashMap<>();
    twoInputs.put("a", gaussian(rnd, n, 4));
    twoInputs.put("b", gaussian(rnd, n, 3));
    try (Model m = new Model(List.of(a, b), List.of(o1, o2), "two_model")) {
      record(m, "two", twoInputs);
    }

    ObjectMapper json = new ObjectMapper();
    Map<String, Object> manifest = new LinkedHashMap<>();
    for (Map.Entry<String, JavaCase> e : JAVA.entrySet()) {
      Map<String, String> inputFiles = new LinkedHashMap<>();
      for (Map.Entry<String, NdArray<?>> in : e.getValue().inputs().entrySet()) {
        Path f = work.resolve("java").resolve(e.getKey() + ".in." + in.getKey() + ".npy");
        NpyFile.write(f, toNpy(in.getValue()));
        inputFiles.put(in.getKey(), f.toString());
      }
      manifest.put(e.getKey(), Map.of("dir", e.getValue().dir().toString(), "inputs", inputFiles));
    }
    Path manifestFile = work.resolve("java/manifest.json");
    json.writeValue(manifestFile.toFile(), manifest);
    Path pyDir = Files.createDirectories(work.resolve("python"));

    PythonKeras.Result r =
        PythonKeras.runScript("savedmodel/interop.py", manifestFile.toString(), pyDir.toString());
    String[] lines = r.stdout().strip().split("\n");
    report = json.readTree(lines[lines.length - 1]);
  }

  private static void record(Model m, String name, Map<String, NdArray<?>> inputs)
      throws IOException {
    List<HostArray> xs = new ArrayList<>();
    List<String> dtypes = new ArrayList<>();
    List<Shape> shapes = new ArrayList<>();
    for (KerasTensor t : m.inputs()) {
      xs.add(HostArray.of(inputs.get(t.layer().name())));
      dtypes.add(t.dtype());
      shapes.add(t.shape());
    }
    List<FloatNdArray> predictions = m.predict(xs, 32);
    Path dir = Files.createDirectories(work.resolve("java")).resolve(name);
    SavedModelExporter.export(m, dir);
    JAVA.put(name, new JavaCase(dir, inputs, predictions, m.weights().size(), dtypes, shapes));
  }

  // ---- Java -> Python ------------------------------------------------------------------------

  @Test
  void pythonSignatureAndTfsmLayerPredictLikeJava() throws IOException {
    for (Map.Entry<String, JavaCase> e : JAVA.entrySet()) {
      List<FloatNdArray> expected = e.getValue().predictions();
      for (int k = 0; k < expected.size(); k++) {
        for (String route : List.of("sig", "tfsm")) {
          Path f = work.resolve("java").resolve(e.getKey() + "." + route + ".output_" + k + ".npy");
          assertClose(expected.get(k), NpyFile.read(f), e.getKey() + " " + route + " output_" + k);
        }
      }
    }
  }

  @Test
  void pythonSeesKerasSignaturesAndOnlyTheModelWeights() {
    for (Map.Entry<String, JavaCase> e : JAVA.entrySet()) {
      JavaCase c = e.getValue();
      JsonNode seen = report.path("java").path(e.getKey());
      assertEquals(
          "[\"serve\",\"serving_default\"]", seen.path("signatures").toString(), e.getKey());
      List<String> keys = new ArrayList<>(c.inputs().keySet());
      assertEquals(keys.size(), seen.path("inputs").size(), e.getKey());
      for (int i = 0; i < keys.size(); i++) {
        JsonNode spec = seen.path("inputs").path(keys.get(i));
        assertEquals(c.inputDtypes().get(i), spec.path("dtype").asText(), e.getKey());
        assertEquals(shapeJson(c.inputShapes().get(i)), spec.path("shape").toString());
      }
      for (int k = 0; k < c.predictions().size(); k++) {
        JsonNode spec = seen.path("outputs").path("output_" + k);
        assertEquals("float32", spec.path("dtype").asText(), e.getKey());
        long[] dims = c.predictions().get(k).shape().asArray();
        dims[0] = -1;
        assertEquals(shapeJson(Shape.of(dims)), spec.path("shape").toString(), e.getKey());
      }
      assertEquals(c.predictions().size(), seen.path("outputs").size(), e.getKey());
      // Exactly the model's weights: no Adam moments, no iteration counter.
      assertEquals(
          c.weightCount(),
          seen.path("variables").size(),
          e.getKey() + " " + seen.path("variables"));
    }
  }

  @Test
  void javaReloadsItsOwnExportsWithTheSameSignaturesAndPredictions() {
    for (Map.Entry<String, JavaCase> e : JAVA.entrySet()) {
      JavaCase c = e.getValue();
      try (LoadedSavedModel m = SavedModel.load(c.dir())) {
        assertEquals(List.of("serve", "serving_default"), List.copyOf(m.signatures().keySet()));
        for (SignatureSpec s : m.signatures().values()) {
          assertEquals("tensorflow/serving/predict", s.methodName());
          assertEquals(List.copyOf(c.inputs().keySet()), List.copyOf(s.inputs().keySet()));
          List<String> outs = new ArrayList<>();
          for (int k = 0; k < c.predictions().size(); k++) {
            outs.add("output_" + k);
          }
          assertEquals(outs, List.copyOf(s.outputs().keySet()));
          int i = 0;
          for (TensorSpec in : s.inputs().values()) {
            assertEquals(c.inputDtypes().get(i), in.dtype());
            assertArrayEquals(c.inputShapes().get(i).asArray(), in.shape().asArray());
            i++;
          }
        }
        long variables = 0;
        for (var it = m.metaGraphDef().getGraphDef().getNodeList().iterator(); it.hasNext(); ) {
          if (it.next().getOp().equals("VariableV2")) {
            variables++;
          }
        }
        assertEquals(c.weightCount(), variables, e.getKey());
        Map<String, NdArray<?>> out = m.run("serving_default", c.inputs());
        for (int k = 0; k < c.predictions().size(); k++) {
          assertClose(
              c.predictions().get(k),
              (FloatNdArray) out.get("output_" + k),
              1e-6,
              e.getKey() + " output_" + k);
        }
        // Both signatures run the same function.
        Map<String, NdArray<?>> serve = m.run("serve", c.inputs());
        assertEquals(out, serve);
      }
    }
  }

  // ---- Python -> Java ------------------------------------------------------------------------

  @Test
  void javaLoadsPythonExportsWithTheirSignaturesAndPredictsLikeKeras() throws IOException {
    JsonNode made = report.path("python");
    List<String> expectedDirs =
        List.of("dense_export", "dense_tfsave", "fm_export", "fm_tfsave", "ids_export");
    assertEquals(expectedDirs.size(), made.size(), made.toString());
    Map<String, String> inputKey = Map.of("dense", "features", "fm", "x", "ids", "ids");
    Map<String, Long> width = Map.of("dense", 4L, "fm", 6L, "ids", 20L);
    Map<String, Long> outWidth = Map.of("dense", 1L, "fm", 1L, "ids", 2L);
    for (String name : expectedDirs) {
      String base = name.substring(0, name.indexOf('_'));
      boolean viaExport = name.endsWith("_export");
      Path dir = Path.of(made.path(name).asText());
      NpyArray x = NpyFile.read(work.resolve("python").resolve(base + ".x.npy"));
      NpyArray expected = NpyFile.read(work.resolve("python").resolve(base + ".pred.npy"));
      try (LoadedSavedModel m = SavedModel.load(dir)) {
        assertEquals(report.path("tensorflow").asText(), m.writerVersion(), name);
        assertEquals(
            viaExport ? List.of("serve", "serving_default") : List.of("serving_default"),
            List.copyOf(m.signatures().keySet()),
            name);
        for (SignatureSpec s : m.signatures().values()) {
          assertEquals("tensorflow/serving/predict", s.methodName(), name);
          // model.export keys inputs by input name; tf.saved_model.save by the call argument.
          String key = viaExport ? inputKey.get(base) : "inputs";
          assertEquals(List.of(key), List.copyOf(s.inputs().keySet()), name);
          TensorSpec in = s.inputs().get(key);
          assertEquals(base.equals("ids") ? "int32" : "float32", in.dtype(), name);
          assertEquals(
              base.equals("ids") ? DataType.DT_INT32 : DataType.DT_FLOAT, in.dataType(), name);
          assertArrayEquals(new long[] {-1, width.get(base)}, in.shape().asArray(), name);
          assertEquals(List.of("output_0"), List.copyOf(s.outputs().keySet()), name);
          assertEquals("float32", s.outputs().get("output_0").dtype(), name);
          assertArrayEquals(
              new long[] {-1, outWidth.get(base)},
              s.outputs().get("output_0").shape().asArray(),
              name);
        }
        NdArray<?> input =
            base.equals("ids")
                ? NdArrays.wrap(Shape.of(x.shape()), DataBuffers.of(x.asInts(), true, false))
                : NdArrays.wrap(Shape.of(x.shape()), DataBuffers.of(x.asFloats(), true, false));
        for (String sig : m.signatures().keySet()) {
          String key = m.signature(sig).inputs().keySet().iterator().next();
          FloatNdArray y = (FloatNdArray) m.run(sig, Map.of(key, input)).get("output_0");
          assertClose(y, expected, name + " " + sig);
        }
        assertClose((FloatNdArray) m.predict(input), expected, name + " predict");
      }
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static FloatNdArray gaussian(Random rnd, int rows, int cols) {
    FloatNdArray a = NdArrays.ofFloats(Shape.of(rows, cols));
    a.scalars().forEach(s -> s.setFloat((float) rnd.nextGaussian()));
    return a;
  }

  private static NpyArray toNpy(NdArray<?> a) {
    long[] shape = a.shape().asArray();
    if (a instanceof FloatNdArray f) {
      float[] v = new float[(int) a.size()];
      f.copyTo(DataBuffers.of(v, false, false));
      return NpyArray.ofFloats(shape, v);
    }
    int[] v = new int[(int) a.size()];
    ((IntNdArray) a).copyTo(DataBuffers.of(v, false, false));
    return NpyArray.ofInts(shape, v);
  }

  private static String shapeJson(Shape s) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < s.numDimensions(); i++) {
      sb.append(i > 0 ? "," : "").append(s.size(i));
    }
    return sb.append(']').toString();
  }

  /** Java's values and Python's agree within {@link #TOLERANCE}. */
  private static void assertClose(FloatNdArray java, NpyArray python, String what) {
    assertArrayEquals(java.shape().asArray(), python.shape(), what + ": shape");
    assertTrue(python.size() > 0, what + ": no values");
    FloatNdArray expected = java;
    NpyArray actual = python;
    float[] a = actual.asFloats();
    float[] e = new float[a.length];
    expected.copyTo(DataBuffers.of(e, false, false));
    for (int i = 0; i < a.length; i++) {
      assertEquals(e[i], a[i], TOLERANCE, what + " at " + i);
    }
  }

  private static void assertClose(
      FloatNdArray expected, FloatNdArray actual, double tol, String what) {
    assertArrayEquals(expected.shape().asArray(), actual.shape().asArray(), what + ": shape");
    float[] e = new float[(int) expected.size()];
    float[] a = new float[(int) actual.size()];
    expected.copyTo(DataBuffers.of(e, false, false));
    actual.copyTo(DataBuffers.of(a, false, false));
    for (int i = 0; i < e.length; i++) {
      assertEquals(e[i], a[i], tol, what + " at " + i);
    }
  }
}

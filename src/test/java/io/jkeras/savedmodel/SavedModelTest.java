package io.jkeras.savedmodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.backend.HostArray;
import io.jkeras.backend.SessionOptions;
import io.jkeras.layers.Dense;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Lambda;
import io.jkeras.models.Model;
import io.jkeras.models.ModelRuntime;
import io.jkeras.training.FitOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.TensorFlow;
import org.tensorflow.ndarray.BooleanNdArray;
import org.tensorflow.ndarray.DoubleNdArray;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.IntNdArray;
import org.tensorflow.ndarray.LongNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/** SavedModel export and import without Python: errors, atomic export, dtypes, threads. */
class SavedModelTest {

  @TempDir static Path shared;
  @TempDir Path dir;

  /** A Dense model exported once: input "features" (None, 4), outputs output_0 (None, 2). */
  private static Path exported;

  private static float[][] sample;
  private static float[][] expected;

  @BeforeAll
  static void exportFixture() {
    Random rnd = new Random(1);
    sample = new float[5][4];
    for (float[] row : sample) {
      for (int j = 0; j < 4; j++) {
        row[j] = (float) rnd.nextGaussian();
      }
    }
    try (Model m = denseModel()) {
      expected = m.predict(sample);
      exported = shared.resolve("dense/1");
      SavedModel.export(m, exported);
    }
  }

  private static Model denseModel() {
    KerasTensor x = Input.named("features", "float32", 4);
    KerasTensor h = new Dense(3, "relu").apply(x);
    return new Model(x, new Dense(2).apply(h));
  }

  private static FloatNdArray features(int rows) {
    float[][] x = new float[rows][4];
    for (int i = 0; i < rows; i++) {
      x[i] = sample[i % sample.length].clone();
    }
    return StdArrays.ndCopyOf(x);
  }

  // ---- loading errors ------------------------------------------------------------------------

  @Test
  void missingDirectoryNamesIt() {
    Path missing = dir.resolve("nothing/here");
    SavedModelException e = assertThrows(SavedModelException.class, () -> SavedModel.load(missing));
    assertEquals(missing, e.directory());
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("no such directory"), e.getMessage());
  }

  @Test
  void randomDirectoryIsNotASavedModel() throws IOException {
    Files.writeString(dir.resolve("notes.txt"), "hello");
    SavedModelException e = assertThrows(SavedModelException.class, () -> SavedModel.load(dir));
    assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    assertTrue(
        e.getMessage().contains("not a SavedModel: there is no saved_model.pb"), e.getMessage());
  }

  @Test
  void corruptSavedModelPbAndFilesAreRefused() throws IOException {
    Files.write(dir.resolve("saved_model.pb"), new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
    SavedModelException e = assertThrows(SavedModelException.class, () -> SavedModel.load(dir));
    assertTrue(
        e.getMessage().contains("cannot be read as a SavedModel protocol buffer"), e.getMessage());

    Path file = Files.writeString(dir.resolve("model.keras"), "zip");
    e = assertThrows(SavedModelException.class, () -> SavedModel.load(file));
    assertTrue(e.getMessage().contains("it is a file, not a directory"), e.getMessage());
    assertTrue(e.getMessage().contains(".keras"), e.getMessage());
  }

  @Test
  void unknownTagsListTheTagSetsThere() {
    SavedModelException e =
        assertThrows(SavedModelException.class, () -> SavedModel.load(exported, "train"));
    assertTrue(
        e.getMessage().contains("no MetaGraph with tags [train]; its tag sets are [[serve]]"),
        e.getMessage());
  }

  // ---- running errors ------------------------------------------------------------------------

  @Test
  void unknownSignatureNamesTheOnesThere() {
    try (LoadedSavedModel m = SavedModel.load(exported)) {
      SavedModelException e =
          assertThrows(
              SavedModelException.class, () -> m.run("predict", Map.of("features", features(1))));
      assertTrue(e.getMessage().contains(exported.toString()), e.getMessage());
      assertTrue(
          e.getMessage()
              .contains("no signature \"predict\"; its signatures are [serve, serving_default]"),
          e.getMessage());
    }
  }

  @Test
  void wrongInputKeysDtypesAndShapesNameSignatureKeyExpectedAndActual() {
    try (LoadedSavedModel m = SavedModel.load(exported)) {
      String sig = "serving_default";
      SavedModelException e =
          assertThrows(SavedModelException.class, () -> m.run(sig, Map.of("feature", features(1))));
      assertTrue(
          e.getMessage()
              .contains(
                  "signature \"serving_default\" has no input \"feature\"; its inputs are"
                      + " [features]"),
          e.getMessage());

      e = assertThrows(SavedModelException.class, () -> m.run(sig, Map.of()));
      assertTrue(
          e.getMessage().contains("signature \"serving_default\" input \"features\" is missing"),
          e.getMessage());

      IntNdArray ints = NdArrays.ofInts(Shape.of(2, 4));
      e = assertThrows(SavedModelException.class, () -> m.run(sig, Map.of("features", ints)));
      assertTrue(
          e.getMessage()
              .contains(
                  "signature \"serving_default\" input \"features\": expected dtype float32, got"
                      + " int32"),
          e.getMessage());

      DoubleNdArray doubles = NdArrays.ofDoubles(Shape.of(2, 4));
      e = assertThrows(SavedModelException.class, () -> m.run(sig, Map.of("features", doubles)));
      assertTrue(e.getMessage().contains("expected dtype float32, got float64"), e.getMessage());

      FloatNdArray wide = NdArrays.ofFloats(Shape.of(2, 5));
      e = assertThrows(SavedModelException.class, () -> m.run(sig, Map.of("features", wide)));
      assertTrue(
          e.getMessage()
              .contains(
                  "signature \"serving_default\" input \"features\": expected shape (None, 4),"
                      + " got (2, 5)"),
          e.getMessage());

      FloatNdArray flat = NdArrays.ofFloats(Shape.of(4));
      e = assertThrows(SavedModelException.class, () -> m.run(sig, Map.of("features", flat)));
      assertTrue(e.getMessage().contains("expected shape (None, 4), got (4,)"), e.getMessage());

      // The model still runs after refused calls.
      assertArrayEquals(expected, m.predict(sample));
    }
  }

  @Test
  void predictConveniencesNeedOneInputAndOneOutput() throws IOException {
    try (LoadedSavedModel m = SavedModel.load(exported)) {
      assertArrayEquals(expected, m.predict(sample));
      FloatNdArray y = (FloatNdArray) m.predict(features(5));
      assertArrayEquals(expected, StdArrays.array2dCopyOf(y));
      Map<String, NdArray<?>> out = m.run(Map.of("features", features(5)));
      assertEquals(List.of("output_0"), List.copyOf(out.keySet()));
    }
    Path two = dir.resolve("two");
    KerasTensor a = Input.named("a", "float32", 2);
    KerasTensor b = Input.named("b", "float32", 2);
    try (Model model =
        new Model(List.of(a, b), List.of(new Dense(1).apply(a), new Dense(1).apply(b)))) {
      SavedModel.export(model, two);
    }
    try (LoadedSavedModel m = SavedModel.load(two)) {
      SavedModelException e =
          assertThrows(SavedModelException.class, () -> m.predict(new float[][] {{1, 2}}));
      assertTrue(
          e.getMessage().contains("predict needs a signature with one input and one output"),
          e.getMessage());
    }
  }

  @Test
  void closedModelRefusesRuns() {
    LoadedSavedModel m = SavedModel.load(exported);
    m.close();
    m.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.predict(sample));
    assertTrue(e.getMessage().contains("is closed"), e.getMessage());
  }

  // ---- metadata and dtypes -------------------------------------------------------------------

  @Test
  void exportRecordsKerasSignaturesAndTheRuntimeVersion() {
    try (LoadedSavedModel m = SavedModel.load(exported)) {
      assertEquals(TensorFlow.version(), m.writerVersion());
      assertEquals(List.of("serve"), m.tags());
      assertEquals(List.of("serve", "serving_default"), List.copyOf(m.signatures().keySet()));
      SignatureSpec s = m.defaultSignature();
      assertEquals("serving_default", s.key());
      assertEquals("tensorflow/serving/predict", s.methodName());
      TensorSpec in = s.inputs().get("features");
      assertEquals(DataType.DT_FLOAT, in.dataType());
      assertEquals("float32", in.dtype());
      assertArrayEquals(new long[] {-1, 4}, in.shape().asArray());
      TensorSpec out = s.outputs().get("output_0");
      assertEquals("output_0:0", out.tensorName());
      assertArrayEquals(new long[] {-1, 2}, out.shape().asArray());
      assertEquals(s.signatureDef(), m.signatureDefs().get("serving_default"));
      assertEquals(
          s.inputs().get("features").tensorName(),
          m.signature("serve").inputs().get("features").tensorName());
    }
  }

  /** A hand-made SavedModel with float64, int32, int64 and bool tensors, one of unknown rank. */
  @Test
  void runsFloat64Int32Int64AndBoolTensors() throws IOException {
    Path calc = dir.resolve("calc");
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat64> d =
          tf.withName("d").placeholder(TFloat64.class, Placeholder.shape(Shape.of(-1, 2)));
      Placeholder<TInt32> i =
          tf.withName("i").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, 3)));
      Placeholder<TInt64> l =
          tf.withName("l").placeholder(TInt64.class, Placeholder.shape(Shape.of(-1)));
      Placeholder<TBool> b = tf.withName("b").placeholder(TBool.class);
      Signature sig =
          Signature.builder()
              .key("calc")
              .methodName("tensorflow/serving/predict")
              .input("d", d)
              .input("i", i)
              .input("l", l)
              .input("b", b)
              .output("twice", tf.math.mul(d, tf.constant(2.0)))
              .output("row_sum", tf.reduceSum(i, tf.constant(1)))
              .output("next", tf.math.add(l, tf.constant(1L)))
              .output("not", tf.math.logicalNot(b))
              .build();
      SavedModelBundle.exporter(calc.toString())
          .withFunction(SessionFunction.create(sig, s))
          .export();
    }
    try (LoadedSavedModel m = SavedModel.load(calc)) {
      SignatureSpec s = m.defaultSignature(); // the only signature
      assertEquals("calc", s.key());
      assertEquals(List.of("b", "d", "i", "l"), List.copyOf(s.inputs().keySet()));
      assertEquals("bool", s.inputs().get("b").dtype());
      assertFalse(s.inputs().get("b").hasKnownRank());
      assertEquals("float64", s.inputs().get("d").dtype());
      assertEquals("int64", s.outputs().get("next").dtype());

      Map<String, NdArray<?>> in = new LinkedHashMap<>();
      in.put("d", StdArrays.ndCopyOf(new double[][] {{1.5, -2}}));
      in.put("i", StdArrays.ndCopyOf(new int[][] {{1, 2, 3}, {4, 5, 6}}));
      in.put("l", StdArrays.ndCopyOf(new long[] {41, 9_000_000_000L}));
      in.put("b", StdArrays.ndCopyOf(new boolean[][][] {{{true, false}}}));
      Map<String, NdArray<?>> out = m.run("calc", in);
      assertArrayEquals(
          new double[][] {{3, -4}},
          StdArrays.array2dCopyOf(assertInstanceOf(DoubleNdArray.class, out.get("twice"))));
      assertArrayEquals(
          new int[] {6, 15},
          StdArrays.array1dCopyOf(assertInstanceOf(IntNdArray.class, out.get("row_sum"))));
      assertArrayEquals(
          new long[] {42, 9_000_000_001L},
          StdArrays.array1dCopyOf(assertInstanceOf(LongNdArray.class, out.get("next"))));
      BooleanNdArray not = assertInstanceOf(BooleanNdArray.class, out.get("not"));
      assertArrayEquals(new long[] {1, 1, 2}, not.shape().asArray());
      assertFalse(not.getBoolean(0, 0, 0));
      assertTrue(not.getBoolean(0, 0, 1));

      in.put("l", StdArrays.ndCopyOf(new int[] {41}));
      SavedModelException e = assertThrows(SavedModelException.class, () -> m.run("calc", in));
      assertTrue(
          e.getMessage()
              .contains("signature \"calc\" input \"l\": expected dtype int64, got int32"),
          e.getMessage());
    }
  }

  @Test
  void opsFromANewerTensorFlowGiveAnErrorThatPointsToKerasFiles() throws IOException {
    Path future = dir.resolve("future");
    copyTree(exported, future);
    Path pb = future.resolve("saved_model.pb");
    org.tensorflow.proto.SavedModel.Builder sm =
        org.tensorflow.proto.SavedModel.parseFrom(Files.readAllBytes(pb)).toBuilder();
    sm.getMetaGraphsBuilder(0).getMetaInfoDefBuilder().setTensorflowVersion("9.99.0");
    sm.getMetaGraphsBuilder(0)
        .getGraphDefBuilder()
        .addNode(NodeDef.newBuilder().setName("future").setOp("OpFromTensorFlow999"));
    Files.write(pb, sm.build().toByteArray());
    SavedModelException e = assertThrows(SavedModelException.class, () -> SavedModel.load(future));
    String msg = e.getMessage();
    assertTrue(msg.contains(future.toString()), msg);
    assertTrue(
        msg.contains("ops or attributes that this TensorFlow runtime (" + TensorFlow.version()),
        msg);
    assertTrue(msg.contains("written by TensorFlow 9.99.0"), msg);
    assertTrue(msg.contains(".keras file"), msg);
    assertTrue(msg.contains("OpFromTensorFlow999"), msg);
  }

  // ---- export --------------------------------------------------------------------------------

  @Test
  void exportRefusesANonEmptyTargetAndLeavesItAlone() throws IOException {
    Path target = Files.createDirectories(dir.resolve("taken"));
    Files.writeString(target.resolve("keep.txt"), "mine");
    try (Model m = denseModel()) {
      SavedModelException e =
          assertThrows(SavedModelException.class, () -> SavedModel.export(m, target));
      assertTrue(e.getMessage().contains("exists and is not empty"), e.getMessage());
      assertTrue(e.getMessage().contains(target.toString()), e.getMessage());
      Path file = Files.writeString(dir.resolve("file"), "x");
      e = assertThrows(SavedModelException.class, () -> SavedModel.export(m, file));
      assertTrue(e.getMessage().contains("not a directory"), e.getMessage());

      // An empty directory is fine (it is replaced).
      Path empty = Files.createDirectories(dir.resolve("empty"));
      SavedModel.export(m, empty);
      assertTrue(Files.isRegularFile(empty.resolve("saved_model.pb")));
    }
    try (Stream<Path> s = Files.list(target)) {
      assertEquals(List.of(target.resolve("keep.txt")), s.toList());
    }
    assertEquals(List.of("empty", "file", "taken"), listNames(dir));
  }

  @Test
  void failedExportLeavesNoPartialDirectory() throws IOException {
    Path target = dir.resolve("models/1");
    List<Path> seen = new ArrayList<>();
    SavedModelExporter.beforeMove =
        temp -> {
          seen.add(temp);
          assertTrue(Files.isRegularFile(temp.resolve("saved_model.pb")));
          throw new IOException("disk full (simulated)");
        };
    try (Model m = denseModel()) {
      SavedModelException e =
          assertThrows(SavedModelException.class, () -> SavedModel.export(m, target));
      assertTrue(e.getMessage().contains("disk full (simulated)"), e.getMessage());
    } finally {
      SavedModelExporter.beforeMove = temp -> {};
    }
    assertEquals(1, seen.size());
    assertEquals(target.getParent(), seen.get(0).getParent());
    assertFalse(Files.exists(target));
    assertEquals(List.of(), listNames(target.getParent()));
  }

  @Test
  void theNextExportRemovesWhatAKilledExportLeftButNotARunningOnes() throws IOException {
    Path models = Files.createDirectories(dir.resolve("models"));
    // A killed export of version 1: process ids above Linux's pid_max (4194304) never run.
    Path dead = Files.createDirectories(models.resolve(".1.999999999-5a.tmp.exporting"));
    Files.writeString(Files.createDirectories(dead.resolve("variables")).resolve("v"), "half");
    long live = ProcessHandle.current().parent().orElseThrow().pid();
    Path running = Files.createDirectories(models.resolve(".3." + live + "-6b.tmp.exporting"));
    Path notOurs = Files.createDirectories(models.resolve(".4.exporting-abc"));
    try (Model m = denseModel()) {
      SavedModel.export(m, models.resolve("2"));
      // The temporary folder of this export had this process's id and is gone.
      assertEquals(
          List.of(".3." + live + "-6b.tmp.exporting", ".4.exporting-abc", "2"), listNames(models));
    }
    assertFalse(Files.exists(dead));
    assertTrue(Files.isDirectory(running));
    assertTrue(Files.isDirectory(notOurs));
  }

  @Test
  void modelsWhoseOutputsNeedMoreThanTheirInputsAreRefusedCleanly() throws IOException {
    KerasTensor x = Input.named("x", "float32", 2);
    KerasTensor y =
        new Lambda(
                (tf, v) ->
                    tf.math.add(
                        v, tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 2)))),
                s -> s,
                "needs_a_feed")
            .apply(x);
    Path target = dir.resolve("lambda");
    try (Model m = new Model(x, y)) {
      SavedModelException e =
          assertThrows(SavedModelException.class, () -> SavedModel.export(m, target));
      assertTrue(e.getMessage().contains("which is not a model input"), e.getMessage());
    }
    assertEquals(List.of(), listNames(dir));
  }

  /**
   * Export copies the inference graph out: the model's graph gains no ops, training goes on, and a
   * second export after more training holds the new weights (and still no optimizer state).
   */
  @Test
  void exportLeavesTheModelGraphAloneAndFollowsTraining() throws IOException {
    try (Model m = denseModel()) {
      m.compile("adam", "mse");
      float[][] y = new float[sample.length][2];
      m.fit(HostArray.of(sample), HostArray.of(y), FitOptions.epochs(2).verbose(0));
      float[][] before = m.predict(sample);
      int ops = countOps(ModelRuntime.of(m).graphSession().graph());
      SavedModel.export(m, dir.resolve("a"));
      assertEquals(ops, countOps(ModelRuntime.of(m).graphSession().graph()));
      assertArrayEquals(before, m.predict(sample));

      m.fit(HostArray.of(sample), HostArray.of(y), FitOptions.epochs(3).verbose(0));
      float[][] after = m.predict(sample);
      SavedModel.export(m, dir.resolve("b"));
      try (LoadedSavedModel a = SavedModel.load(dir.resolve("a"));
          LoadedSavedModel b = SavedModel.load(dir.resolve("b"))) {
        assertArrayEquals(before, a.predict(sample));
        assertArrayEquals(after, b.predict(sample));
        long variables =
            b.metaGraphDef().getGraphDef().getNodeList().stream()
                .filter(n -> n.getOp().equals("VariableV2"))
                .count();
        assertEquals(m.weights().size(), variables);
      }
    }
  }

  // ---- threads -------------------------------------------------------------------------------

  @Test
  void concurrentRunsGetTheirOwnResults() throws Exception {
    try (LoadedSavedModel m = SavedModel.load(exported)) {
      int variants = 12;
      List<FloatNdArray> inputs = new ArrayList<>();
      List<NdArray<?>> outputs = new ArrayList<>();
      for (int k = 0; k < variants; k++) {
        FloatNdArray x = features(k + 1);
        x.scalars().forEach(s -> s.setFloat(s.getFloat() * 1.5f));
        inputs.add(x);
        outputs.add(m.predict(x));
      }
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<Integer>> jobs = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          int offset = t;
          jobs.add(
              pool.submit(
                  () -> {
                    int checked = 0;
                    for (int r = 0; r < 40; r++) {
                      int k = (offset + r) % variants;
                      NdArray<?> y =
                          m.run("serving_default", Map.of("features", inputs.get(k)))
                              .get("output_0");
                      assertEquals(outputs.get(k), y);
                      checked++;
                    }
                    return checked;
                  }));
        }
        for (Future<Integer> f : jobs) {
          assertEquals(40, f.get());
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static int countOps(Graph g) {
    int n = 0;
    for (Iterator<?> it = g.operations(); it.hasNext(); it.next()) {
      n++;
    }
    return n;
  }

  private static List<String> listNames(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path q = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(q);
        } else {
          Files.copy(p, q);
        }
      }
    }
  }

  @Test
  void aLoadedSavedModelTakesTheSessionDefaultsWithSoftPlacementOn() {
    SessionOptions before = SessionOptions.defaults();
    try {
      SessionOptions.setDefaults(
          before.toBuilder()
              .intraOpThreads(1)
              .interOpThreads(3)
              .operationTimeoutMillis(1234)
              .allowSoftPlacement(false)
              .build());
      ConfigProto c = LoadedSavedModel.configProto();
      assertEquals(1, c.getIntraOpParallelismThreads());
      assertEquals(3, c.getInterOpParallelismThreads());
      assertEquals(1234, c.getOperationTimeoutInMs());
      assertTrue(c.getAllowSoftPlacement());
    } finally {
      SessionOptions.setDefaults(before);
    }
  }
}

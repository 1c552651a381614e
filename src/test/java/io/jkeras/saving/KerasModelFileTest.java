package io.jkeras.saving;

import static io.jkeras.saving.ModelFileFixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.GlobalSeed;
import io.jkeras.config.ConfigReader;
import io.jkeras.layers.Dense;
import io.jkeras.layers.FMLayer;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Lambda;
import io.jkeras.layers.Layer;
import io.jkeras.layers.LayerCatalog;
import io.jkeras.layers.Weight;
import io.jkeras.losses.BinaryCrossentropy;
import io.jkeras.metrics.BinaryAccuracy;
import io.jkeras.models.Model;
import io.jkeras.models.ModelRuntime;
import io.jkeras.models.Sequential;
import io.jkeras.optimizers.Adagrad;
import io.jkeras.optimizers.Adam;
import io.jkeras.optimizers.Optimizer;
import io.jkeras.optimizers.RMSprop;
import io.jkeras.optimizers.SGD;
import io.jkeras.training.FitOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** .keras files written and read by jkeras alone: what they hold, and every way loading fails. */
class KerasModelFileTest {

  @TempDir Path dir;

  // ---- round trips ---------------------------------------------------------------------------

  @Test
  void everyArchitectureComesBackWithItsPredictionsAndOptimizerState() {
    GlobalSeed.set(3);
    for (String arch : List.of("fm", "dense", "sequential", "shared")) {
      Path file = dir.resolve(arch + ".keras");
      float[] before;
      long iterations;
      try (Model model = ModelFileFixtures.build(arch)) {
        model.compile("adam", "binary_crossentropy", "accuracy");
        ModelFileFixtures.fit(model, arch, 2);
        before = ModelFileFixtures.predict(model, arch);
        iterations = model.optimizer().iterations();
        KerasModelFile.save(model, file);
      }
      try (Model loaded = KerasModelFile.load(file)) {
        assertEquals(arch.equals("sequential"), loaded instanceof Sequential, arch);
        assertTrue(loaded.isCompiled(), arch);
        assertClose(before, ModelFileFixtures.predict(loaded, arch), 0, arch);
        assertEquals(iterations, ModelRuntime.of(loaded).optimizerState().get(0).longs()[0], arch);
        ModelFileFixtures.fit(loaded, arch, 1);
        assertEquals(iterations + 2, loaded.optimizer().iterations(), arch);
      }
    }
  }

  /** Input(6) -> Dense(4, relu) -> Dense(1, sigmoid): no Dropout, so training is repeatable. */
  private static Sequential plain() {
    Sequential s = new Sequential("plain");
    s.add(Input.of(6));
    s.add(Dense.builder(4).activation("relu").name("hidden").build());
    s.add(Dense.builder(1).activation("sigmoid").name("out").build());
    return s;
  }

  private static void fitPlain(Model m, int epochs) {
    m.fit(
        ModelFileFixtures.trainX("sequential"),
        List.of(ModelFileFixtures.trainY()),
        FitOptions.epochs(epochs).batchSize(16).shuffle(false).verbose(0));
  }

  private static List<float[]> values(Model m) {
    List<float[]> out = new ArrayList<>();
    for (Weight w : m.weights()) {
      out.add(w.read());
    }
    return out;
  }

  @Test
  void trainingALoadedModelMatchesTrainingTheOriginalBitForBit() {
    List<Optimizer> optimizers =
        List.of(
            new Adam(0.01, 0.8, 0.99, 1e-6),
            new SGD(0.05, 0.9, true),
            new RMSprop(0.01, 0.8, 0.5, 1e-6, true),
            new Adagrad(0.05, 0.2, 1e-6));
    List<Optimizer> copies =
        List.of(
            new Adam(0.01, 0.8, 0.99, 1e-6),
            new SGD(0.05, 0.9, true),
            new RMSprop(0.01, 0.8, 0.5, 1e-6, true),
            new Adagrad(0.05, 0.2, 1e-6));
    for (int i = 0; i < optimizers.size(); i++) {
      Optimizer optimizer = optimizers.get(i);
      String what = optimizer.className();
      Path file = dir.resolve(what + ".keras");
      List<float[]> continued;
      try (Model original = plain()) {
        original.compile(optimizer, new BinaryCrossentropy(false, 0.1), "accuracy", "auc");
        fitPlain(original, 2);
        KerasModelFile.save(original, file);
        fitPlain(original, 1);
        continued = values(original);
      }
      try (Model loaded = KerasModelFile.load(file)) {
        assertEquals(copies.get(i).getClass(), loaded.optimizer().getClass(), what);
        assertEquals(copies.get(i).getConfig(), loaded.optimizer().getConfig(), what);
        assertEquals(new BinaryCrossentropy(false, 0.1).getConfig(), loaded.loss().getConfig());
        assertEquals(List.of("accuracy", "auc"), loaded.metricNames());
        fitPlain(loaded, 1);
        List<float[]> resumed = values(loaded);
        for (int k = 0; k < continued.size(); k++) {
          assertArrayEquals(continued.get(k), resumed.get(k), what + ": weight " + k);
        }
      }
    }
  }

  @Test
  void uncompiledModelsAndCompileFalseLoadWithoutTrainingSetup() {
    Path file = dir.resolve("plain.keras");
    try (Model m = plain()) {
      KerasModelFile.save(m, file);
    }
    assertFalse(KerasArchive.read(file).config().containsKey("compile_config"));
    try (Model loaded = KerasModelFile.load(file)) {
      assertFalse(loaded.isCompiled());
    }
    // Keras 3.15.1 writes "compile_config": {} for a model it never compiled (checked with the
    // venv's Keras: keras.Sequential([...]).save(...)); such a file loads uncompiled.
    Path empty =
        KerasArchive.read(file)
            .editConfig(c -> c.put("compile_config", new java.util.LinkedHashMap<>()))
            .write(dir.resolve("empty-compile-config.keras"), false);
    try (Model loaded = KerasModelFile.load(empty)) {
      assertFalse(loaded.isCompiled());
    }
    try (Model m = plain()) {
      m.compile("sgd", "mse");
      KerasModelFile.save(m, file); // compiled, never trained: iteration 0 and learning rate
    }
    try (Model loaded = KerasModelFile.load(file, true, false)) {
      assertFalse(loaded.isCompiled());
    }
    try (Model loaded = KerasModelFile.load(file)) {
      assertInstanceOf(SGD.class, loaded.optimizer());
      assertEquals(0, ModelRuntime.of(loaded).optimizerState().get(0).longs()[0]);
    }
  }

  @Test
  void deflatedReorderedArchivesWithoutMetadataLoad() {
    Path file = dir.resolve("m.keras");
    float[] expected;
    try (Model m = ModelFileFixtures.build("fm")) {
      expected = ModelFileFixtures.predict(m, "fm");
      KerasModelFile.save(m, file);
    }
    KerasArchive a = KerasArchive.read(file);
    assertEquals(
        List.of("metadata.json", "config.json", "model.weights.h5"),
        new ArrayList<>(a.members.keySet()));
    KerasArchive reordered = new KerasArchive();
    reordered.members.put("model.weights.h5", a.members.get("model.weights.h5"));
    reordered.members.put("config.json", a.members.get("config.json"));
    Path deflated = reordered.write(dir.resolve("deflated.keras"), true);
    try (Model m = KerasModelFile.load(deflated)) {
      assertClose(expected, ModelFileFixtures.predict(m, "fm"), 0, "deflated");
    }
  }

  @Test
  void theFileNameDoesNotDecideTheFormat() throws IOException {
    Path file = dir.resolve("m.keras");
    try (Model m = plain()) {
      KerasModelFile.save(m, file);
    }
    Path renamed = Files.copy(file, dir.resolve("model.h5"));
    try (Model m = KerasModelFile.load(renamed)) {
      assertInstanceOf(Sequential.class, m);
    }
  }

  @Test
  void savingReplacesAFileAtomicallyAndRefusesAnUnbuiltSequential() throws IOException {
    Path file = dir.resolve("m.keras");
    Files.writeString(file, "old");
    try (Model m = plain()) {
      KerasModelFile.save(m, file);
    }
    try (Model m = KerasModelFile.load(file)) {
      assertEquals("plain", m.name());
    }
    try (Sequential unbuilt = new Sequential(new Dense(3))) {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> KerasModelFile.save(unbuilt, dir.resolve("u.keras")));
      assertTrue(e.getMessage().contains("not built"), e.getMessage());
    }
    try (var files = Files.list(dir)) {
      assertEquals(List.of("m.keras"), files.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void fmLayerIsWrittenUnderItsRegisteredName() {
    Path file = dir.resolve("fm.keras");
    try (Model m = ModelFileFixtures.build("fm")) {
      KerasModelFile.save(m, file);
    }
    Map<String, Object> config = KerasArchive.read(file).config();
    Map<String, Object> fm = KerasArchive.layerEntry(config, 4);
    assertEquals("FMLayer", fm.get("class_name"));
    assertNull(fm.get("module"));
    assertEquals("jkeras>FMLayer", fm.get("registered_name"));
    Map<String, Object> dense = KerasArchive.layerEntry(config, 6);
    assertEquals("keras.layers", dense.get("module"));
    assertTrue(dense.containsKey("registered_name") && dense.get("registered_name") == null);
  }

  // ---- registry, custom layers and Lambda ----------------------------------------------------

  /** y = x * factor, with one trainable factor per feature. */
  static final class Scale extends Layer {
    private final double init;
    private Weight factor;

    Scale(double init, String name) {
      super(name);
      this.init = init;
    }

    @Override
    protected void build(Shape inputShape) {
      factor = addWeight("factor", Shape.of(inputShape.size(1)), "ones");
      float[] v = new float[(int) factor.size()];
      Arrays.fill(v, (float) init);
      factor.assign(v);
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
      return inputShape;
    }

    @Override
    protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
      return tf.math.mul(x, factor.value());
    }

    @Override
    public Map<String, Object> getConfig() {
      Map<String, Object> c = super.getConfig();
      c.put("init", init);
      return c;
    }

    static Scale fromConfig(Map<String, Object> config) {
      ConfigReader c = ConfigReader.of("Scale", config);
      return c.finish(new Scale(c.number("init", 1.0), c.name()));
    }
  }

  @Test
  void customLayersLoadOnceRegisteredAndAreRefusedClearlyOtherwise() {
    Path file = dir.resolve("scale.keras");
    LayerCatalog.register("test>Scale", Scale.class, Scale::fromConfig);
    try {
      KerasTensor x = Input.of(6);
      KerasTensor y = new Dense(1).apply(new Scale(2.5, "scale").apply(x));
      float[] expected;
      try (Model m = new Model(x, y)) {
        expected = ModelFileFixtures.predict(m, "sequential");
        KerasModelFile.save(m, file);
      }
      Map<String, Object> entry = KerasArchive.layerEntry(KerasArchive.read(file).config(), 1);
      assertEquals("test>Scale", entry.get("registered_name"));
      assertNull(entry.get("module"));
      try (Model m = KerasModelFile.load(file)) {
        assertInstanceOf(Scale.class, m.getLayer("scale"));
        assertClose(expected, ModelFileFixtures.predict(m, "sequential"), 0, "scale");
      }
    } finally {
      assertTrue(LayerCatalog.unregister("test>Scale"));
    }
    KerasFileException e = assertThrows(KerasFileException.class, () -> KerasModelFile.load(file));
    assertContains(
        e,
        "unknown layer class \"Scale\" (registered name \"test>Scale\")",
        "Supported:",
        "Dense",
        "jkeras>FMLayer",
        "LayerCatalog.register(\"test>Scale\"",
        file.toString());
  }

  @Test
  void lambdaLayersAreRefusedInSafeModeAndRebuiltFromARegisteredFunctionOtherwise() {
    Path file = dir.resolve("lambda.keras");
    Lambda.Function half = (tf, x) -> tf.math.mul(x, tf.constant(0.5f));
    KerasTensor x = Input.of(6);
    KerasTensor y = new Dense(1).apply(new Lambda(half, s -> s, "half").apply(x));
    float[] expected;
    try (Model m = new Model(x, y)) {
      expected = ModelFileFixtures.predict(m, "sequential");
      KerasModelFile.save(m, file);
    }
    KerasFileException safe =
        assertThrows(KerasFileException.class, () -> KerasModelFile.load(file));
    assertContains(safe, "Lambda layer \"half\"", "safe mode", "registerLambda", "safeMode=false");
    KerasFileException unregistered =
        assertThrows(KerasFileException.class, () -> KerasModelFile.load(file, false));
    assertContains(
        unregistered, "cannot be rebuilt from a file", "LayerCatalog.registerLambda(\"half\"");
    LayerCatalog.registerLambda("half", c -> new Lambda(half, s -> s, "half"));
    try (Model m = KerasModelFile.load(file, false)) {
      assertClose(expected, ModelFileFixtures.predict(m, "sequential"), 0, "lambda");
    } finally {
      LayerCatalog.unregisterLambda("half");
    }
  }

  // ---- errors --------------------------------------------------------------------------------

  private Path savedFm() {
    Path file = dir.resolve("fm.keras");
    if (!Files.exists(file)) {
      try (Model m = ModelFileFixtures.build("fm")) {
        m.compile("adam", "binary_crossentropy", "accuracy");
        ModelFileFixtures.fit(m, "fm", 1);
        KerasModelFile.save(m, file);
      }
    }
    return file;
  }

  private static void assertContains(Throwable e, String... parts) {
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "\"" + p + "\" not in: " + e.getMessage());
    }
  }

  private KerasFileException loadFails(Path file) {
    return assertThrows(KerasFileException.class, () -> KerasModelFile.load(file));
  }

  @Test
  void missingFilesFoldersAndOtherFormatsAreReported() throws IOException {
    assertContains(loadFails(dir.resolve("none.keras")), "no such model file");
    assertContains(loadFails(dir), "is a folder");
    Path text = Files.writeString(dir.resolve("notes.keras"), "hello");
    assertContains(loadFails(text), "neither a .keras model", "68 65 6c 6c 6f");
    Path empty = Files.write(dir.resolve("empty.keras"), new byte[0]);
    assertContains(loadFails(empty), "the file is empty");
  }

  @Test
  void truncatedAndCorruptArchivesAreReported() throws IOException {
    byte[] good = Files.readAllBytes(savedFm());
    Path cut = Files.write(dir.resolve("cut.keras"), Arrays.copyOf(good, good.length / 2));
    assertContains(loadFails(cut), "cut.keras", "not a readable zip archive");

    byte[] zip = KerasArchive.read(savedFm()).bytes(false);
    // Flip a byte inside config.json's stored data: the CRC catches it.
    int at = indexOf(zip, "\"class_name\"".getBytes()) + 3;
    zip[at] ^= 0x20;
    Path flipped = Files.write(dir.resolve("flipped.keras"), zip);
    assertContains(loadFails(flipped), "config.json is corrupt", "CRC-32");
  }

  private static int indexOf(byte[] data, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= data.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("pattern not found");
  }

  @Test
  void missingMembersAreReported() {
    KerasArchive a = KerasArchive.read(savedFm());
    a.members.remove("config.json");
    assertContains(
        loadFails(a.write(dir.resolve("noconfig.keras"), false)),
        "the archive has no config.json",
        "metadata.json",
        "model.weights.h5");
    KerasArchive b = KerasArchive.read(savedFm());
    b.members.remove("model.weights.h5");
    assertContains(
        loadFails(b.write(dir.resolve("noweights.keras"), false)),
        "the archive has no model.weights.h5");
  }

  @Test
  void malformedJsonIsReported() {
    KerasArchive a = KerasArchive.read(savedFm());
    a.members.put("config.json", "{\"class_name\": \"Functional\", \"config\": {".getBytes());
    assertContains(
        loadFails(a.write(dir.resolve("bad.keras"), false)),
        "config.json: malformed JSON",
        "line 1");
    KerasArchive b = KerasArchive.read(savedFm());
    b.members.put("config.json", "[1, 2]".getBytes());
    assertContains(
        loadFails(b.write(dir.resolve("list.keras"), false)),
        "config.json: expected an object, got [1, 2] (a list)");
    KerasArchive c = KerasArchive.read(savedFm());
    c.members.put("metadata.json", "{\"keras_version\": ".getBytes());
    assertContains(
        loadFails(c.write(dir.resolve("meta.keras"), false)), "metadata.json: malformed JSON");
    // Python's json.loads refuses anything after the object ("Extra data"); so does jkeras.
    KerasArchive d = KerasArchive.read(savedFm());
    byte[] config = d.members.get("config.json");
    byte[] twice = Arrays.copyOf(config, config.length * 2);
    System.arraycopy(config, 0, twice, config.length, config.length);
    d.members.put("config.json", twice);
    assertContains(
        loadFails(d.write(dir.resolve("twice.keras"), false)),
        "config.json: malformed JSON",
        "Trailing token");
  }

  @Test
  void unknownClassesAndModelKindsAreReported() {
    KerasArchive a =
        KerasArchive.read(savedFm())
            .editConfig(c -> KerasArchive.layerEntry(c, 3).put("class_name", "Mystery"));
    assertContains(
        loadFails(a.write(dir.resolve("mystery.keras"), false)),
        "layers[3] \"global_max_pooling1d\"",
        "unknown layer class \"Mystery\"",
        "Supported: Activation",
        "LayerCatalog.register(\"Mystery\"");
    KerasArchive b = KerasArchive.read(savedFm()).editConfig(c -> c.put("class_name", "MyModel"));
    assertContains(
        loadFails(b.write(dir.resolve("subclassed.keras"), false)),
        "model class \"MyModel\" cannot be loaded");
  }

  @Test
  void aWeightOfTheWrongShapeNamesTheLayerTheWeightAndBothShapes() {
    // The file's Dense "score" has units 1: say 2, and its kernel no longer fits.
    KerasArchive a =
        KerasArchive.read(savedFm())
            .editConfig(c -> KerasArchive.layerConfig(c, 6).put("units", 2));
    KerasFileException e = loadFails(a.write(dir.resolve("shape.keras"), false));
    assertContains(
        e,
        "model.weights.h5",
        "layer \"score\" weight \"kernel\"",
        "expected shape (8, 2)",
        "the file has (8, 1)");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> optimizerConfig(Map<String, Object> config) {
    Map<String, Object> opt =
        (Map<String, Object>) ((Map<String, Object>) config.get("compile_config")).get("optimizer");
    return (Map<String, Object>) opt.get("config");
  }

  @Test
  void wrongJsonTypesAndUnsupportedSettingsAreReported() {
    KerasArchive a =
        KerasArchive.read(savedFm())
            .editConfig(c -> KerasArchive.layerConfig(c, 6).put("units", "8"));
    assertContains(
        loadFails(a.write(dir.resolve("t1.keras"), false)),
        "layers[6] \"score\" (Dense): config.units: expected a positive integer, got \"8\" (a"
            + " string)");

    KerasArchive b =
        KerasArchive.read(savedFm())
            .editConfig(c -> KerasArchive.layerConfig(c, 6).put("lora_rank", 4));
    assertContains(
        loadFails(b.write(dir.resolve("t2.keras"), false)),
        "config.lora_rank: got 4 (a number): LoRA is not supported by jkeras");

    KerasArchive d =
        KerasArchive.read(savedFm())
            .editConfig(
                c ->
                    KerasArchive.layerConfig(c, 1)
                        .put(
                            "dtype",
                            Map.of(
                                "module",
                                "keras",
                                "class_name",
                                "DTypePolicy",
                                "config",
                                Map.of("name", "mixed_float16"))));
    assertContains(
        loadFails(d.write(dir.resolve("t3.keras"), false)), "\"mixed_float16\" is not supported");

    KerasArchive f =
        KerasArchive.read(savedFm())
            .editConfig(c -> KerasArchive.layerConfig(c, 6).put("surprise", true));
    assertContains(
        loadFails(f.write(dir.resolve("t4.keras"), false)),
        "(Dense): config: unknown key(s) [surprise]");

    KerasArchive g =
        KerasArchive.read(savedFm())
            .editConfig(c -> KerasArchive.layerEntry(c, 2).put("inbound_nodes", "conv"));
    assertContains(
        loadFails(g.write(dir.resolve("t5.keras"), false)),
        "layers[2] \"conv1d\".inbound_nodes: expected a list, got \"conv\" (a string)");

    KerasArchive h =
        KerasArchive.read(savedFm()).editConfig(c -> optimizerConfig(c).put("lookahead", true));
    assertContains(
        loadFails(h.write(dir.resolve("t6.keras"), false)),
        "compile_config.optimizer",
        "unknown key(s) [lookahead]",
        "Model.load(path, false)");

    KerasArchive i =
        KerasArchive.read(savedFm())
            .editConfig(
                c -> {
                  Map<String, Object> schedule = new LinkedHashMap<>();
                  schedule.put("class_name", "ExponentialDecay");
                  schedule.put("config", Map.of());
                  optimizerConfig(c).put("learning_rate", schedule);
                });
    assertContains(
        loadFails(i.write(dir.resolve("t7.keras"), false)),
        "ExponentialDecay",
        "initial_learning_rate");
    // Loading without compiling skips the compile settings jkeras cannot use.
    try (Model m = KerasModelFile.load(dir.resolve("t7.keras"), true, false)) {
      assertFalse(m.isCompiled());
    }

    KerasArchive j =
        KerasArchive.read(savedFm())
            .editConfig(c -> KerasArchive.layerEntry(c, 1).put("module", 7));
    assertContains(
        loadFails(j.write(dir.resolve("t8.keras"), false)),
        "layers[1] \"embedding\".module: expected a string, got 7 (a number)");
  }

  @Test
  void lossesAndMetricsAsKerasFunctionObjectsAreRead() {
    Map<String, Object> mse = new LinkedHashMap<>();
    mse.put("module", "keras.losses");
    mse.put("class_name", "function");
    mse.put("config", "mean_squared_error");
    mse.put("registered_name", "function");
    Map<String, Object> acc = new LinkedHashMap<>(mse);
    acc.put("module", "keras.metrics");
    acc.put("config", "binary_accuracy");
    KerasArchive a =
        KerasArchive.read(savedFm())
            .editConfig(
                c -> {
                  @SuppressWarnings("unchecked")
                  Map<String, Object> cc = (Map<String, Object>) c.get("compile_config");
                  cc.put("loss", mse);
                  cc.put("metrics", List.of(acc, "auc"));
                });
    try (Model m = KerasModelFile.load(a.write(dir.resolve("fn.keras"), false))) {
      assertEquals("mean_squared_error", m.loss().name());
      assertEquals(List.of("binary_accuracy", "auc"), m.metricNames());
    }
  }

  @Test
  void aMetricObjectKeepsItsNameAndSettings() {
    try (Model m = plain()) {
      m.compile(new Adam(), new BinaryCrossentropy(), new BinaryAccuracy("strict", 0.9));
      KerasModelFile.save(m, dir.resolve("strict.keras"));
    }
    try (Model back = KerasModelFile.load(dir.resolve("strict.keras"))) {
      assertEquals(List.of("strict"), back.metricNames());
      BinaryAccuracy strict = (BinaryAccuracy) back.compiledMetrics().get(0);
      assertEquals(0.9, strict.getConfig().get("threshold"));
    }
  }

  @Test
  void brokenGraphsAreReported() {
    KerasArchive a =
        KerasArchive.read(savedFm())
            .editConfig(
                c -> {
                  @SuppressWarnings("unchecked")
                  Map<String, Object> inner = (Map<String, Object>) c.get("config");
                  inner.put("output_layers", List.of("nowhere", 0, 0));
                });
    assertContains(
        loadFails(a.write(dir.resolve("g1.keras"), false)),
        "output_layers: refers to layer \"nowhere\"");

    // conv1d's call now takes the output of a layer further down: a cycle.
    KerasArchive b =
        KerasArchive.read(savedFm())
            .editConfig(
                c -> {
                  @SuppressWarnings("unchecked")
                  Map<String, Object> node =
                      (Map<String, Object>)
                          ((List<Object>) KerasArchive.layerEntry(c, 2).get("inbound_nodes"))
                              .get(0);
                  @SuppressWarnings("unchecked")
                  Map<String, Object> tensor =
                      (Map<String, Object>) ((List<Object>) node.get("args")).get(0);
                  @SuppressWarnings("unchecked")
                  Map<String, Object> tc = (Map<String, Object>) tensor.get("config");
                  tc.put("keras_history", List.of("score", 0, 0));
                });
    assertContains(
        loadFails(b.write(dir.resolve("g2.keras"), false)), "inputs are never produced", "cycle");
  }

  @Test
  void optimizerStateThatDoesNotFitTheModelIsReported() {
    Path small = dir.resolve("small.keras");
    try (Model m = plain()) {
      m.compile("adam", "binary_crossentropy");
      fitPlain(m, 1);
      KerasModelFile.save(m, small);
    }
    // The FM model's weights with the plain model's Adam state.
    KerasArchive mixed = KerasArchive.read(savedFm());
    mixed.members.put("model.weights.h5", withOptimizerOf(savedFm(), small));
    assertContains(
        loadFails(mixed.write(dir.resolve("mixed.keras"), false)),
        "the file holds 10 optimizer variables",
        "Adam",
        "8 trainable weights needs 18");
  }

  /** model.weights.h5 of {@code model} with the optimizer state of {@code other}. */
  private byte[] withOptimizerOf(Path model, Path other) {
    try (Model m = KerasModelFile.load(model, true, false);
        Model o = KerasModelFile.load(other)) {
      Path tmp = dir.resolve("mixed.weights.h5");
      KerasWeightsFile.save(tmp, m, ModelRuntime.of(o).optimizerState());
      return Files.readAllBytes(tmp);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void layerConfigsAsPythonWritesThemAreAccepted() {
    // What Keras 3.15.1 writes for a Dense (shared_object_id and all), with a regularizer.
    Map<String, Object> dtype = new LinkedHashMap<>();
    dtype.put("module", "keras");
    dtype.put("class_name", "DTypePolicy");
    dtype.put("config", Map.of("name", "float32"));
    dtype.put("registered_name", null);
    dtype.put("shared_object_id", 140367296923600L);
    Map<String, Object> glorot = new LinkedHashMap<>();
    glorot.put("module", "keras.initializers");
    glorot.put("class_name", "GlorotUniform");
    Map<String, Object> glorotConfig = new LinkedHashMap<>();
    glorotConfig.put("seed", null);
    glorotConfig.put("input_axes", null);
    glorotConfig.put("output_axes", null);
    glorot.put("config", glorotConfig);
    glorot.put("registered_name", null);
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("name", "dense");
    config.put("trainable", false);
    config.put("dtype", dtype);
    config.put("units", 3);
    config.put("activation", "relu");
    config.put("use_bias", true);
    config.put("kernel_initializer", glorot);
    config.put(
        "bias_initializer",
        Map.of("module", "keras.initializers", "class_name", "Zeros", "config", Map.of()));
    config.put("kernel_regularizer", Map.of("class_name", "L2", "config", Map.of("l2", 0.01)));
    config.put("bias_regularizer", null);
    config.put("kernel_constraint", null);
    config.put("bias_constraint", null);
    config.put("quantization_config", null);
    Dense d = Dense.fromConfig(config);
    assertEquals(3, d.units());
    assertEquals("relu", d.activation().name());
    assertFalse(d.isTrainable());
    assertEquals(3, d.getConfig().get("units"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> FMLayer.fromConfig(Map.of("output_dim", 8)));
    assertContains(e, "config.factor_order: missing");
  }

  @Test
  void aModelFileWithBadWeightsIsRefusedWhole() {
    KerasArchive a = KerasArchive.read(savedFm());
    byte[] h5 = a.members.get("model.weights.h5");
    a.members.put("model.weights.h5", Arrays.copyOf(h5, h5.length - 100));
    assertContains(
        loadFails(a.write(dir.resolve("short.keras"), false)), "model.weights.h5", "truncated");
  }
}

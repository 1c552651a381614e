package io.jkeras.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.DatasetCreationOptions;
import io.jhdf.api.WritableGroup;
import io.jkeras.layers.Activation;
import io.jkeras.layers.Dense;
import io.jkeras.layers.FMLayer;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Layer;
import io.jkeras.layers.StringLookup;
import io.jkeras.layers.Weight;
import io.jkeras.models.Model;
import io.jkeras.models.Sequential;
import io.jkeras.testing.Numerics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class KerasWeightsFileTest {

  @TempDir Path dir;

  // ---- models --------------------------------------------------------------------------------

  /** Input(6) -> FMLayer(3, 2) -> Activation -> Dense(1, sigmoid). */
  static Model fmModel() {
    KerasTensor x = Input.named("features", "float32", 6);
    KerasTensor h = FMLayer.builder(3, 2).name("fm").build().apply(x);
    KerasTensor a = new Activation("relu", "act").apply(h);
    KerasTensor y = Dense.builder(1).activation("sigmoid").name("out").build().apply(a);
    return new Model(List.of(x), List.of(y), "fm_model");
  }

  static Sequential stack(int hidden, boolean lastBias) {
    Sequential s = new Sequential("stack");
    s.add(Input.of(5));
    s.add(Dense.builder(hidden).activation("relu").name("hidden").build());
    s.add(Dense.builder(2).useBias(lastBias).name("head").build());
    return s;
  }

  static void randomize(Model model, long seed) {
    Random rnd = new Random(seed);
    for (Weight w : model.weights()) {
      w.assign(Numerics.uniform(rnd, (int) w.size(), -1, 1));
    }
  }

  static List<float[]> values(Model model) {
    List<float[]> out = new ArrayList<>();
    for (Weight w : model.weights()) {
      out.add(w.read());
    }
    return out;
  }

  static void assertSameValues(List<float[]> expected, List<float[]> actual) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i), "weight " + i);
    }
  }

  static float[][] randomRows(int n, int d, long seed) {
    Random rnd = new Random(seed);
    float[][] x = new float[n][d];
    for (float[] row : x) {
      for (int j = 0; j < d; j++) {
        row[j] = (float) rnd.nextGaussian();
      }
    }
    return x;
  }

  static String assertFileError(Path file, Runnable action) {
    KerasFileException e = assertThrows(KerasFileException.class, action::run);
    assertTrue(
        e.getMessage().contains(file.toString()),
        "message should name the file: " + e.getMessage());
    return e.getMessage();
  }

  static List<String> leftovers(Path folder, String keep) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(keep)).toList();
    }
  }

  /** A weightless identity layer whose weight list can be made to fail, to break a save. */
  static final class FlakyLayer extends Layer {
    boolean fail;

    FlakyLayer() {
      super("flaky");
    }

    @Override
    public List<Weight> ownWeights() {
      if (fail) {
        throw new IllegalStateException("weights unavailable");
      }
      return super.ownWeights();
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
      return inputShape;
    }

    @Override
    protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
      return x;
    }
  }

  // ---- naming --------------------------------------------------------------------------------

  @Test
  void groupsAreSnakeCaseClassNamesNumberedPerClassInLayerOrder() {
    KerasTensor x = Input.of(4);
    KerasTensor h = new Dense(3).apply(x);
    h = new Activation("relu").apply(h);
    h = new Dense(3).apply(h);
    h = new FMLayer(2, 2).apply(h);
    KerasTensor y = new Dense(1).apply(h);
    try (Model m = new Model(x, y)) {
      assertEquals(
          List.of("input_layer", "dense", "activation", "dense_1", "fm_layer", "dense_2"),
          KerasWeightsFile.layerGroups(m).stream()
              .map(KerasWeightsFile.LayerGroup::group)
              .toList());
      assertEquals("layers/fm_layer/vars", KerasWeightsFile.layerGroups(m).get(4).varsPath());
    }
    // A Sequential's input layer is not one of its layers, so it has no group.
    try (Sequential s = stack(3, true)) {
      assertEquals(
          List.of("dense", "dense_1"),
          KerasWeightsFile.layerGroups(s).stream()
              .map(KerasWeightsFile.LayerGroup::group)
              .toList());
    }
  }

  // ---- round trips ---------------------------------------------------------------------------

  @Test
  void functionalModelWithFmLayerRoundTripsBitExactly() throws IOException {
    Path file = dir.resolve("fm.weights.h5");
    float[][] x = randomRows(7, 6, 1);
    List<float[]> saved;
    float[][] predicted;
    try (Model a = fmModel()) {
      randomize(a, 11);
      saved = values(a);
      predicted = a.predict(x);
      KerasWeightsFile.save(file, a, List.of());
    }
    try (Model b = fmModel()) {
      assertNotEquals(Arrays.toString(saved.get(0)), Arrays.toString(b.weights().get(0).read()));
      List<StoredArray> optimizer = KerasWeightsFile.load(file, b);
      assertEquals(List.of(), optimizer);
      assertSameValues(saved, values(b));
      float[][] again = b.predict(x);
      for (int i = 0; i < x.length; i++) {
        assertArrayEquals(predicted[i], again[i]);
      }
    }
    assertEquals(List.of(), leftovers(dir, "fm.weights.h5"));
  }

  @Test
  void sequentialAndOptimizerStateRoundTrip() {
    Path file = dir.resolve("seq.weights.h5");
    List<StoredArray> state =
        List.of(
            StoredArray.ofLongScalar(42),
            StoredArray.ofFloatScalar(0.001f),
            StoredArray.ofFloats(new long[] {5, 4}, Numerics.uniform(new Random(3), 20, -1, 1)),
            StoredArray.ofFloats(0.5f, -0.25f, 1e-30f, Float.MIN_VALUE),
            StoredArray.ofLongs(new long[] {2, 1, 3}, new long[] {1, 2, 3, Long.MAX_VALUE, -5, 0}));
    List<float[]> saved;
    try (Sequential a = stack(4, true)) {
      randomize(a, 5);
      saved = values(a);
      KerasWeightsFile.save(file, a, state);
    }
    try (Sequential b = stack(4, true)) {
      List<StoredArray> loaded = KerasWeightsFile.load(file, b);
      assertSameValues(saved, values(b));
      assertEquals(state, loaded);
      assertArrayEquals(new long[0], loaded.get(0).shape());
      assertFalse(loaded.get(0).isFloat());
      assertTrue(loaded.get(1).isScalar());
    }
  }

  @Test
  void loadWorksOnAModelThatAlreadyRunsAndFromBytes() throws IOException {
    Path file = dir.resolve("m.weights.h5");
    List<float[]> saved;
    try (Model a = fmModel()) {
      randomize(a, 21);
      saved = values(a);
      KerasWeightsFile.save(file, a, List.of(StoredArray.ofLongScalar(3)));
    }
    try (Model b = fmModel()) {
      b.predict(new float[1][6]); // weights now live in a TensorFlow session
      KerasWeightsFile.load(file, b);
      assertSameValues(saved, values(b));
      float[] fmOne = b.getLayer("fm").weights().get(0).read();
      assertArrayEquals(saved.get(0), fmOne);
    }
    try (Model c = fmModel()) {
      List<StoredArray> opt = KerasWeightsFile.load(Files.readAllBytes(file), "inside.keras", c);
      assertSameValues(saved, values(c));
      assertEquals(List.of(StoredArray.ofLongScalar(3)), opt);
    }
  }

  @Test
  void savedFileHasKerasLayoutWithoutEmptyGroupsOrTheJhdfAttribute() {
    Path file = dir.resolve("layout.weights.h5");
    try (Model m = fmModel()) {
      KerasWeightsFile.save(file, m, List.of());
    }
    try (HdfFile h = new HdfFile(file)) {
      assertTrue(h.getAttributes().isEmpty(), "root attributes: " + h.getAttributes().keySet());
      assertEquals(List.of("layers"), List.copyOf(h.getChildren().keySet()));
      assertEquals(
          List.of("dense", "fm_layer"),
          h.getChildren().get("layers") instanceof io.jhdf.api.Group g
              ? g.getChildren().keySet().stream().sorted().toList()
              : List.of());
      assertEquals("fm", h.getByPath("layers/fm_layer/vars").getAttribute("name").getData());
      assertEquals("out", h.getByPath("layers/dense/vars").getAttribute("name").getData());
      Dataset one = h.getDatasetByPath("layers/fm_layer/vars/0");
      Dataset two = h.getDatasetByPath("layers/fm_layer/vars/1");
      Dataset bias = h.getDatasetByPath("layers/fm_layer/vars/2");
      assertArrayEquals(new long[] {6, 3}, one.getDimensionsAsLong());
      assertArrayEquals(new long[] {6, 2}, two.getDimensionsAsLong());
      assertArrayEquals(new long[] {3}, bias.getDimensionsAsLong());
      assertEquals(float.class, one.getJavaType());
    }
  }

  @Test
  void saveReplacesAnExistingFile() {
    Path file = dir.resolve("w.weights.h5");
    List<float[]> second;
    try (Model a = fmModel()) {
      randomize(a, 1);
      KerasWeightsFile.save(file, a, List.of(StoredArray.ofLongScalar(1)));
      randomize(a, 2);
      second = values(a);
      KerasWeightsFile.save(file, a, List.of());
    }
    try (Model b = fmModel()) {
      assertEquals(List.of(), KerasWeightsFile.load(file, b));
      assertSameValues(second, values(b));
    }
  }

  // ---- atomic writes -------------------------------------------------------------------------

  @Test
  void aSaveThatFailsMidwayKeepsThePreviousFileAndLeavesNoTemporaryFile() throws IOException {
    Path file = dir.resolve("model.weights.h5");
    FlakyLayer flaky = new FlakyLayer();
    KerasTensor x = Input.of(3);
    KerasTensor y = new Dense(2).apply(flaky.apply(new Dense(3).apply(x)));
    try (Model m = new Model(x, y)) {
      KerasWeightsFile.save(file, m, List.of());
      byte[] before = Files.readAllBytes(file);
      randomize(m, 9);
      flaky.fail = true;
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> KerasWeightsFile.save(file, m, List.of(StoredArray.ofLongScalar(1))));
      assertEquals("weights unavailable", e.getMessage());
      assertArrayEquals(before, Files.readAllBytes(file));
      assertEquals(List.of(), leftovers(dir, "model.weights.h5"));
    }
  }

  @Test
  void aSaveThatCannotReplaceTheTargetLeavesNoTemporaryFile() throws IOException {
    Path target = dir.resolve("taken.weights.h5");
    Files.createDirectory(target);
    Files.writeString(target.resolve("keep.txt"), "keep");
    try (Model m = fmModel()) {
      assertThrows(UncheckedIOException.class, () -> KerasWeightsFile.save(target, m, List.of()));
    }
    assertEquals("keep", Files.readString(target.resolve("keep.txt")));
    assertEquals(List.of(), leftovers(dir, "taken.weights.h5"));
  }

  @Test
  void aSaveIntoAMissingFolderFailsClearlyAndCreatesNothing() throws IOException {
    Path file = dir.resolve("no/such/folder/model.weights.h5");
    try (Model m = fmModel()) {
      UncheckedIOException e =
          assertThrows(UncheckedIOException.class, () -> KerasWeightsFile.save(file, m, List.of()));
      assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
      assertTrue(e.getMessage().contains("folder does not exist"), e.getMessage());
    }
    assertEquals(List.of(), leftovers(dir, ""));
  }

  @Test
  void anArrayWithNoValuesIsRefusedBeforeAnythingIsReplaced() throws IOException {
    Path file = dir.resolve("z.weights.h5");
    try (Model m = fmModel()) {
      KerasWeightsFile.save(file, m, List.of());
      byte[] before = Files.readAllBytes(file);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  KerasWeightsFile.save(
                      file, m, List.of(StoredArray.ofFloats(new long[] {0, 3}, new float[0]))));
      assertTrue(e.getMessage().contains("optimizer variable 0"), e.getMessage());
      assertArrayEquals(before, Files.readAllBytes(file));
      assertEquals(List.of(), leftovers(dir, "z.weights.h5"));
    }
  }

  // ---- files that do not fit -----------------------------------------------------------------

  @Test
  void aShapeMismatchNamesLayerWeightAndShapesAndAssignsNothing() {
    Path file = dir.resolve("h4.weights.h5");
    try (Sequential a = stack(4, true)) {
      randomize(a, 1);
      KerasWeightsFile.save(file, a, List.of());
    }
    // hidden's kernel is (5, 4) in the file and (5, 3) in the model.
    try (Sequential b = stack(3, true)) {
      List<float[]> before = values(b);
      String msg = assertFileError(file, () -> KerasWeightsFile.load(file, b));
      assertTrue(msg.contains("layer \"hidden\" weight \"kernel\""), msg);
      assertTrue(msg.contains("expected shape (5, 3)"), msg);
      assertTrue(msg.contains("(5, 4)"), msg);
      assertTrue(msg.contains("/layers/dense/vars/0"), msg);
      assertSameValues(before, values(b));
    }
  }

  @Test
  void aMismatchInALaterLayerLeavesEarlierLayersUnassigned() {
    Path file = dir.resolve("later.weights.h5");
    KerasTensor x = Input.of(5);
    KerasTensor y =
        Dense.builder(2)
            .name("head")
            .build()
            .apply(Dense.builder(4).name("first").build().apply(x));
    try (Model a = new Model(x, y)) {
      KerasWeightsFile.save(file, a, List.of());
    }
    KerasTensor x2 = Input.of(5);
    KerasTensor y2 =
        Dense.builder(3)
            .name("head")
            .build()
            .apply(Dense.builder(4).name("first").build().apply(x2));
    try (Model b = new Model(x2, y2)) {
      List<float[]> before = values(b);
      String msg = assertFileError(file, () -> KerasWeightsFile.load(file, b));
      assertTrue(
          msg.contains(
              "layer \"head\" weight \"kernel\": expected shape (4, 3), the file"
                  + " has (4, 2) at /layers/dense_1/vars/0"),
          msg);
      assertSameValues(before, values(b)); // "first" matched, yet it keeps its values
    }
  }

  @Test
  void aMissingLayerGroupIsNamed() {
    Path file = dir.resolve("one.weights.h5");
    Sequential small = new Sequential();
    small.add(Input.of(5));
    small.add(Dense.builder(4).activation("relu").name("hidden").build());
    try (small) {
      KerasWeightsFile.save(file, small, List.of());
    }
    try (Sequential b = stack(4, true)) {
      String msg = assertFileError(file, () -> KerasWeightsFile.load(file, b));
      assertTrue(msg.contains("no group /layers/dense_1/vars for layer \"head\""), msg);
      assertTrue(msg.contains("[dense]"), msg);
    }
  }

  @Test
  void aMissingOrExtraDatasetIsNamed() {
    Path noBias = dir.resolve("nobias.weights.h5");
    Path withBias = dir.resolve("bias.weights.h5");
    try (Sequential a = stack(4, false);
        Sequential b = stack(4, true)) {
      KerasWeightsFile.save(noBias, a, List.of());
      KerasWeightsFile.save(withBias, b, List.of());
    }
    try (Sequential b = stack(4, true)) {
      String msg = assertFileError(noBias, () -> KerasWeightsFile.load(noBias, b));
      assertTrue(
          msg.contains(
              "layer \"head\" weight \"bias\" of shape (2,): no dataset"
                  + " /layers/dense_1/vars/1"),
          msg);
    }
    try (Sequential a = stack(4, false)) {
      String msg = assertFileError(withBias, () -> KerasWeightsFile.load(withBias, a));
      assertTrue(
          msg.contains("layer \"head\" has 1 weights, but /layers/dense_1/vars holds 2"), msg);
    }
  }

  @Test
  void integerWeightDataAndStrayEntriesAreRefused() {
    Path ints = dir.resolve("ints.weights.h5");
    try (WritableHdfFile f = HdfFile.write(ints)) {
      WritableGroup vars = f.putGroup("layers").putGroup("dense").putGroup("vars");
      vars.putDataset("0", new long[5][4]);
      vars.putDataset("1", new long[4]);
    }
    Path stray = dir.resolve("stray.weights.h5");
    try (WritableHdfFile f = HdfFile.write(stray)) {
      WritableGroup vars = f.putGroup("layers").putGroup("dense").putGroup("vars");
      vars.putDataset("kernel", new float[5][4]);
    }
    Sequential s = new Sequential();
    s.add(Input.of(5));
    s.add(new Dense(4));
    try (s) {
      String msg = assertFileError(ints, () -> KerasWeightsFile.load(ints, s));
      assertTrue(msg.contains("expected floating-point data"), msg);
      msg = assertFileError(stray, () -> KerasWeightsFile.load(stray, s));
      assertTrue(msg.contains("unexpected entry \"kernel\""), msg);
    }
  }

  @Test
  void optimizerVariablesCountAgainstTheWeightLimitBeforeTheyAreRead() {
    // 4M float32 zeros, chunked and deflated: 16 MiB in memory from a file of a few KiB.
    Path file = dir.resolve("opt.weights.h5");
    try (WritableHdfFile f = HdfFile.write(file)) {
      WritableGroup layers = f.putGroup("layers");
      WritableGroup hidden = layers.putGroup("dense").putGroup("vars");
      hidden.putDataset("0", new float[5][4]);
      hidden.putDataset("1", new float[4]);
      WritableGroup head = layers.putGroup("dense_1").putGroup("vars");
      head.putDataset("0", new float[4][2]);
      head.putDataset("1", new float[2]);
      f.putGroup("optimizer")
          .putGroup("vars")
          .putDataset(
              "0",
              new float[1 << 22],
              DatasetCreationOptions.builder().chunkDimensions(1 << 16).deflate().build());
    }
    assertTrue(file.toFile().length() < (1 << 20));
    try (Sequential s = stack(4, true)) {
      System.setProperty(ModelFileLimits.MAX_WEIGHT_BYTES_PROPERTY, String.valueOf(1 << 20));
      String msg = assertFileError(file, () -> KerasWeightsFile.load(file, s));
      for (String part :
          List.of(
              "/optimizer/vars/0",
              "(4194304,)",
              "16777216 bytes",
              "limit of 1048576",
              ModelFileLimits.MAX_WEIGHT_BYTES_PROPERTY)) {
        assertTrue(msg.contains(part), "\"" + part + "\" not in: " + msg);
      }
      System.clearProperty(ModelFileLimits.MAX_WEIGHT_BYTES_PROPERTY);
      assertEquals(1 << 22, KerasWeightsFile.load(file, s).get(0).size());
    } finally {
      System.clearProperty(ModelFileLimits.MAX_WEIGHT_BYTES_PROPERTY);
    }
  }

  @Test
  void aNamedArrayOfTheWrongSizeIsRefusedBeforeItIsRead() {
    // A TF-IDF StringLookup keeps 3 idf_weights; the file claims 4M floats in a few KiB.
    Path file = dir.resolve("idf.weights.h5");
    try (WritableHdfFile f = HdfFile.write(file)) {
      f.putGroup("layers")
          .putGroup("string_lookup")
          .putGroup("vars")
          .putDataset(
              "idf_weights",
              new float[1 << 22],
              DatasetCreationOptions.builder().chunkDimensions(1 << 16).deflate().build());
    }
    KerasTensor in = Input.of("string", 2);
    StringLookup lookup =
        StringLookup.builder()
            .vocabulary(List.of("a", "b"))
            .idfWeights(List.of(0.5, 2.0))
            .outputMode("tf_idf")
            .build();
    try (Model m = new Model(in, lookup.apply(in))) {
      com.sun.management.ThreadMXBean threads =
          (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      long before = threads.getCurrentThreadAllocatedBytes();
      String msg = assertFileError(file, () -> KerasWeightsFile.load(file, m));
      long allocated = threads.getCurrentThreadAllocatedBytes() - before;
      assertTrue(msg.contains("expected 3 values at /layers/string_lookup/vars/idf_weights"), msg);
      assertTrue(msg.contains("the file has 4194304"), msg);
      assertTrue(allocated < (8 << 20), "read the claimed array: " + allocated + " bytes");
    }
  }

  @Test
  void arraysStoredForALayerThatHasNoWeightsAreRefused() {
    Path file = dir.resolve("act.weights.h5");
    try (WritableHdfFile f = HdfFile.write(file)) {
      f.putGroup("layers").putGroup("activation").putGroup("vars").putDataset("0", new float[3]);
    }
    KerasTensor x = Input.of(3);
    try (Model m = new Model(List.of(x), List.of(new Activation("relu", "act").apply(x)))) {
      String msg = assertFileError(file, () -> KerasWeightsFile.load(file, m));
      assertTrue(
          msg.contains(
              "layer \"act\" (Activation) has no weights, but"
                  + " /layers/activation/vars holds 1 arrays"),
          msg);
    }
  }

  // ---- files that are not weight files -------------------------------------------------------

  @Test
  void truncatedFilesAreReportedAndAssignNothing() throws IOException {
    Path file = dir.resolve("full.weights.h5");
    try (Model a = fmModel()) {
      randomize(a, 4);
      KerasWeightsFile.save(file, a, List.of(StoredArray.ofLongScalar(1)));
    }
    byte[] full = Files.readAllBytes(file);
    for (int length :
        new int[] {
          0,
          7,
          100,
          full.length / 3,
          full.length / 2,
          full.length - 200,
          full.length - 17,
          full.length - 1
        }) {
      Path cut = dir.resolve("cut" + length + ".weights.h5");
      Files.write(cut, Arrays.copyOf(full, length));
      try (Model b = fmModel()) {
        List<float[]> before = values(b);
        int cutAt = length;
        KerasFileException e =
            assertThrows(
                KerasFileException.class,
                () -> KerasWeightsFile.load(cut, b),
                "cut at " + cutAt + " of " + full.length);
        assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
        assertSameValues(before, values(b));
      }
    }
  }

  @Test
  void randomBytesTextAndFoldersAreReported() throws IOException {
    Path random = dir.resolve("random.weights.h5");
    byte[] noise = new byte[4096];
    new Random(8).nextBytes(noise);
    Files.write(random, noise);
    Path text = dir.resolve("text.weights.h5");
    Files.writeString(text, "{\"not\": \"hdf5\"}\n");
    Path missing = dir.resolve("missing.weights.h5");
    Path folder = Files.createDirectory(dir.resolve("folder.weights.h5"));
    try (Model m = fmModel()) {
      assertFileError(random, () -> KerasWeightsFile.load(random, m));
      assertFileError(text, () -> KerasWeightsFile.load(text, m));
      assertTrue(
          assertFileError(missing, () -> KerasWeightsFile.load(missing, m)).contains("no such"));
      assertTrue(
          assertFileError(folder, () -> KerasWeightsFile.load(folder, m)).contains("folder"));
      KerasFileException e =
          assertThrows(KerasFileException.class, () -> KerasWeightsFile.load(noise, "blob.h5", m));
      assertTrue(e.getMessage().startsWith("blob.h5: "), e.getMessage());
    }
  }

  @Test
  void flippedBytesNeverEscapeAsAnotherExceptionType() throws IOException {
    Path file = dir.resolve("good.weights.h5");
    try (Model a = fmModel()) {
      KerasWeightsFile.save(
          file, a, List.of(StoredArray.ofLongScalar(1), StoredArray.ofFloatScalar(0.01f)));
    }
    byte[] good = Files.readAllBytes(file);
    Random rnd = new Random(17);
    int failures = 0;
    for (int trial = 0; trial < 200; trial++) {
      byte[] bad = good.clone();
      for (int k = 0; k < 4; k++) {
        bad[rnd.nextInt(bad.length)] ^= (byte) (1 + rnd.nextInt(255));
      }
      Path p = dir.resolve("flip.weights.h5");
      Files.write(p, bad);
      try (Model b = fmModel()) {
        KerasWeightsFile.load(p, b);
      } catch (KerasFileException e) {
        failures++;
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
      }
    }
    // Flips inside float data are undetectable (HDF5 has no checksums there); header damage is.
    assertTrue(failures > 0, "some corruptions should be detected");
  }

  // ---- StoredArray ---------------------------------------------------------------------------

  @Test
  void storedArraysCheckTheirShapeAndCompareByValue() {
    StoredArray a = StoredArray.ofFloats(new long[] {2, 2}, new float[] {1, 2, 3, 4});
    assertEquals(a, StoredArray.ofFloats(new long[] {2, 2}, new float[] {1, 2, 3, 4}));
    assertNotEquals(a, StoredArray.ofFloats(new long[] {4}, new float[] {1, 2, 3, 4}));
    assertEquals(
        a.hashCode(), StoredArray.ofFloats(new long[] {2, 2}, new float[] {1, 2, 3, 4}).hashCode());
    assertEquals("(2, 2)", a.shapeString());
    assertEquals("(4,)", StoredArray.ofFloats(1, 2, 3, 4).shapeString());
    assertEquals("()", StoredArray.ofLongScalar(7).shapeString());
    assertEquals(7L, StoredArray.ofLongScalar(7).longs()[0]);
    assertNull(StoredArray.ofLongScalar(7).floats());
    assertThrows(
        IllegalArgumentException.class, () -> StoredArray.ofFloats(new long[] {3}, new float[2]));
    assertThrows(
        IllegalArgumentException.class,
        () -> new StoredArray(new long[0], new float[1], new long[1]));
    assertThrows(IllegalArgumentException.class, () -> new StoredArray(new long[0], null, null));
    assertThrows(
        IllegalArgumentException.class, () -> StoredArray.ofLongs(new long[] {-1}, new long[0]));
    long[] shape = {2, 2};
    StoredArray b = StoredArray.ofFloats(shape, new float[4]);
    shape[0] = 9;
    assertArrayEquals(new long[] {2, 2}, b.shape());
  }

  @Test
  void sequentialPredictionsSurviveARoundTrip() {
    Path file = dir.resolve("p.weights.h5");
    float[][] x = randomRows(40, 5, 6);
    float[][] expected;
    try (Sequential a = stack(4, true)) {
      randomize(a, 30);
      expected = a.predict(x);
      KerasWeightsFile.save(file, a, List.of());
    }
    try (Sequential b = stack(4, true)) {
      KerasWeightsFile.load(file, b);
      float[][] g = b.predict(x);
      for (int i = 0; i < x.length; i++) {
        assertArrayEquals(expected[i], g[i]);
      }
    }
  }
}

package io.jkeras.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.DatasetCreationOptions;
import io.jhdf.api.WritableGroup;
import io.jkeras.layers.Dense;
import io.jkeras.layers.Embedding;
import io.jkeras.layers.Flatten;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.models.Model;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model files that lie about their sizes (issue 13): each is refused, or loaded, with memory
 * bounded by {@link ModelFileLimits} rather than by what the file claims, and the message names the
 * file. Every file here is small; limits are scaled down where a real attack would take gigabytes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileModelFileTest {

  @TempDir Path dir;

  private Path good;
  private final int[][] ids = {{1, 2, 3}, {999, 0, 7}};
  private float[][] expected;

  /** A saved Embedding(1000, 50) model: input "ids" (None, 3) int32, layer "emb". */
  @BeforeEach
  void saveModel() {
    KerasTensor x = Input.named("ids", "int32", 3);
    KerasTensor e = Embedding.builder(1000, 50).name("emb").build().apply(x);
    try (Model m = new Model(x, new Dense(1).apply(new Flatten().apply(e)))) {
      expected = m.predict(ids);
      good = dir.resolve("good.keras");
      KerasModelFile.save(m, good);
    }
  }

  @AfterEach
  void clearLimits() {
    System.clearProperty(ModelFileLimits.MAX_CONFIG_BYTES_PROPERTY);
    System.clearProperty(ModelFileLimits.MAX_WEIGHT_BYTES_PROPERTY);
  }

  private static KerasFileException refused(Path file) {
    return assertThrows(KerasFileException.class, () -> KerasModelFile.load(file).close());
  }

  private static void contains(String message, String... parts) {
    for (String p : parts) {
      assertTrue(message.contains(p), "\"" + p + "\" not in: " + message);
    }
  }

  @Test
  void anEmbeddingOfTwentyMillionRowsIsRefusedBeforeAllocating() {
    // 20M x 50 float32 is 4 GB: without the check this would allocate it (or fail with an
    // OutOfMemoryError) before comparing with the (1000, 50) array the file holds.
    Path hostile =
        KerasArchive.read(good)
            .editConfig(c -> KerasArchive.layerConfig(c, 1).put("input_dim", 20_000_000))
            .write(dir.resolve("rows.keras"), true);
    long before = usedHeap();
    long start = System.nanoTime();
    KerasFileException e = refused(hostile);
    contains(
        e.getMessage(),
        hostile.toString(),
        "model.weights.h5",
        "layer \"emb\" weight \"embeddings\"",
        "(20000000, 50)",
        "(1000, 50)",
        "refused before allocating");
    assertTrue(System.nanoTime() - start < 10_000_000_000L, "took too long");
    assertTrue(usedHeap() - before < (256L << 20), "the refused table was allocated");
  }

  @Test
  void theSameCheckCoversLegacyH5Files() throws Exception {
    String config =
        KerasArchive.read(good)
            .editConfig(c -> KerasArchive.layerConfig(c, 1).put("input_dim", 20_000_000))
            .editConfig(c -> c.remove("compile_config"))
            .members
            .entrySet()
            .stream()
            .filter(m -> m.getKey().equals("config.json"))
            .map(m -> new String(m.getValue(), StandardCharsets.UTF_8))
            .findFirst()
            .orElseThrow();
    Path h5 = dir.resolve("legacy.h5");
    try (WritableHdfFile f = HdfFile.write(h5)) {
      f.putAttribute("model_config", config);
      WritableGroup emb = f.putGroup("model_weights").putGroup("emb").putGroup("emb");
      emb.putDataset("embeddings:0", new float[1000][50]);
    }
    KerasFileException e = refused(h5);
    contains(e.getMessage(), h5.toString(), "layer \"emb\"", "(20000000, 50)", "(1000, 50)");
  }

  @Test
  void legacyOptimizerWeightsCountAgainstTheWeightLimitBeforeTheyAreRead() throws Exception {
    KerasTensor x = Input.of(2);
    Path saved = dir.resolve("compiled.keras");
    try (Model m = new Model(x, Dense.builder(1).name("d").build().apply(x))) {
      m.compile("adam", "mse");
      KerasModelFile.save(m, saved);
    }
    Map<String, Object> config = KerasArchive.read(saved).config();
    @SuppressWarnings("unchecked")
    Map<String, Object> training = (Map<String, Object>) config.remove("compile_config");
    training.put("optimizer_config", training.remove("optimizer"));
    ObjectMapper json = new ObjectMapper();
    Path h5 = dir.resolve("adam.h5");
    try (WritableHdfFile f = HdfFile.write(h5)) {
      f.putAttribute("model_config", json.writeValueAsString(config));
      f.putAttribute("training_config", json.writeValueAsString(training));
      WritableGroup d = f.putGroup("model_weights").putGroup("d");
      d.putAttribute("weight_names", new String[] {"d/kernel:0", "d/bias:0"});
      WritableGroup inner = d.putGroup("d");
      inner.putDataset("kernel:0", new float[2][1]);
      inner.putDataset("bias:0", new float[1]);
      WritableGroup opt = f.putGroup("optimizer_weights");
      opt.putAttribute("weight_names", new String[] {"iteration:0", "learning_rate:0", "m:0"});
      opt.putDataset("iteration:0", 0L);
      opt.putDataset("learning_rate:0", 0.001f);
      // 4M float32 zeros, chunked and deflated: 16 MiB in memory from a file of a few KiB.
      opt.putDataset(
          "m:0",
          new float[1 << 22],
          DatasetCreationOptions.builder().chunkDimensions(1 << 16).deflate().build());
    }
    assertTrue(Files.size(h5) < (1 << 20));
    System.setProperty(ModelFileLimits.MAX_WEIGHT_BYTES_PROPERTY, String.valueOf(1 << 20));
    contains(
        refused(h5).getMessage(),
        h5.toString(),
        "/optimizer_weights/m:0",
        "(4194304,)",
        "16777216 bytes",
        "limit of 1048576",
        ModelFileLimits.MAX_WEIGHT_BYTES_PROPERTY);
  }

  @Test
  void theWeightLimitIsConfigurableAndNamed() {
    // The table is 200,000 bytes; the Dense kernel and bias 604 more.
    System.setProperty(ModelFileLimits.MAX_WEIGHT_BYTES_PROPERTY, "100000");
    KerasFileException e = refused(good);
    contains(
        e.getMessage(),
        good.toString(),
        "layer \"emb\" weight \"embeddings\"",
        "200000 bytes",
        "limit of 100000",
        ModelFileLimits.MAX_WEIGHT_BYTES_PROPERTY);
    System.setProperty(ModelFileLimits.MAX_WEIGHT_BYTES_PROPERTY, "200804");
    try (Model m = KerasModelFile.load(good)) {
      assertArrayEquals(expected[1], m.predict(ids)[1]);
    }
    System.setProperty(ModelFileLimits.MAX_WEIGHT_BYTES_PROPERTY, "-1");
    contains(refused(good).getMessage(), ModelFileLimits.MAX_WEIGHT_BYTES_PROPERTY, "-1");
  }

  @Test
  void theWeightsMemberIsBoundedByTheConfiguredLimitsNotByTwoGigabytes() throws Exception {
    // model.weights.h5 followed by 8 MiB of zeros (HDF5 ignores them), deflated to a few KiB.
    System.setProperty(ModelFileLimits.MAX_WEIGHT_BYTES_PROPERTY, "300000");
    System.setProperty(ModelFileLimits.MAX_CONFIG_BYTES_PROPERTY, String.valueOf(1 << 20));
    try (Model m = KerasModelFile.load(good)) {
      assertArrayEquals(expected[0], m.predict(ids)[0]);
    }
    KerasArchive a = KerasArchive.read(good);
    byte[] weights = a.members.get("model.weights.h5");
    a.members.put("model.weights.h5", Arrays.copyOf(weights, weights.length + (8 << 20)));
    Path padded = a.write(dir.resolve("padded.keras"), true);
    assertTrue(Files.size(padded) < (1 << 20));
    contains(
        refused(padded).getMessage(),
        padded.toString(),
        "model.weights.h5 claims " + (weights.length + (8 << 20)) + " bytes",
        "(2248576",
        ModelFileLimits.MAX_WEIGHT_BYTES_PROPERTY);
  }

  @Test
  void aZipWhoseHeaderUnderstatesConfigJsonIsRefusedByTheBytesReallyInflated() throws Exception {
    // config.json really inflates to 64 MiB of JSON whitespace after the config; the archive's
    // central directory claims 1000 bytes. Reading must stop near the claim, not at 64 MiB.
    KerasArchive a = KerasArchive.read(good);
    byte[] config = a.members.get("config.json");
    Path lying = dir.resolve("lying.keras");
    Files.write(lying, claimSize(zipWithPaddedConfig(a, config, 64 << 20), "config.json", 1000));
    long before = usedHeap();
    long start = System.nanoTime();
    KerasFileException e = refused(lying);
    contains(e.getMessage(), lying.toString(), "config.json", "more than 1000 bytes");
    assertTrue(System.nanoTime() - start < 5_000_000_000L, "took too long");
    assertTrue(usedHeap() - before < (32L << 20), "inflated far past the claimed size");
  }

  @Test
  void aConfigPaddedWithWhitespaceIsRefusedOverTheLimitAndLoadsUnderIt() throws Exception {
    KerasArchive a = KerasArchive.read(good);
    byte[] config = a.members.get("config.json");
    // Over the default limit (64 MiB): refused by its size, before inflating anything.
    Path huge = dir.resolve("huge.keras");
    Files.write(huge, zipWithPaddedConfig(a, config, (64 << 20) + 1));
    long start = System.nanoTime();
    contains(
        refused(huge).getMessage(),
        huge.toString(),
        "config.json",
        "more than jkeras reads (67108864",
        ModelFileLimits.MAX_CONFIG_BYTES_PROPERTY);
    assertTrue(System.nanoTime() - start < 5_000_000_000L, "took too long");

    // A configured 1 MiB limit: 2 MiB of padding is refused, 512 KiB loads and predicts.
    System.setProperty(ModelFileLimits.MAX_CONFIG_BYTES_PROPERTY, String.valueOf(1 << 20));
    Path over = dir.resolve("over.keras");
    Files.write(over, zipWithPaddedConfig(a, config, 2 << 20));
    contains(refused(over).getMessage(), over.toString(), "config.json", "(1048576");
    Path under = dir.resolve("under.keras");
    Files.write(under, zipWithPaddedConfig(a, config, 512 << 10));
    try (Model m = KerasModelFile.load(under)) {
      assertArrayEquals(expected[0], m.predict(ids)[0]);
    }
  }

  @Test
  void anArchiveWithTwoConfigJsonMembersIsRefused() throws Exception {
    // Zip readers disagree on which of two same-named members counts (Java and Python take the
    // last, others the first), so one file could load as two different models.
    KerasArchive a = KerasArchive.read(good);
    byte[] config = a.members.get("config.json");
    a.members.put("config.jsoX", config);
    a.members.put("config.json", "{\"not\": \"a model\"}".getBytes(StandardCharsets.UTF_8));
    KerasArchive reordered = new KerasArchive();
    reordered.members.put("config.json", a.members.get("config.json"));
    a.members.forEach((k, v) -> reordered.members.putIfAbsent(k, v));
    byte[] zip = reordered.bytes(false);
    byte[] from = "config.jsoX".getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i + from.length <= zip.length; i++) {
      if (Arrays.equals(Arrays.copyOfRange(zip, i, i + from.length), from)) {
        zip[i + from.length - 1] = 'n';
      }
    }
    Path twice = Files.write(dir.resolve("twice.keras"), zip);
    contains(refused(twice).getMessage(), twice.toString(), "config.json", "2 members");
  }

  /** The archive with config.json followed by whitespace up to {@code total} bytes, deflated. */
  private static byte[] zipWithPaddedConfig(KerasArchive a, byte[] config, int total)
      throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> m : a.members.entrySet()) {
        zip.putNextEntry(new ZipEntry(m.getKey()));
        if (m.getKey().equals("config.json")) {
          zip.write(config);
          byte[] spaces = new byte[1 << 16];
          Arrays.fill(spaces, (byte) ' ');
          for (int left = total - config.length; left > 0; left -= spaces.length) {
            zip.write(spaces, 0, Math.min(left, spaces.length));
          }
        } else {
          zip.write(m.getValue());
        }
        zip.closeEntry();
      }
    }
    return out.toByteArray();
  }

  /** Rewrites the uncompressed size the central directory records for {@code name}. */
  private static byte[] claimSize(byte[] zip, String name, int claimed) {
    ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
    byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
    int patched = 0;
    for (int i = 0; i + 46 <= zip.length; i++) {
      if (b.getInt(i) != 0x02014b50) {
        continue; // not a central directory entry
      }
      int nameLength = b.getShort(i + 28) & 0xffff;
      if (Arrays.equals(Arrays.copyOfRange(zip, i + 46, i + 46 + nameLength), wanted)) {
        b.putInt(i + 24, claimed);
        patched++;
      }
    }
    assertEquals(1, patched);
    return zip;
  }

  private static long usedHeap() {
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }
}

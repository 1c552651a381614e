package io.jkeras.saving;

import com.fasterxml.jackson.databind.util.RawValue;
import io.jhdf.HdfFile;
import io.jkeras.backend.WeightAllocation;
import io.jkeras.io.AtomicFile;
import io.jkeras.layers.Lambda;
import io.jkeras.layers.Layer;
import io.jkeras.models.Model;
import io.jkeras.models.ModelRuntime;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.slf4j.LoggerFactory;

/**
 * Whole models in files: Keras 3's {@code .keras} archive, which Python's {@code
 * keras.saving.load_model} reads, and (for loading) the legacy Keras 2 / tf.keras full-model {@code
 * .h5}.
 *
 * <p>A {@code .keras} file is a zip of three stored (uncompressed) members, as Keras writes it:
 * {@code metadata.json} ({@code {"keras_version": "3.15.1", "date_saved": ...}}: the Keras version
 * jkeras targets, so that Python accepts the file), {@code config.json} (the architecture and
 * compile settings, see {@link ModelConfigWriter}) and {@code model.weights.h5} (the weights and
 * the optimizer's variables, see {@link KerasWeightsFile}), then any files layers keep as Keras's
 * assets ({@code assets/layers/<layer path>/vocabulary.txt} of an adapted StringLookup, see {@link
 * Layer#saveAssets}). Models that use custom layers load in Python when the Python twin of each
 * layer is registered under the same name ({@code jkeras>FMLayer}: {@code import jkeras_fm}).
 *
 * <p>{@link #load} tells the formats apart by their first bytes, not by the file name. It accepts
 * deflated archives, members in any order and archives without {@code metadata.json}. The model
 * comes back with its weights, compiled from the file's compile settings when it has them, and with
 * the optimizer's state restored when training starts (its iteration count continues).
 *
 * <p>Any problem with the file (missing, truncated or corrupt, malformed JSON, an unknown layer
 * class, a weight whose shape does not fit) is a {@link KerasFileException} whose message names the
 * file and the place; no partly built model is returned.
 *
 * <pre>{@code
 * KerasModelFile.save(model, Path.of("fm.keras"));
 * try (Model again = KerasModelFile.load(Path.of("fm.keras"))) {
 *   again.fit(x, y, FitOptions.epochs(1));  // continues with the saved Adam state
 * }
 * }</pre>
 */
public final class KerasModelFile {

  /** The Keras version jkeras writes files for (and Python checks). */
  public static final String KERAS_VERSION = "3.15.1";

  /**
   * System property: {@code -Djkeras.saving.safe_mode=true} makes saving a model with a Java {@link
   * Lambda} fail instead of warning.
   */
  public static final String SAFE_MODE_PROPERTY = "jkeras.saving.safe_mode";

  static final String METADATA = "metadata.json";
  static final String CONFIG = "config.json";
  static final String WEIGHTS = "model.weights.h5";
  static final String ASSETS = "assets/";

  /** All asset files of one archive together: vocabularies, not data sets. */
  private static final long MAX_ASSET_BYTES = 256L << 20;

  /** No member of a model file jkeras can hold in memory is larger than a Java array. */
  private static final long MAX_MEMBER_BYTES = Integer.MAX_VALUE - 8;

  private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

  private static final DateTimeFormatter DATE_SAVED =
      DateTimeFormatter.ofPattern("yyyy-MM-dd@HH:mm:ss");

  private KerasModelFile() {}

  // ---- saving --------------------------------------------------------------------------------

  /**
   * Writes {@code model} as a Keras 3 {@code .keras} file: architecture, weights, and, for a
   * compiled model, its compile settings and optimizer state. The file is written to a temporary
   * file beside {@code path} and moved into place once complete.
   *
   * @throws IllegalStateException for a Sequential model that is not built yet
   * @throws UncheckedIOException when the file cannot be written
   */
  public static void save(Model model, Path path) {
    save(model, path, null, null);
  }

  /**
   * {@link #save(Model, Path)}, or with a {@code compile_config} JSON text and optimizer variables
   * copied from another file in place of the model's own.
   */
  private static void save(
      Model model, Path path, String rawCompileConfig, List<StoredArray> optimizerState) {
    Path target = path.toAbsolutePath();
    checkJavaLambdas(model, target);
    Map<String, Object> modelConfig = ModelConfigWriter.modelConfig(model);
    nameJavaLambdas(modelConfig);
    if (rawCompileConfig != null) {
      modelConfig.put("compile_config", new RawValue(rawCompileConfig));
    }
    byte[] config = KerasJson.write(modelConfig);
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("keras_version", KERAS_VERSION);
    meta.put("date_saved", LocalDateTime.now().format(DATE_SAVED));
    byte[] metadata = KerasJson.write(meta);
    byte[] weights = weightsBytes(model, target, optimizerState);
    Map<String, byte[]> assets = assets(model);

    try {
      AtomicFile.write(
          target,
          temp -> {
            try (OutputStream out = Files.newOutputStream(temp);
                ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8)) {
              putStored(zip, METADATA, metadata);
              putStored(zip, CONFIG, config);
              putStored(zip, WEIGHTS, weights);
              for (Map.Entry<String, byte[]> a : assets.entrySet()) {
                putStored(zip, a.getKey(), a.getValue());
              }
            }
          });
    } catch (IOException e) {
      String why = e instanceof NoSuchFileException ? "its folder does not exist" : e.toString();
      throw new UncheckedIOException("Could not write model file " + target + ": " + why, e);
    }
  }

  /**
   * A {@link Lambda} holds Java code, which no {@code .keras} file can carry: Python Keras cannot
   * load such a file as it is ("could not be deserialized properly"). Saving warns through SLF4J
   * and says what the Python side needs; with the system property {@value #SAFE_MODE_PROPERTY} set
   * to {@code true} it refuses instead, before anything is written.
   */
  private static void checkJavaLambdas(Model model, Path target) {
    List<String> names = new ArrayList<>();
    for (Layer layer : model.layers()) {
      if (layer instanceof Lambda) {
        names.add(layer.name());
      }
    }
    if (names.isEmpty()) {
      return;
    }
    String message =
        "Model \""
            + model.name()
            + "\" saved to "
            + target
            + " has Java Lambda layer(s) "
            + names
            + ": their functions are Java code, which a .keras file cannot carry. jkeras"
            + " reloads the file only with safe mode off and a factory registered for each (see"
            + " LayerRegistry); Python Keras fails to load it unless it is given an equivalent:"
            + " keras.saving.load_model(path, custom_objects={\"Lambda\": PyLambda}), where"
            + " PyLambda is a keras.layers.Layer subclass whose __init__(self, function=None,"
            + " output_shape=None, arguments=None, **kwargs) ignores the function and whose call"
            + " computes the same thing. To save a model Python loads as it is, write the"
            + " computation as a Layer subclass registered on both sides"
            + " (LayerRegistry.register / @keras.saving.register_keras_serializable).";
    if (Boolean.getBoolean(SAFE_MODE_PROPERTY)) {
      throw new IllegalArgumentException(
          SAFE_MODE_PROPERTY + "=true refuses this save. " + message);
    }
    LoggerFactory.getLogger(KerasModelFile.class).warn(message);
  }

  /**
   * Gives every Lambda layer entry the registered name {@code "Lambda"} (Keras accepts it for the
   * built-in class), so that Python's {@code custom_objects={"Lambda": ...}} takes precedence over
   * Keras's own Lambda, which cannot run a Java function.
   */
  @SuppressWarnings("unchecked")
  private static void nameJavaLambdas(Object node) {
    if (node instanceof Map<?, ?> map) {
      if ("Lambda".equals(map.get("class_name")) && map.containsKey("registered_name")) {
        ((Map<String, Object>) map).put("registered_name", "Lambda");
      }
      for (Object child : map.values()) {
        nameJavaLambdas(child);
      }
    } else if (node instanceof List<?> list) {
      for (Object child : list) {
        nameJavaLambdas(child);
      }
    }
  }

  /** The {@code model.weights.h5} member, written by KerasWeightsFile to a temporary file. */
  private static byte[] weightsBytes(Model model, Path target, List<StoredArray> copiedState) {
    List<StoredArray> state = new ArrayList<>();
    if (copiedState != null) {
      state.addAll(copiedState);
    } else if (model.isCompiled()) {
      state.addAll(ModelRuntime.of(model).optimizerState());
      if (state.isEmpty()) {
        // Not trained yet: the variables a Keras optimizer has from the start.
        state.add(StoredArray.ofLongScalar(0));
        if (model.optimizer().learningRateSchedule() == null) {
          state.add(StoredArray.ofFloatScalar((float) model.optimizer().learningRate()));
        }
      }
    }
    Path temp = createTempBeside(target, ".weights.h5");
    try {
      KerasWeightsFile.save(temp, model, state);
      return Files.readAllBytes(temp);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write model file " + target + ": " + e, e);
    } finally {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // A leftover hidden temporary file does no harm.
      }
    }
  }

  /** Every layer's asset files, by archive member name, as Keras's save_assets places them. */
  private static Map<String, byte[]> assets(Model model) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (KerasWeightsFile.LayerGroup g : KerasWeightsFile.layerGroups(model)) {
      for (Map.Entry<String, byte[]> f : g.layer().saveAssets().entrySet()) {
        if (f.getKey().isEmpty() || f.getKey().contains("/") || f.getKey().equals("..")) {
          throw new IllegalStateException(
              "Layer \""
                  + g.layer().name()
                  + "\": asset file names must be plain names, got \""
                  + f.getKey()
                  + "\"");
        }
        out.put(ASSETS + "layers/" + g.group() + "/" + f.getKey(), f.getValue());
      }
    }
    return out;
  }

  /** Hands each layer the asset files under its path ({@code assets/layers/<group>/}). */
  private static void loadAssets(Model model, Map<String, byte[]> assets, String source) {
    for (KerasWeightsFile.LayerGroup g : KerasWeightsFile.layerGroups(model)) {
      String prefix = ASSETS + "layers/" + g.group() + "/";
      Map<String, byte[]> files = new LinkedHashMap<>();
      for (Map.Entry<String, byte[]> a : assets.entrySet()) {
        String rest = a.getKey().startsWith(prefix) ? a.getKey().substring(prefix.length()) : null;
        if (rest != null && !rest.isEmpty() && !rest.contains("/")) {
          files.put(rest, a.getValue());
        }
      }
      try {
        g.layer().loadAssets(files);
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new KerasFileException(source + ": " + prefix + ": " + e.getMessage(), e);
      }
    }
  }

  private static void putStored(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(bytes.length);
    e.setCompressedSize(bytes.length);
    CRC32 crc = new CRC32();
    crc.update(bytes);
    e.setCrc(crc.getValue());
    zip.putNextEntry(e);
    zip.write(bytes);
    zip.closeEntry();
  }

  // ---- loading -------------------------------------------------------------------------------

  /** Loads a {@code .keras} or legacy {@code .h5} model file in safe mode, compiled. */
  public static Model load(Path path) {
    return load(path, true, true);
  }

  /**
   * Loads a model file, compiled when it holds compile settings.
   *
   * @param safeMode when true (the default) Lambda layers are refused; see {@link
   *     io.jkeras.layers.LayerCatalog}
   */
  public static Model load(Path path, boolean safeMode) {
    return load(path, safeMode, true);
  }

  /**
   * Loads a model file.
   *
   * @param safeMode when true Lambda layers are refused; see {@link io.jkeras.layers.LayerCatalog}
   * @param compile when false the model comes back uncompiled (and its compile settings and
   *     optimizer state are not read), for files whose training setup jkeras does not support
   * @throws KerasFileException for any file that is not a model jkeras can load
   */
  public static Model load(Path path, boolean safeMode, boolean compile) {
    String source = String.valueOf(path);
    try {
      byte[] bytes = readFile(path, source);
      if (isZip(bytes)) {
        return loadKeras(path, source, safeMode, compile);
      }
      if (isHdf5(bytes)) {
        return LegacyH5ModelFile.load(bytes, source, safeMode, compile);
      }
      throw new KerasFileException(
          source
              + ": neither a .keras model (a zip archive) nor a"
              + " legacy .h5 model (HDF5); it starts with bytes "
              + hexStart(bytes));
    } catch (KerasFileException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new KerasFileException(source + ": cannot load the model: " + e, e);
    } catch (OutOfMemoryError | StackOverflowError e) {
      throw new KerasFileException(
          source
              + ": the model this file describes is too large or too"
              + " deeply nested to load: "
              + e,
          e);
    }
  }

  /**
   * Rewrites the model file {@code in} ({@code .keras} or legacy {@code .h5}) as the Keras 3 file
   * {@code out}, in safe mode. Training settings jkeras compiles with are written as {@link
   * #save(Model, Path)} writes them. A {@code .keras} file's settings that jkeras cannot interpret
   * are copied unchanged, the {@code compile_config} JSON text byte for byte and the optimizer
   * variables as stored, so that Python compiles the result and continues training as from {@code
   * in}. A legacy {@code .h5} file's such settings are left out.
   *
   * <pre>{@code
   * KerasModelFile.convert(Path.of("python.keras"), Path.of("copy.keras"));
   * }</pre>
   *
   * @return what was not carried over (empty when everything was); for the user to read
   * @throws KerasFileException when {@code in} is not a model jkeras can load
   */
  public static List<String> convert(Path in, Path out) {
    String source = String.valueOf(in);
    byte[] bytes = readFile(in, source);
    try (Model model = load(in, true, true)) {
      save(model, out);
      return List.of();
    } catch (TrainingConfigException e) {
      if (!isZip(bytes)) {
        try (Model model = load(in, true, false)) {
          save(model, out);
        }
        return List.of(
            "the training settings were left out (not converted): " + e.getCause().getMessage());
      }
    }
    Archive archive = readArchive(in, source);
    String where = source + ": " + CONFIG;
    Map<String, Object> config = KerasJson.parseObject(archive.config(), where);
    String rawCompileConfig = KerasJson.rawMember(archive.config(), "compile_config", where);
    try (Model model =
        readChecked(config, where, true, archive.weights(), source + ": " + WEIGHTS)) {
      List<StoredArray> state =
          KerasWeightsFile.load(archive.weights(), source + ": " + WEIGHTS, model);
      loadAssets(model, archive.assets(), source);
      save(model, out, rawCompileConfig, state);
    }
    return List.of();
  }

  private static byte[] readFile(Path path, String source) {
    if (path == null) {
      throw new KerasFileException("null: no model file given");
    }
    if (Files.isDirectory(path)) {
      throw new KerasFileException(
          source
              + ": is a folder, not a .keras or .h5 model file (KerasModelFile does not read"
              + " SavedModel folders)");
    }
    if (!Files.exists(path)) {
      throw new KerasFileException(source + ": no such model file");
    }
    if (!Files.isRegularFile(path)) {
      // A device or pipe (/dev/zero, say) has no size and may never end.
      throw new KerasFileException(
          source + ": not a regular file (a device or pipe?), so not a .keras or .h5 model file");
    }
    try {
      if (Files.size(path) > MAX_MEMBER_BYTES) {
        throw new KerasFileException(
            source + ": " + Files.size(path) + " bytes, larger than" + " jkeras can load");
      }
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw new KerasFileException(source + ": cannot read the file: " + e, e);
    }
  }

  /** A {@code .keras} archive's config and weights members. */
  private record Archive(byte[] config, byte[] weights, Map<String, byte[]> assets) {}

  private static Archive readArchive(Path path, String source) {
    try (ZipFile zip = new ZipFile(path.toFile())) {
      // Zip readers differ in which of two same-named members they take: refuse the ambiguity.
      Set<String> seen = new HashSet<>();
      for (ZipEntry e : Collections.list(zip.entries())) {
        if (!seen.add(e.getName())) {
          throw new KerasFileException(
              source
                  + ": the archive has "
                  + zip.stream().filter(o -> o.getName().equals(e.getName())).count()
                  + " members named "
                  + e.getName()
                  + ", expected one");
        }
      }
      byte[] metadata = member(zip, METADATA, source, false);
      if (metadata != null) {
        KerasJson.parseObject(metadata, source + ": " + METADATA);
      }
      Map<String, byte[]> assets = new LinkedHashMap<>();
      long total = 0;
      for (ZipEntry e : Collections.list(zip.entries())) {
        if (e.getName().startsWith(ASSETS) && !e.isDirectory()) {
          byte[] bytes = member(zip, e.getName(), source, true);
          total += bytes.length;
          if (total > MAX_ASSET_BYTES) {
            throw new KerasFileException(
                source + ": the assets hold more than " + MAX_ASSET_BYTES + " bytes");
          }
          assets.put(e.getName(), bytes);
        }
      }
      return new Archive(
          member(zip, CONFIG, source, true), member(zip, WEIGHTS, source, true), assets);
    } catch (IOException e) {
      throw new KerasFileException(
          source + ": not a readable zip archive (truncated or" + " corrupt?): " + e.getMessage(),
          e);
    }
  }

  /** Null and {@code {}} (Keras 3.15 writes it for a model never compiled) mean uncompiled. */
  private static boolean hasCompileConfig(Object compileConfig) {
    return compileConfig != null && !(compileConfig instanceof Map<?, ?> m && m.isEmpty());
  }

  private static Model loadKeras(Path path, String source, boolean safeMode, boolean compile) {
    Archive archive = readArchive(path, source);
    String where = source + ": " + CONFIG;
    Map<String, Object> config = KerasJson.parseObject(archive.config(), where);
    Model model = readChecked(config, where, safeMode, archive.weights(), source + ": " + WEIGHTS);
    List<StoredArray> state;
    try {
      state = KerasWeightsFile.load(archive.weights(), source + ": " + WEIGHTS, model);
      loadAssets(model, archive.assets(), source);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
    Object compileConfig = config.get("compile_config");
    if (compile && hasCompileConfig(compileConfig)) {
      String cw = where + ".compile_config";
      try {
        KerasCompileConfig.compile(model, KerasJson.object(compileConfig, cw), cw, false);
        state =
            KerasCompileConfig.checkOptimizerState(
                model, state, source + ": " + WEIGHTS + " /optimizer");
      } catch (KerasFileException e) {
        model.close();
        throw new TrainingConfigException(e);
      }
      if (!state.isEmpty()) {
        ModelRuntime.of(model).restoreOptimizerState(state);
      }
    }
    return model;
  }

  /**
   * The model {@code config} describes, each weight checked against the arrays {@code weights}
   * declares before it is allocated (see {@link DeclaredWeights}).
   */
  private static Model readChecked(
      Map<String, Object> config,
      String where,
      boolean safeMode,
      byte[] weights,
      String weightsSource) {
    DeclaredWeights declared;
    try (HdfFile file = HdfFile.fromBytes(weights)) {
      declared = DeclaredWeights.ofKerasLayout(file, weightsSource);
    } catch (KerasFileException e) {
      throw e;
    } catch (RuntimeException e) {
      throw KerasWeightsFile.notReadable(weightsSource, e);
    }
    return WeightAllocation.checkedBy(
        declared, () -> ModelConfigReader.read(config, where, safeMode));
  }

  /** A member's bytes after checking its size and CRC, or null when absent and optional. */
  private static byte[] member(ZipFile zip, String name, String source, boolean required)
      throws IOException {
    ZipEntry entry = zip.getEntry(name);
    if (entry == null || entry.isDirectory()) {
      if (!required) {
        return null;
      }
      List<String> names = new ArrayList<>();
      zip.stream().limit(20).forEach(e -> names.add(e.getName()));
      throw new KerasFileException(
          source
              + ": the archive has no "
              + name
              + " (members: "
              + names
              + "); a .keras file holds "
              + CONFIG
              + " and "
              + WEIGHTS);
    }
    long size = entry.getSize();
    boolean json = !name.equals(WEIGHTS);
    long cap = json ? ModelFileLimits.maxConfigBytes() : weightsMemberCap();
    String raise =
        "; raise -D"
            + (json
                ? ModelFileLimits.MAX_CONFIG_BYTES_PROPERTY
                : ModelFileLimits.MAX_WEIGHT_BYTES_PROPERTY)
            + " for a larger one";
    if (size > cap) {
      throw new KerasFileException(
          source
              + ": "
              + name
              + " claims "
              + size
              + " bytes, more than jkeras reads ("
              + cap
              + raise
              + ")");
    }
    byte[] bytes;
    try (InputStream in = zip.getInputStream(entry)) {
      // Inflate no further than the size the header claims (or the cap when it claims none).
      bytes = readAtMost(in, size >= 0 ? size : cap, source + ": " + name);
    }
    if (size >= 0 && bytes.length != size) {
      throw new KerasFileException(
          source
              + ": "
              + name
              + " should hold "
              + size
              + " bytes, the archive gave "
              + bytes.length
              + " (corrupt archive)");
    }
    CRC32 crc = new CRC32();
    crc.update(bytes);
    if (entry.getCrc() != -1 && crc.getValue() != entry.getCrc()) {
      throw new KerasFileException(
          source
              + ": "
              + name
              + " is corrupt (its CRC-32 is "
              + Long.toHexString(crc.getValue())
              + ", the archive records "
              + Long.toHexString(entry.getCrc())
              + ")");
    }
    return bytes;
  }

  /**
   * The largest {@code model.weights.h5} read: the weights and the optimizer's variables, each up
   * to the weight limit and up to 8 bytes a value in the file where jkeras counts 4, and up to the
   * config limit of HDF5 structure; never more than a Java array.
   */
  private static long weightsMemberCap() {
    long weights = ModelFileLimits.maxWeightBytes();
    if (weights >= MAX_MEMBER_BYTES / 4) {
      return MAX_MEMBER_BYTES;
    }
    long structure = Math.min(ModelFileLimits.maxConfigBytes(), MAX_MEMBER_BYTES);
    return Math.min(MAX_MEMBER_BYTES, 4 * weights + structure);
  }

  private static byte[] readAtMost(InputStream in, long limit, String what) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) > 0) {
      total += n;
      if (total > limit) {
        throw new KerasFileException(
            what + ": inflates to more than " + limit + " bytes (corrupt or hostile archive)");
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  // ---- format detection ----------------------------------------------------------------------

  private static boolean isZip(byte[] b) {
    return b.length >= 4
        && b[0] == 'P'
        && b[1] == 'K'
        && ((b[2] == 3 && b[3] == 4) || (b[2] == 5 && b[3] == 6));
  }

  /** HDF5's signature at offset 0, 512, 1024, 2048, ... (after a user block). */
  private static boolean isHdf5(byte[] b) {
    for (long offset = 0;
        offset + HDF5_SIGNATURE.length <= b.length;
        offset = offset == 0 ? 512 : offset * 2) {
      boolean match = true;
      for (int i = 0; i < HDF5_SIGNATURE.length && match; i++) {
        match = b[(int) offset + i] == HDF5_SIGNATURE[i];
      }
      if (match) {
        return true;
      }
    }
    return false;
  }

  private static String hexStart(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(8, b.length); i++) {
      sb.append(String.format("%02x ", b[i] & 0xff));
    }
    return b.length == 0 ? "(none: the file is empty)" : sb.toString().trim();
  }

  // ---- files ---------------------------------------------------------------------------------

  /** Reserves a fresh hidden file beside {@code target}, so the final move is a rename. */
  private static Path createTempBeside(Path target, String suffix) {
    Path dir = target.getParent();
    io.jkeras.io.AtomicFile.removeStaleTemporaries(target);
    for (int attempt = 0; ; attempt++) {
      Path temp = dir.resolve(io.jkeras.io.AtomicFile.temporaryName(target, suffix));
      try {
        return Files.createFile(temp);
      } catch (FileAlreadyExistsException e) {
        if (attempt > 100) {
          throw new UncheckedIOException("Could not create a temporary file beside " + target, e);
        }
      } catch (IOException e) {
        String why = e instanceof NoSuchFileException ? "its folder does not exist" : e.toString();
        throw new UncheckedIOException("Could not write model file " + target + ": " + why, e);
      }
    }
  }
}

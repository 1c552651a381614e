package io.jkeras.saving;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.WritableGroup;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import io.jkeras.io.AtomicFile;
import io.jkeras.layers.KerasNames;
import io.jkeras.layers.Layer;
import io.jkeras.layers.Weight;
import io.jkeras.models.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keras 3's weight file, {@code .weights.h5} (the same HDF5 layout as {@code model.weights.h5}
 * inside a {@code .keras} archive): what {@code model.save_weights} writes and {@code
 * model.load_weights} reads.
 *
 * <p>Layout, as Keras 3.15 writes it:
 *
 * <ul>
 *   <li>{@code /layers/<group>/vars/<i>}: one float32 dataset per weight. {@code <group>} is the
 *       layer's class name in snake case, numbered per class in {@code model.layers()} order
 *       ({@code dense}, {@code dense_1}, {@code fm_layer}, ...), not the layer's own name; a
 *       functional model's input layers count (group {@code input_layer}), a Sequential's input
 *       layer is not among its layers. {@code <i>} is the weight's index in {@link
 *       Layer#ownWeights()}: trainable first, then non-trainable, each in creation order.
 *   <li>{@code /layers/<group>/<attribute>/vars/<i>}: the weights of a sub-layer (see {@link
 *       Layer#sublayers()}), below its parent's group under the attribute name Python holds it by
 *       ({@code layers/lstm/cell/vars/0}, {@code layers/feature_cross/dense/vars/1}).
 *   <li>Each {@code vars} group has a string attribute {@code name}: the layer's real name.
 *   <li>{@code /optimizer/vars/<i>}: the optimizer's variables; for Adam {@code 0} the iteration
 *       count (int64 scalar), {@code 1} the learning rate (float32 scalar), then for each trainable
 *       weight in model order its first and second moments.
 * </ul>
 *
 * <p>Layer names longer than 4 KiB are not stored as the {@code name} attribute (jhdf corrupts very
 * long string attributes); Keras does not need it to load.
 *
 * <p>Keras also writes empty groups (a {@code vars} group for each weightless layer and a top-level
 * {@code vars}); it loads files without them, and this writer leaves them out, because jhdf 0.13
 * corrupts groups that hold no dataset. jhdf also adds a root attribute {@code _jHDF}, which Keras
 * ignores.
 *
 * <p>{@link #save} writes atomically: to a temporary file in the target's folder, moved over the
 * target only once complete, so a failed save leaves the previous file as it was. {@link #load}
 * checks every array against the model before assigning any, and reports every problem with the
 * file as a {@link KerasFileException}.
 *
 * <pre>{@code
 * KerasWeightsFile.save(Path.of("model.weights.h5"), model, List.of());
 * List<StoredArray> optimizerState = KerasWeightsFile.load(Path.of("model.weights.h5"), model);
 * }</pre>
 */
public final class KerasWeightsFile {

  /** Where a layer's weights live in the file: {@code /layers/<group>/vars}. */
  public record LayerGroup(String group, Layer layer) {
    /** The path of the layer's {@code vars} group, without a leading slash. */
    public String varsPath() {
      return LAYERS + "/" + group + "/" + VARS;
    }
  }

  private static final String LAYERS = "layers";
  private static final String OPTIMIZER = "optimizer";
  private static final String VARS = "vars";
  private static final String NAME_ATTRIBUTE = "name";

  /** jhdf corrupts object headers with very long string attributes; layer names are far shorter. */
  private static final int MAX_NAME_ATTRIBUTE_BYTES = 4096;

  private KerasWeightsFile() {}

  /**
   * The file group of every layer of {@code model}, in {@code model.layers()} order: the snake-case
   * class name, then {@code _1}, {@code _2}, ... for later layers of the same class.
   */
  public static List<LayerGroup> layerGroups(Model model) {
    Map<String, Integer> seen = new HashMap<>();
    List<LayerGroup> out = new ArrayList<>();
    for (Layer layer : model.layers()) {
      String base = KerasNames.toSnakeCase(layer.className());
      int n = seen.merge(base, 1, Integer::sum);
      addGroups(n == 1 ? base : base + "_" + (n - 1), layer, out);
    }
    return out;
  }

  /** A layer's group, then its sub-layers' below it ({@code block/proj}), as Keras nests them. */
  private static void addGroups(String group, Layer layer, List<LayerGroup> out) {
    out.add(new LayerGroup(group, layer));
    for (Map.Entry<String, Layer> sub : layer.sublayers().entrySet()) {
      addGroups(group + "/" + sub.getKey(), sub.getValue(), out);
    }
  }

  // ---- writing -------------------------------------------------------------------------------

  /**
   * Writes the model's weights, and the optimizer's variables when {@code optimizerState} is not
   * empty, to {@code path} in Keras 3's layout, replacing any file there only once the new one is
   * complete.
   *
   * @throws UncheckedIOException when the file cannot be written (for example a missing folder);
   *     the previous file is then untouched and no temporary file remains
   * @throws IllegalArgumentException for an array jhdf cannot store (zero values)
   */
  public static void save(Path path, Model model, List<StoredArray> optimizerState) {
    Path target = path.toAbsolutePath();
    List<LayerGroup> groups = layerGroups(model);
    try {
      AtomicFile.write(
          target,
          temp -> {
            try (WritableHdfFile file = HdfFile.write(temp)) {
              writeLayers(file, groups, target);
              writeOptimizer(file, optimizerState, target);
              file.removeAttribute("_jHDF");
            }
          });
    } catch (IOException e) {
      String why = e instanceof NoSuchFileException ? "its folder does not exist" : e.toString();
      throw new UncheckedIOException("Could not write weights file " + target + ": " + why, e);
    }
  }

  private static void writeLayers(WritableHdfFile file, List<LayerGroup> groups, Path target) {
    Map<String, WritableGroup> made = new HashMap<>();
    for (LayerGroup g : groups) {
      List<Weight> weights = g.layer().ownWeights();
      Map<String, float[]> named = g.layer().namedVariables();
      if (weights.isEmpty() && !named.isEmpty()) {
        WritableGroup vars = group(file, made, LAYERS + "/" + g.group()).putGroup(VARS);
        for (Map.Entry<String, float[]> e : named.entrySet()) {
          vars.putDataset(e.getKey(), e.getValue());
        }
        continue;
      }
      if (weights.isEmpty()) {
        continue; // a group without a dataset below it is what jhdf corrupts
      }
      WritableGroup vars = group(file, made, LAYERS + "/" + g.group()).putGroup(VARS);
      String layerName = g.layer().name();
      if (layerName.getBytes(StandardCharsets.UTF_8).length <= MAX_NAME_ATTRIBUTE_BYTES) {
        vars.putAttribute(NAME_ATTRIBUTE, layerName);
      }
      for (int i = 0; i < weights.size(); i++) {
        Weight w = weights.get(i);
        long[] shape = w.shape().asArray();
        float[] values = w.read();
        requireWritable(
            shape,
            values.length,
            target,
            "layer \"" + layerName + "\" weight \"" + w.name() + "\"");
        vars.putDataset(Integer.toString(i), nest(shape, values));
      }
    }
  }

  /** The group at {@code path} (slash-separated), made with its parents on first use. */
  private static WritableGroup group(
      WritableHdfFile file, Map<String, WritableGroup> made, String path) {
    WritableGroup g = made.get(path);
    if (g == null) {
      int slash = path.lastIndexOf('/');
      String name = path.substring(slash + 1);
      g =
          slash < 0
              ? file.putGroup(name)
              : group(file, made, path.substring(0, slash)).putGroup(name);
      made.put(path, g);
    }
    return g;
  }

  private static void writeOptimizer(WritableHdfFile file, List<StoredArray> state, Path target) {
    if (state == null || state.isEmpty()) {
      return;
    }
    WritableGroup vars = file.putGroup(OPTIMIZER).putGroup(VARS);
    for (int i = 0; i < state.size(); i++) {
      StoredArray a = state.get(i);
      long[] shape = a.shape();
      requireWritable(shape, a.size(), target, "optimizer variable " + i);
      vars.putDataset(
          Integer.toString(i), a.isFloat() ? nest(shape, a.floats()) : nest(shape, a.longs()));
    }
  }

  private static void requireWritable(long[] shape, int count, Path target, String what) {
    if (count == 0) {
      throw new IllegalArgumentException(
          "Cannot write "
              + what
              + " of shape "
              + StoredArray.formatShape(shape)
              + " to "
              + target
              + ": the HDF5 writer (jhdf) cannot store arrays with no values");
    }
  }

  /** A boxed scalar, or a Java array nested like {@code shape} (jhdf takes rank from nesting). */
  private static Object nest(long[] shape, Object flat) {
    if (shape.length == 0) {
      return flat instanceof float[] f ? (Object) f[0] : (Object) ((long[]) flat)[0];
    }
    if (shape.length == 1) {
      return flat;
    }
    int[] dims = new int[shape.length];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = Math.toIntExact(shape[i]);
    }
    Class<?> element = flat instanceof float[] ? float.class : long.class;
    Object nested = Array.newInstance(element, dims);
    fill(nested, dims, 0, flat, 0);
    return nested;
  }

  /**
   * Copies rows of {@code flat} into the innermost arrays of {@code nested}; returns the offset.
   */
  private static int fill(Object nested, int[] dims, int axis, Object flat, int offset) {
    if (axis == dims.length - 1) {
      System.arraycopy(flat, offset, nested, 0, dims[axis]);
      return offset + dims[axis];
    }
    for (int i = 0; i < dims[axis]; i++) {
      offset = fill(Array.get(nested, i), dims, axis + 1, flat, offset);
    }
    return offset;
  }

  /** Reserves a fresh hidden file beside {@code target}, so the final move is a rename. */

  // ---- reading -------------------------------------------------------------------------------

  /**
   * Assigns every weight of {@code model} from the file at {@code path} and returns the optimizer's
   * stored variables (empty when the file has none), in file order. Nothing is assigned unless
   * every weight has its dataset with the right shape.
   *
   * @throws KerasFileException when the file is missing, not HDF5, corrupt, or does not fit the
   *     model (a missing group or dataset, a shape mismatch, a non-float dataset)
   */
  public static List<StoredArray> load(Path path, Model model) {
    String source = path.toString();
    if (Files.isDirectory(path)) {
      throw new KerasFileException(source + ": is a folder, not a weights file");
    }
    if (!Files.exists(path)) {
      throw new KerasFileException(source + ": no such weights file");
    }
    ReadWeights read;
    try (HdfFile file = new HdfFile(path)) {
      read = readAll(file, source, model);
    } catch (KerasFileException e) {
      throw e;
    } catch (RuntimeException e) {
      throw notReadable(source, e);
    }
    read.assign();
    return read.optimizerState();
  }

  /**
   * {@link #load(Path, Model)} for a file held in memory, for example {@code model.weights.h5} read
   * from a {@code .keras} archive; {@code source} names it in error messages.
   */
  public static List<StoredArray> load(byte[] contents, String source, Model model) {
    ReadWeights read;
    try (HdfFile file = HdfFile.fromBytes(contents)) {
      read = readAll(file, source, model);
    } catch (KerasFileException e) {
      throw e;
    } catch (RuntimeException e) {
      throw notReadable(source, e);
    }
    read.assign();
    return read.optimizerState();
  }

  static KerasFileException notReadable(String source, RuntimeException e) {
    return new KerasFileException(
        source + ": not a readable HDF5 weights file (truncated or corrupt?): " + e, e);
  }

  /** Every weight value and optimizer array, read and checked, not yet assigned. */
  private record ReadWeights(
      List<Weight> weights,
      List<float[]> values,
      List<StoredArray> optimizerState,
      Map<Layer, Map<String, float[]>> named) {
    void assign() {
      for (int i = 0; i < weights.size(); i++) {
        weights.get(i).assign(values.get(i));
      }
      named.forEach(Layer::setNamedVariables);
    }
  }

  /** A weight and the dataset it is read from, checked for shape and type. */
  private record Match(Weight weight, Dataset dataset, String where) {}

  private static ReadWeights readAll(HdfFile file, String source, Model model) {
    long fileSize = file.size();
    long base = file.getUserBlockSize();
    long end = base + file.getHdfBackingStorage().getSuperblock().getEndOfFileAddress();
    if (end > fileSize) {
      // The superblock records where the file ends; a shorter file lost its tail.
      throw new KerasFileException(
          source
              + ": truncated: the HDF5 superblock says the file ends"
              + " at byte "
              + end
              + ", but it has "
              + fileSize
              + " bytes");
    }
    List<LayerGroup> groups = layerGroups(model);
    Group layersGroup = childGroup(file, LAYERS, source);
    List<Match> matches = new ArrayList<>();
    Map<Layer, Map<String, float[]>> named = new LinkedHashMap<>();
    for (LayerGroup g : groups) {
      List<Weight> weights = g.layer().ownWeights();
      Group vars = null;
      Group layerGroup = layersGroup;
      for (String part : g.group().split("/")) {
        layerGroup = layerGroup == null ? null : childGroup(layerGroup, part, source);
      }
      if (layerGroup != null) {
        vars = childGroup(layerGroup, VARS, source);
      }
      if (weights.isEmpty() && !g.layer().namedVariables().isEmpty()) {
        named.put(g.layer(), namedDatasets(g, vars, base, fileSize, source));
        continue;
      }
      if (weights.isEmpty()) {
        int stored = vars == null ? 0 : indexedDatasets(vars, source).size();
        if (stored > 0) {
          throw new KerasFileException(
              source
                  + ": layer \""
                  + g.layer().name()
                  + "\" ("
                  + g.layer().className()
                  + ") has no weights, but /"
                  + g.varsPath()
                  + " holds "
                  + stored
                  + " arrays");
        }
        continue;
      }
      if (vars == null) {
        throw new KerasFileException(
            source
                + ": no group /"
                + g.varsPath()
                + " for layer \""
                + g.layer().name()
                + "\" ("
                + g.layer().className()
                + ", "
                + weights.size()
                + " weights); the file has "
                + "layer groups "
                + (layersGroup == null
                    ? "none"
                    : new TreeMap<>(layersGroup.getChildren()).keySet()));
      }
      TreeMap<Integer, Dataset> datasets = indexedDatasets(vars, source);
      for (int i = 0; i < weights.size(); i++) {
        Weight w = weights.get(i);
        String where = "/" + g.varsPath() + "/" + i;
        String what = source + ": layer \"" + g.layer().name() + "\" weight \"" + w.name() + "\"";
        Dataset d = datasets.get(i);
        if (d == null) {
          throw new KerasFileException(
              what
                  + " of shape "
                  + StoredArray.formatShape(w.shape().asArray())
                  + ": no dataset "
                  + where
                  + " (the group holds "
                  + datasets.keySet()
                  + ")");
        }
        long[] expected = w.shape().asArray();
        long[] actual = d.getDimensionsAsLong();
        if (!java.util.Arrays.equals(expected, actual)) {
          throw new KerasFileException(
              what
                  + ": expected shape "
                  + StoredArray.formatShape(expected)
                  + ", the file has "
                  + StoredArray.formatShape(actual)
                  + " at "
                  + where);
        }
        // Keras keeps some state as integers (Normalization's int64 count); jkeras's weights are
        // float32, so integer data is accepted for non-trainable weights only.
        if (!(d.getDataType() instanceof FloatingPoint) && w.isTrainable()) {
          throw new KerasFileException(
              what
                  + ": expected floating-point data at "
                  + where
                  + ", the file has "
                  + d.getJavaType().getSimpleName());
        }
        matches.add(new Match(w, d, where));
      }
      if (datasets.size() > weights.size()) {
        throw new KerasFileException(
            source
                + ": layer \""
                + g.layer().name()
                + "\" has "
                + weights.size()
                + " weights, but /"
                + g.varsPath()
                + " holds "
                + datasets.size()
                + " arrays");
      }
    }
    List<Weight> weights = new ArrayList<>();
    List<float[]> values = new ArrayList<>();
    for (Match m : matches) {
      weights.add(m.weight());
      values.add(readFloats(m.dataset(), base, fileSize, source, m.where()));
    }
    return new ReadWeights(weights, values, readOptimizer(file, base, fileSize, source), named);
  }

  private static List<StoredArray> readOptimizer(
      HdfFile file, long base, long fileSize, String source) {
    Group optimizer = childGroup(file, OPTIMIZER, source);
    Group vars = optimizer == null ? null : childGroup(optimizer, VARS, source);
    if (vars == null) {
      return List.of();
    }
    TreeMap<Integer, Dataset> datasets = indexedDatasets(vars, source);
    List<StoredArray> out = new ArrayList<>();
    int expectedIndex = 0;
    long limit = ModelFileLimits.maxWeightBytes();
    long total = 0;
    for (Map.Entry<Integer, Dataset> e : datasets.entrySet()) {
      String where = "/" + OPTIMIZER + "/" + VARS + "/" + e.getKey();
      if (e.getKey() != expectedIndex++) {
        throw new KerasFileException(
            source
                + ": optimizer variables are not numbered 0.."
                + (datasets.size() - 1)
                + ": found "
                + datasets.keySet());
      }
      Dataset d = e.getValue();
      long[] shape = d.getDimensionsAsLong();
      total = countOptimizerBytes(d, total, limit, source, where);
      if (d.getDataType() instanceof FloatingPoint) {
        out.add(new StoredArray(shape, readFloats(d, base, fileSize, source, where), null));
      } else if (d.getDataType() instanceof FixedPoint) {
        out.add(new StoredArray(shape, null, readLongs(d, base, fileSize, source, where)));
      } else {
        throw new KerasFileException(
            source
                + ": optimizer variable "
                + where
                + " holds neither floats nor integers but "
                + d.getJavaType().getSimpleName());
      }
    }
    return out;
  }

  /**
   * {@code total} plus the bytes optimizer variable {@code d} takes as a {@link StoredArray} (4 a
   * float, 8 an integer), counted before it is read: a chunked, compressed dataset can claim far
   * more values than the file holds.
   *
   * @throws KerasFileException when the sum is over {@code limit}, the configured weight limit
   */
  static long countOptimizerBytes(Dataset d, long total, long limit, String source, String where) {
    long count = d.getSize();
    long bytes =
        count < 0 || count > Long.MAX_VALUE / 16
            ? Long.MAX_VALUE / 2
            : count * (d.getDataType() instanceof FloatingPoint ? 4 : 8);
    total += bytes;
    if (total > limit) {
      throw new KerasFileException(
          source
              + ": optimizer variable "
              + where
              + " of shape "
              + StoredArray.formatShape(d.getDimensionsAsLong())
              + " takes "
              + bytes
              + " bytes, bringing the optimizer's variables to "
              + total
              + " bytes, over the limit of "
              + limit
              + "; raise -D"
              + ModelFileLimits.MAX_WEIGHT_BYTES_PROPERTY
              + " for a larger one");
    }
    return total;
  }

  /** The child group {@code name}, null when absent; a dataset of that name is an error. */
  private static Group childGroup(Group parent, String name, String source) {
    Node child = parent.getChildren().get(name);
    if (child == null) {
      return null;
    }
    if (!(child instanceof Group g)) {
      throw new KerasFileException(
          source + ": expected a group at " + child.getPath() + ", found a " + child.getType());
    }
    return g;
  }

  /**
   * The arrays a weightless layer keeps by name ({@link Layer#namedVariables}), each of the length
   * the layer expects.
   */
  private static Map<String, float[]> namedDatasets(
      LayerGroup g, Group vars, long base, long fileSize, String source) {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Map.Entry<String, float[]> want : g.layer().namedVariables().entrySet()) {
      String where = "/" + g.varsPath() + "/" + want.getKey();
      Node n = vars == null ? null : vars.getChildren().get(want.getKey());
      if (!(n instanceof Dataset d)) {
        throw new KerasFileException(
            source
                + ": layer \""
                + g.layer().name()
                + "\" ("
                + g.layer().className()
                + ") keeps \""
                + want.getKey()
                + "\" in the weights file, but there is no dataset "
                + where);
      }
      // Checked before reading (readFloats checks it read as many): a chunked dataset can claim
      // far more values than the file holds.
      long count = d.getSize();
      if (count != want.getValue().length) {
        throw new KerasFileException(
            source
                + ": layer \""
                + g.layer().name()
                + "\": expected "
                + want.getValue().length
                + " values at "
                + where
                + ", the file has "
                + count);
      }
      out.put(want.getKey(), readFloats(d, base, fileSize, source, where));
    }
    return out;
  }

  /** The datasets of a {@code vars} group by their numeric names (0, 1, ..., 10 in that order). */
  private static TreeMap<Integer, Dataset> indexedDatasets(Group vars, String source) {
    TreeMap<Integer, Dataset> out = new TreeMap<>();
    for (Map.Entry<String, Node> e : vars.getChildren().entrySet()) {
      int index;
      try {
        index = Integer.parseInt(e.getKey());
      } catch (NumberFormatException ex) {
        index = -1;
      }
      if (index < 0 || !(e.getValue() instanceof Dataset d)) {
        throw new KerasFileException(
            source
                + ": unexpected entry \""
                + e.getKey()
                + "\" in "
                + vars.getPath()
                + " (expected datasets named 0, 1, 2, ...)");
      }
      out.put(index, d);
    }
    return out;
  }

  private static float[] readFloats(
      Dataset d, long base, long fileSize, String source, String where) {
    Object flat = readFlat(d, base, fileSize, source, where);
    if (flat instanceof float[] f) {
      return f;
    }
    if (flat instanceof double[] || flat instanceof long[] || flat instanceof int[]) {
      float[] f = new float[Array.getLength(flat)];
      for (int i = 0; i < f.length; i++) {
        f[i] = ((Number) Array.get(flat, i)).floatValue();
      }
      return f;
    }
    throw new KerasFileException(
        source
            + ": cannot read "
            + where
            + " as floats (it holds "
            + d.getJavaType().getSimpleName()
            + ")");
  }

  private static long[] readLongs(
      Dataset d, long base, long fileSize, String source, String where) {
    Object flat = readFlat(d, base, fileSize, source, where);
    if (flat instanceof long[] l) {
      return l;
    }
    int n = flat == null ? 0 : Array.getLength(flat);
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      Object v = Array.get(flat, i);
      if (!(v instanceof Number num) || v instanceof Float || v instanceof Double) {
        throw new KerasFileException(
            source
                + ": cannot read "
                + where
                + " as integers (it holds "
                + d.getJavaType().getSimpleName()
                + ")");
      }
      out[i] = num.longValue();
    }
    return out;
  }

  /** The dataset's values, row-major, after checking that a contiguous one lies inside the file. */
  private static Object readFlat(Dataset d, long base, long fileSize, String source, String where) {
    long count = d.getSize();
    if (count > Integer.MAX_VALUE - 8) {
      throw new KerasFileException(
          source + ": " + where + " claims " + count + " values, more than one Java array holds");
    }
    if (count == 0) {
      return d.getDataType() instanceof FloatingPoint ? new float[0] : new long[0];
    }
    if (d instanceof ContiguousDataset c && !d.isEmpty()) {
      long end = base + c.getDataAddress() + d.getSizeInBytes();
      if (c.getDataAddress() < 0 || end > fileSize) {
        throw new KerasFileException(
            source
                + ": "
                + where
                + " needs bytes up to "
                + end
                + " but the file has "
                + fileSize
                + " (truncated?)");
      }
    }
    Object flat = d.getDataFlat();
    if (flat == null || Array.getLength(flat) != count) {
      throw new KerasFileException(
          source
              + ": "
              + where
              + " should hold "
              + count
              + " values, read "
              + (flat == null ? "none" : Array.getLength(flat)));
    }
    return flat;
  }
}

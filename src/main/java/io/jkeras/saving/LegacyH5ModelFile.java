package io.jkeras.saving;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import io.jkeras.backend.WeightAllocation;
import io.jkeras.layers.KerasShape;
import io.jkeras.layers.Layer;
import io.jkeras.layers.Weight;
import io.jkeras.models.Model;
import io.jkeras.models.ModelRuntime;
import io.jkeras.optimizers.Optimizer;
import io.jkeras.optimizers.OptimizerVariable;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads a legacy full-model HDF5 file, as Keras 2 / tf.keras {@code model.save("x.h5")} wrote it
 * and Keras 3 still writes it:
 *
 * <ul>
 *   <li>root attribute {@code model_config}: the architecture as JSON (read by {@link
 *       ModelConfigReader}); {@code training_config}: the compile settings with the optimizer under
 *       {@code optimizer_config};
 *   <li>{@code /model_weights/<layer name>} with attribute {@code weight_names} (for example {@code
 *       fm_layer/one:0}), each a dataset path below that group, in the layer's weight order
 *       (trainable first); long lists may be split into {@code weight_names0}, {@code
 *       weight_names1}, ...;
 *   <li>{@code /optimizer_weights} with {@code weight_names}: Keras 3's order ({@code iteration},
 *       {@code learning_rate}, then slots) is used as is; Keras 2's ({@code iter}, then {@code
 *       m}/{@code v}/... slots named after the weights) is rearranged into it.
 * </ul>
 *
 * <p>Strings may be fixed-length or variable-length. Every array is read and checked before any
 * weight is assigned.
 */
final class LegacyH5ModelFile {

  /** A Keras 2 slot name to the slot kind jkeras (and Keras 3) uses. */
  private static final Map<String, String> KERAS2_SLOTS =
      Map.of(
          "m",
          "momentum",
          "v",
          "velocity",
          "rms",
          "velocity",
          "mg",
          "average_gradient",
          "momentum",
          "momentum",
          "accumulator",
          "accumulator",
          "vhat",
          "velocity_hat");

  private LegacyH5ModelFile() {}

  /** The model in {@code contents}, an HDF5 file; {@code source} names it in messages. */
  static Model load(byte[] contents, String source, boolean safeMode, boolean compile) {
    try (HdfFile file = HdfFile.fromBytes(contents)) {
      long end =
          file.getUserBlockSize()
              + file.getHdfBackingStorage().getSuperblock().getEndOfFileAddress();
      if (end > file.size()) {
        throw new KerasFileException(
            source
                + ": truncated: the HDF5 superblock says the file"
                + " ends at byte "
                + end
                + ", but it has "
                + file.size()
                + " bytes");
      }
      String modelConfig = stringAttribute(file, "model_config", source);
      if (modelConfig == null) {
        throw new KerasFileException(
            source
                + ": an HDF5 file without a \"model_config\""
                + " attribute: not a full Keras model (a weights-only file? load it into a model"
                + " with model.loadWeights)");
      }
      Map<String, Object> config = KerasJson.parseObject(modelConfig, source + ": model_config");
      Model model =
          WeightAllocation.checkedBy(
              DeclaredWeights.ofLegacyLayout(file, source),
              () -> ModelConfigReader.read(config, source + ": model_config", safeMode));
      readWeights(file, model, source);
      if (compile) {
        String training = stringAttribute(file, "training_config", source);
        if (training != null) {
          String where = source + ": training_config";
          List<StoredArray> state;
          try {
            KerasCompileConfig.compile(model, KerasJson.parseObject(training, where), where, true);
            state = readOptimizerState(file, model, source);
            state =
                KerasCompileConfig.checkOptimizerState(
                    model, state, source + ": /optimizer_weights");
          } catch (KerasFileException e) {
            model.close();
            throw new TrainingConfigException(e);
          }
          if (!state.isEmpty()) {
            ModelRuntime.of(model).restoreOptimizerState(state);
          }
        }
      }
      return model;
    }
  }

  // ---- weights -------------------------------------------------------------------------------

  private static void readWeights(HdfFile file, Model model, String source) {
    Group root = group(file, "model_weights", source);
    if (root == null) {
      throw new KerasFileException(source + ": no /model_weights group");
    }
    List<Weight> targets = new ArrayList<>();
    List<float[]> values = new ArrayList<>();
    for (Layer layer : model.layers()) {
      List<Weight> weights = layer.weights();
      if (weights.isEmpty()) {
        continue;
      }
      Group g = group(root, layer.name(), source);
      if (g == null) {
        throw new KerasFileException(
            source
                + ": layer \""
                + layer.name()
                + "\" ("
                + layer.className()
                + ") has "
                + weights.size()
                + " weights, but /model_weights has"
                + " no group \""
                + layer.name()
                + "\"; it has "
                + root.getChildren().keySet());
      }
      List<String> names = stringList(g, "weight_names", source);
      if (names.size() != weights.size()) {
        throw new KerasFileException(
            source
                + ": layer \""
                + layer.name()
                + "\" has "
                + weights.size()
                + " weights "
                + weights.stream().map(Weight::name).toList()
                + ", but "
                + g.getPath()
                + " lists "
                + names.size()
                + " "
                + names);
      }
      for (int i = 0; i < names.size(); i++) {
        Weight w = weights.get(i);
        Dataset d = dataset(g, names.get(i), source);
        long[] expected = w.shape().asArray();
        long[] actual = d.getDimensionsAsLong();
        if (!Arrays.equals(expected, actual)) {
          throw new KerasFileException(
              source
                  + ": layer \""
                  + layer.name()
                  + "\" weight \""
                  + w.name()
                  + "\": the model expects shape "
                  + KerasShape.format(w.shape())
                  + ", the file holds "
                  + StoredArray.formatShape(actual)
                  + " ("
                  + d.getPath()
                  + ")");
        }
        targets.add(w);
        values.add(floats(d, file, source));
      }
    }
    for (int i = 0; i < targets.size(); i++) {
      targets.get(i).assign(values.get(i));
    }
  }

  // ---- optimizer -----------------------------------------------------------------------------

  private static List<StoredArray> readOptimizerState(HdfFile file, Model model, String source) {
    Group g = group(file, "optimizer_weights", source);
    if (g == null) {
      return List.of();
    }
    List<String> names = stringList(g, "weight_names", source);
    if (names.isEmpty()) {
      return List.of();
    }
    boolean keras3 =
        names.size() >= 2
            && stripSuffix(names.get(0)).endsWith("iteration")
            && stripSuffix(names.get(1)).endsWith("learning_rate");
    long[] total = {0};
    if (keras3) {
      List<StoredArray> out = new ArrayList<>();
      for (String name : names) {
        out.add(stored(dataset(g, name, source), file, source, total));
      }
      return out;
    }
    return keras2State(g, names, file, model, source, total);
  }

  /** Keras 2's {@code [iter, slots by kind...]} rearranged into Keras 3's order. */
  private static List<StoredArray> keras2State(
      Group g, List<String> names, HdfFile file, Model model, String source, long[] total) {
    String iterName = null;
    for (String n : names) {
      String s = stripSuffix(n);
      if (s.endsWith("/iter") || s.equals("iter") || s.endsWith("/iterations")) {
        iterName = n;
      }
    }
    if (iterName == null) {
      throw new KerasFileException(
          source
              + ": /optimizer_weights lists neither Keras 3's"
              + " iteration and learning_rate nor Keras 2's iter: "
              + names);
    }
    Optimizer optimizer = model.optimizer();
    List<StoredArray> out = new ArrayList<>();
    StoredArray iter = stored(dataset(g, iterName, source), file, source, total);
    out.add(iter.isFloat() ? StoredArray.ofLongScalar((long) iter.floats()[0]) : iter);
    int scalars = optimizer.learningRateSchedule() == null ? 2 : 1;
    if (scalars == 2) {
      out.add(StoredArray.ofFloatScalar((float) optimizer.learningRate()));
    }
    List<Weight> trainable = model.trainableWeights();
    List<OptimizerVariable> layout =
        optimizer.variableLayout(trainable.stream().map(Weight::shape).toList());
    for (OptimizerVariable v : layout.subList(scalars, layout.size())) {
      if (v.weight() < 0) {
        throw new KerasFileException(
            source
                + ": "
                + optimizer.className()
                + " keeps a "
                + v.name()
                + " variable, which Keras 2 files do not hold");
      }
      Weight w = trainable.get(v.weight());
      String found = null;
      for (String n : names) {
        String s = stripSuffix(n);
        int slash = s.lastIndexOf('/');
        String owner = slash > 0 ? s.substring(0, slash) : "";
        if ((owner.equals(w.path()) || owner.endsWith("/" + w.path()))
            && v.name().equals(KERAS2_SLOTS.get(s.substring(slash + 1)))) {
          found = n;
        }
      }
      if (found == null) {
        throw new KerasFileException(
            source
                + ": /optimizer_weights has no "
                + v.name()
                + " slot for weight "
                + w.path()
                + " as "
                + optimizer.className()
                + " keeps (Keras 2 names: "
                + names
                + ")");
      }
      out.add(stored(dataset(g, found, source), file, source, total));
    }
    if (out.size() + 1 - scalars != names.size()) {
      throw new KerasFileException(
          source
              + ": /optimizer_weights lists "
              + names.size()
              + " variables, but "
              + optimizer.className()
              + " for this model keeps "
              + (out.size() + 1 - scalars)
              + " of them");
    }
    return out;
  }

  private static String stripSuffix(String name) {
    return name.endsWith(":0") ? name.substring(0, name.length() - 2) : name;
  }

  // ---- HDF5 access ---------------------------------------------------------------------------

  /** A string attribute of the root (fixed- or variable-length), or null when absent. */
  private static String stringAttribute(HdfFile file, String name, String source) {
    Attribute a = file.getAttributes().get(name);
    if (a == null) {
      return null;
    }
    Object data = a.getData();
    if (data instanceof String s) {
      return s;
    }
    if (data instanceof String[] arr && arr.length == 1) {
      return arr[0];
    }
    throw new KerasFileException(
        source
            + ": root attribute \""
            + name
            + "\" should be a string,"
            + " holds "
            + (data == null ? "nothing" : data.getClass().getSimpleName()));
  }

  /** A string-list attribute, also split as {@code name0}, {@code name1}, ...; empty if absent. */
  private static List<String> stringList(Node node, String name, String source) {
    Map<String, Attribute> attrs = node.getAttributes();
    List<String> out = new ArrayList<>();
    if (attrs.containsKey(name)) {
      addStrings(attrs.get(name), out, node, source);
      return out;
    }
    for (int chunk = 0; attrs.containsKey(name + chunk); chunk++) {
      addStrings(attrs.get(name + chunk), out, node, source);
    }
    return out;
  }

  private static void addStrings(Attribute a, List<String> out, Node node, String source) {
    if (a.getSize() == 0) {
      return; // Keras writes an empty float64 array for weightless layers
    }
    Object data = a.getData();
    if (data instanceof String s) {
      out.add(s);
    } else if (data instanceof String[] arr) {
      out.addAll(Arrays.asList(arr));
    } else {
      throw new KerasFileException(
          source
              + ": attribute "
              + a.getName()
              + " of "
              + node.getPath()
              + " should list strings, holds "
              + (data == null ? "nothing" : data.getClass().getSimpleName()));
    }
  }

  private static Group group(Group parent, String name, String source) {
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

  /** The dataset at a relative path such as {@code fm_layer/one:0}. */
  private static Dataset dataset(Group base, String relative, String source) {
    Node node = base;
    for (String part : relative.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      Node child = node instanceof Group g ? g.getChildren().get(part) : null;
      if (child == null) {
        throw new KerasFileException(
            source
                + ": "
                + base.getPath()
                + " lists \""
                + relative
                + "\", but there is no such dataset");
      }
      node = child;
    }
    if (!(node instanceof Dataset d)) {
      throw new KerasFileException(
          source + ": " + base.getPath() + "/" + relative + " is not a dataset");
    }
    return d;
  }

  private static float[] floats(Dataset d, HdfFile file, String source) {
    if (!(d.getDataType() instanceof FloatingPoint)) {
      throw new KerasFileException(
          source
              + ": "
              + d.getPath()
              + " holds "
              + d.getJavaType().getSimpleName()
              + ", not floating-point values");
    }
    Object flat = flat(d, file, source);
    if (flat instanceof float[] f) {
      return f;
    }
    if (flat instanceof double[] doubles) {
      float[] f = new float[doubles.length];
      for (int i = 0; i < f.length; i++) {
        f[i] = (float) doubles[i];
      }
      return f;
    }
    throw new KerasFileException(source + ": cannot read " + d.getPath() + " as floats");
  }

  /** Optimizer variable {@code d}, its bytes added to {@code total[0]} before it is read. */
  private static StoredArray stored(Dataset d, HdfFile file, String source, long[] total) {
    total[0] =
        KerasWeightsFile.countOptimizerBytes(
            d, total[0], ModelFileLimits.maxWeightBytes(), source, d.getPath());
    long[] shape = d.getDimensionsAsLong();
    if (d.getDataType() instanceof FloatingPoint) {
      return new StoredArray(shape, floats(d, file, source), null);
    }
    if (d.getDataType() instanceof FixedPoint) {
      Object flat = flat(d, file, source);
      int n = Array.getLength(flat);
      long[] v = new long[n];
      for (int i = 0; i < n; i++) {
        v[i] = ((Number) Array.get(flat, i)).longValue();
      }
      return new StoredArray(shape, null, v);
    }
    throw new KerasFileException(
        source + ": " + d.getPath() + " holds neither floats nor" + " integers");
  }

  /** The dataset's values, row-major, after checking a contiguous one lies inside the file. */
  private static Object flat(Dataset d, HdfFile file, String source) {
    long count = d.getSize();
    if (count > Integer.MAX_VALUE - 8) {
      throw new KerasFileException(
          source
              + ": "
              + d.getPath()
              + " claims "
              + count
              + " values, more than one Java array holds");
    }
    if (d instanceof ContiguousDataset c && !d.isEmpty()) {
      long end = file.getUserBlockSize() + c.getDataAddress() + d.getSizeInBytes();
      if (c.getDataAddress() < 0 || end > file.size()) {
        throw new KerasFileException(
            source
                + ": "
                + d.getPath()
                + " needs bytes up to "
                + end
                + " but the file has "
                + file.size()
                + " (truncated?)");
      }
    }
    Object flat = d.getDataFlat();
    if (flat == null || !flat.getClass().isArray() || Array.getLength(flat) != count) {
      throw new KerasFileException(
          source
              + ": "
              + d.getPath()
              + " should hold "
              + count
              + " values, read "
              + (flat == null || !flat.getClass().isArray() ? "none" : Array.getLength(flat)));
    }
    return flat;
  }
}

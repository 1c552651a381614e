package io.jkeras.saving;

import io.jkeras.config.ConfigException;
import io.jkeras.layers.Input;
import io.jkeras.layers.InputLayer;
import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Layer;
import io.jkeras.layers.LayerCatalog;
import io.jkeras.models.Model;
import io.jkeras.models.Sequential;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.ndarray.Shape;

/**
 * Rebuilds a model (uncompiled, with freshly initialized weights) from its architecture: the {@code
 * config.json} of a Keras 3 {@code .keras} file, or the {@code model_config} of a legacy Keras 2 /
 * tf.keras {@code .h5} file.
 *
 * <p>Both model forms are read: {@code Functional} (also Keras 2's {@code Model}) with its layer
 * calls replayed in Keras's order (Keras 3 {@code {"args", "kwargs"}} nodes and Keras 2 {@code
 * [[layer, node, tensor, kwargs], ...]} nodes), and {@code Sequential} (its input from an
 * InputLayer entry, Keras 2's {@code batch_input_shape} on the first layer, or {@code
 * build_input_shape}). Layers come from the {@link LayerCatalog}. Nested models and subclassed
 * models are not supported.
 *
 * <pre>{@code
 * Model model = ModelConfigReader.read(config, "model.keras: config.json", true);
 * }</pre>
 */
public final class ModelConfigReader {

  private static final Set<String> MODEL_CLASSES = Set.of("Functional", "Model", "Sequential");

  private ModelConfigReader() {}

  /**
   * The model described by {@code config} ({@code {"class_name", "config", ...}}).
   *
   * @param where names the config in messages, e.g. {@code "model.keras: config.json"}
   * @param safeMode refuse Lambda layers (see {@link LayerCatalog})
   * @throws KerasFileException for any config that does not describe a model jkeras can build
   */
  public static Model read(Map<String, Object> config, String where, boolean safeMode) {
    String className =
        KerasJson.string(KerasJson.member(config, "class_name", where), where + ".class_name");
    Map<String, Object> inner =
        KerasJson.object(KerasJson.member(config, "config", where), where + ".config");
    KerasJson.checkEntryMembers(config, where);
    String innerWhere = where + ".config";
    return switch (className) {
      case "Functional", "Model" -> functional(inner, innerWhere, safeMode);
      case "Sequential" -> sequential(inner, innerWhere, safeMode);
      default ->
          throw new KerasFileException(
              where
                  + ": model class \""
                  + className
                  + "\" cannot be loaded; jkeras loads Functional and Sequential models (a"
                  + " subclassed model has no architecture in its file)");
    };
  }

  // ---- functional ----------------------------------------------------------------------------

  /** A layer of the file and the calls of it still to replay. */
  private record Pending(Layer layer, String name, List<Object> nodes, String where) {}

  /** One call's tensors and keyword arguments (tensors resolved), as the layer takes them. */
  private record Call(List<KerasTensor> args, Map<String, Object> kwargs) {}

  private static Model functional(Map<String, Object> config, String where, boolean safeMode) {
    String name = optionalName(config, where);
    List<Object> entries =
        KerasJson.list(KerasJson.member(config, "layers", where), where + ".layers");
    Map<String, Layer> created = new LinkedHashMap<>();
    List<Pending> pending = new ArrayList<>();
    Set<String> maskOps = maskOperations(entries, config.get("output_layers"));
    for (int i = 0; i < entries.size(); i++) {
      String entryWhere = where + ".layers[" + i + "]";
      Map<String, Object> entry = KerasJson.object(entries.get(i), entryWhere);
      String layerName = entryName(entry, entryWhere);
      entryWhere = where + ".layers[" + i + "] \"" + layerName + "\"";
      if (maskOps.contains(layerName)) {
        // Keras's own record of how it computed a mask; jkeras's layers compute masks themselves.
        continue;
      }
      if (created.containsKey(layerName)) {
        throw new KerasFileException(
            entryWhere
                + ": a second layer named \""
                + layerName
                + "\"; layer names must be unique");
      }
      Layer layer = createLayer(entry, layerName, entryWhere, safeMode);
      created.put(layerName, layer);
      List<Object> nodes =
          new ArrayList<>(
              KerasJson.list(
                  KerasJson.member(entry, "inbound_nodes", entryWhere),
                  entryWhere + ".inbound_nodes"));
      pending.add(new Pending(layer, layerName, nodes, entryWhere));
    }

    // Replay the calls in file order, postponing any whose inputs do not exist yet (a layer shared
    // at several depths), until a whole pass makes no progress.
    Map<Pending, Integer> done = new IdentityHashMap<>();
    boolean progress = true;
    while (progress) {
      progress = false;
      for (Pending p : pending) {
        int next = done.getOrDefault(p, 0);
        while (next < p.nodes().size()) {
          String nodeWhere = p.where() + ".inbound_nodes[" + next + "]";
          Call call = nodeCall(p.nodes().get(next), created, maskOps, nodeWhere);
          if (call == null) {
            break;
          }
          call(p.layer(), call, nodeWhere);
          next++;
          progress = true;
        }
        done.put(p, next);
      }
    }
    for (Pending p : pending) {
      int next = done.getOrDefault(p, 0);
      if (next < p.nodes().size()) {
        throw new KerasFileException(
            p.where()
                + ".inbound_nodes["
                + next
                + "]: its inputs are"
                + " never produced (the layer graph has a cycle or refers to a call that does not"
                + " exist)");
      }
    }

    List<KerasTensor> inputs =
        tensorRefs(
            KerasJson.member(config, "input_layers", where), created, where + ".input_layers");
    List<KerasTensor> outputs =
        tensorRefs(
            KerasJson.member(config, "output_layers", where), created, where + ".output_layers");
    Model model;
    try {
      model = new Model(inputs, outputs, name);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new KerasFileException(where + ": " + e.getMessage(), e);
    }
    applyModelTrainable(config, model.layers(), where);
    return model;
  }

  /**
   * The names of the file's Keras operation entries ({@code NotEqual}, {@code LogicalOr}, ... with
   * module {@code keras.src.ops.*}) that only compute masks: Keras records them when a layer whose
   * call takes {@code mask} gets its input's mask as a keyword argument. jkeras propagates masks
   * itself, so these are not layers to build. An operation used for anything else is left in (and
   * is refused as an unknown layer class).
   */
  private static Set<String> maskOperations(List<Object> entries, Object outputs) {
    Map<String, Map<String, Object>> ops = new LinkedHashMap<>();
    for (Object e : entries) {
      if (e instanceof Map<?, ?> m
          && m.get("module") instanceof String module
          && module.startsWith("keras.src.ops")
          && m.get("name") instanceof String name) {
        @SuppressWarnings("unchecked")
        Map<String, Object> entry = (Map<String, Object>) m;
        ops.put(name, entry);
      }
    }
    if (ops.isEmpty()) {
      return Set.of();
    }
    Set<String> usedAsData = new java.util.HashSet<>();
    for (Object e : entries) {
      if (!(e instanceof Map<?, ?> m) || ops.containsKey(m.get("name"))) {
        continue;
      }
      if (m.get("inbound_nodes") instanceof List<?> nodes) {
        for (Object node : nodes) {
          if (node instanceof Map<?, ?> call) {
            collectLayerNames(call.get("args"), usedAsData);
            if (call.get("kwargs") instanceof Map<?, ?> kwargs) {
              kwargs.forEach(
                  (k, v) -> {
                    if (!"mask".equals(k)) {
                      collectLayerNames(v, usedAsData);
                    }
                  });
            }
          } else {
            collectLayerNames(node, usedAsData);
          }
        }
      }
    }
    if (outputs instanceof List<?> refs) {
      // The model's own outputs are data, too.
      for (Object ref : refs) {
        if (ref instanceof String n) {
          usedAsData.add(n);
        } else if (ref instanceof List<?> triple && !triple.isEmpty()) {
          usedAsData.add(String.valueOf(triple.get(0)));
        }
      }
    }
    Set<String> out = new java.util.HashSet<>(ops.keySet());
    out.removeAll(usedAsData);
    return out;
  }

  /** Adds the layer names of every {@code keras_history} found in {@code value}. */
  private static void collectLayerNames(Object value, Set<String> names) {
    if (value instanceof Map<?, ?> m) {
      if (m.get("keras_history") instanceof List<?> h
          && !h.isEmpty()
          && h.get(0) instanceof String n) {
        names.add(n);
      }
      for (Object v : m.values()) {
        collectLayerNames(v, names);
      }
    } else if (value instanceof List<?> l) {
      for (Object v : l) {
        collectLayerNames(v, names);
      }
    }
  }

  /**
   * The tensors and keyword arguments of one call, or null when a tensor it needs is not made yet.
   * Keras 3's {@code training} argument and the masks Keras recorded as {@code mask} keyword
   * arguments are dropped (jkeras sets the training mode per pass and propagates masks itself);
   * other keyword arguments, an explicit {@code mask} tensor among them, go to the layer, which
   * checks them.
   */
  private static Call nodeCall(
      Object node, Map<String, Layer> created, Set<String> maskOps, String where) {
    if (node instanceof List<?>) {
      List<KerasTensor> legacy = nodeInputs(node, created, where);
      return legacy == null ? null : new Call(legacy, Map.of());
    }
    List<KerasTensor> args = nodeInputs(node, created, where);
    if (args == null) {
      return null;
    }
    Map<String, Object> kwargs = new LinkedHashMap<>();
    Object raw = KerasJson.object(node, where).get("kwargs");
    if (raw == null) {
      return new Call(args, kwargs);
    }
    String kw = where + ".kwargs";
    for (Map.Entry<String, Object> e : KerasJson.object(raw, kw).entrySet()) {
      String w = kw + "." + e.getKey();
      Object v = e.getValue();
      boolean tensor = v instanceof Map<?, ?> m && "__keras_tensor__".equals(m.get("class_name"));
      switch (e.getKey()) {
        case "training" -> {
          if (v != null && !(v instanceof Boolean)) {
            throw KerasJson.wrongType(w, "true, false or null", v);
          }
        }
        case "mask" -> {
          if (v == null || (tensor && maskOps.contains(historyLayer(v, w)))) {
            continue; // no mask, or the one Keras recorded: jkeras propagates it itself
          }
          if (!tensor) {
            throw new KerasFileException(
                w
                    + ": a mask argument that is not one tensor ("
                    + KerasJson.show(v)
                    + ") is not supported");
          }
          KerasTensor t = tensorArgument(v, created, w);
          if (t == null) {
            return null;
          }
          kwargs.put("mask", t);
        }
        default -> {
          if (tensor) {
            KerasTensor t = tensorArgument(v, created, w);
            if (t == null) {
              return null;
            }
            kwargs.put(e.getKey(), t);
          } else if (v == null
              || v instanceof Boolean
              || v instanceof Number
              || v instanceof String) {
            kwargs.put(e.getKey(), v);
          } else {
            throw new KerasFileException(
                w
                    + ": call argument "
                    + KerasJson.show(v)
                    + " is not supported (expected a tensor, a number, a string, true/false or"
                    + " null)");
          }
        }
      }
    }
    return new Call(args, kwargs);
  }

  /** The layer name in a tensor argument's {@code keras_history}. */
  private static String historyLayer(Object tensor, String where) {
    Map<String, Object> tc =
        KerasJson.object(KerasJson.member(KerasJson.object(tensor, where), "config", where), where);
    List<Object> history =
        KerasJson.list(KerasJson.member(tc, "keras_history", where), where + ".keras_history");
    return history.isEmpty() ? null : KerasJson.string(history.get(0), where + ".keras_history[0]");
  }

  /** One {@code __keras_tensor__} argument, or null when its call is not made yet. */
  private static KerasTensor tensorArgument(Object value, Map<String, Layer> created, String w) {
    Map<String, Object> t = KerasJson.object(value, w);
    Map<String, Object> tc = KerasJson.object(KerasJson.member(t, "config", w), w + ".config");
    List<Object> history =
        KerasJson.list(
            KerasJson.member(tc, "keras_history", w + ".config"), w + ".config.keras_history");
    if (history.size() != 3) {
      throw new KerasFileException(
          w
              + ".config.keras_history: expected [layer, node_index,"
              + " tensor_index], got "
              + KerasJson.show(history));
    }
    return tensor(history, created, w + ".config.keras_history");
  }

  /** The input tensors of one call, or null when a tensor it needs is not made yet. */
  private static List<KerasTensor> nodeInputs(
      Object node, Map<String, Layer> created, String where) {
    List<KerasTensor> inputs = new ArrayList<>();
    if (node instanceof List<?> legacy) {
      // Keras 2: [[layer, node_index, tensor_index, kwargs], ...]
      for (int i = 0; i < legacy.size(); i++) {
        String w = where + "[" + i + "]";
        List<Object> ref = KerasJson.list(legacy.get(i), w);
        if (ref.size() != 3 && ref.size() != 4) {
          throw new KerasFileException(
              w
                  + ": expected [layer, node_index, tensor_index,"
                  + " kwargs], got "
                  + KerasJson.show(ref));
        }
        if (ref.size() == 4) {
          checkKwargs(KerasJson.object(ref.get(3), w + "[3]"), w + "[3]");
        }
        KerasTensor t = tensor(ref, created, w);
        if (t == null) {
          return null;
        }
        inputs.add(t);
      }
      if (inputs.isEmpty()) {
        throw new KerasFileException(where + ": a call with no inputs");
      }
      return inputs;
    }
    Map<String, Object> obj = KerasJson.object(node, where);
    List<Object> args = KerasJson.list(KerasJson.member(obj, "args", where), where + ".args");
    if (args.isEmpty()) {
      throw new KerasFileException(
          where + ".args: expected one argument (a tensor or a list of tensors), got none");
    }
    Object first = args.get(0);
    // Several positional tensors (keras-rs's FeatureCross(x0, x)) are the layer's inputs in order.
    List<Object> tensors =
        args.size() > 1
            ? args
            : first instanceof List<?> ? KerasJson.list(first, where + ".args[0]") : List.of(first);
    if (tensors.isEmpty()) {
      throw new KerasFileException(where + ".args[0]: an empty list of tensors");
    }
    for (int i = 0; i < tensors.size(); i++) {
      String w =
          args.size() > 1
              ? where + ".args[" + i + "]"
              : where + ".args[0]" + (first instanceof List<?> ? "[" + i + "]" : "");
      Map<String, Object> t = KerasJson.object(tensors.get(i), w);
      Object cls = t.get("class_name");
      if (!"__keras_tensor__".equals(cls)) {
        throw new KerasFileException(
            w
                + ": expected a tensor (class_name \"__keras_tensor__\"),"
                + " got class_name "
                + KerasJson.show(cls));
      }
      KerasTensor kt = tensorArgument(t, created, w);
      if (kt == null) {
        return null;
      }
      inputs.add(kt);
    }
    return inputs;
  }

  /** Call arguments other than the inputs: only the training flag and an absent mask. */
  private static void checkKwargs(Map<String, Object> kwargs, String where) {
    for (Map.Entry<String, Object> e : kwargs.entrySet()) {
      Object v = e.getValue();
      boolean ok =
          switch (e.getKey()) {
            case "training" -> v == null || v instanceof Boolean;
            case "mask" -> v == null;
            default -> false;
          };
      if (!ok) {
        throw new KerasFileException(
            where
                + ": call argument \""
                + e.getKey()
                + "\" = "
                + KerasJson.show(v)
                + " is not supported (only training and an empty mask)");
      }
    }
  }

  /** The tensor {@code [layer, node_index, tensor_index]}, or null if that call is not made yet. */
  private static KerasTensor tensor(List<Object> ref, Map<String, Layer> created, String where) {
    String layerName = KerasJson.string(ref.get(0), where + "[0]");
    int nodeIndex = KerasJson.index(ref.get(1), where + "[1]");
    int tensorIndex = KerasJson.index(ref.get(2), where + "[2]");
    Layer layer = created.get(layerName);
    if (layer == null) {
      throw new KerasFileException(
          where + ": refers to layer \"" + layerName + "\", which the model does not have");
    }
    if (nodeIndex >= layer.inboundNodes().size()) {
      return null;
    }
    List<KerasTensor> outs = layer.inboundNodes().get(nodeIndex).outputs();
    if (tensorIndex >= outs.size()) {
      throw new KerasFileException(
          where
              + ": layer \""
              + layerName
              + "\" call "
              + nodeIndex
              + " has "
              + outs.size()
              + " output(s), no output "
              + tensorIndex);
    }
    return outs.get(tensorIndex);
  }

  private static void call(Layer layer, Call call, String where) {
    try {
      // Lists and keyword arguments: a layer may have several outputs (an RNN with return_state).
      layer.apply(call.args(), call.kwargs());
    } catch (KerasFileException e) {
      throw e; // a weight the file cannot fill (see DeclaredWeights): its message names it all
    } catch (RuntimeException e) {
      throw new KerasFileException(
          where
              + ": calling layer \""
              + layer.name()
              + "\" ("
              + layer.className()
              + ") failed: "
              + e.getMessage(),
          e);
    }
  }

  /** One {@code [layer, node, tensor]} triple, or a list of them (dicts are not supported). */
  private static List<KerasTensor> tensorRefs(
      Object value, Map<String, Layer> created, String where) {
    List<Object> list = KerasJson.list(value, where);
    List<Object> refs = !list.isEmpty() && list.get(0) instanceof String ? List.of(list) : list;
    if (refs.isEmpty()) {
      throw new KerasFileException(where + ": no tensors");
    }
    List<KerasTensor> out = new ArrayList<>();
    for (int i = 0; i < refs.size(); i++) {
      String w = refs == list ? where + "[" + i + "]" : where;
      List<Object> ref = KerasJson.list(refs.get(i), w);
      if (ref.size() != 3) {
        throw new KerasFileException(
            w + ": expected [layer, node_index, tensor_index], got " + KerasJson.show(ref));
      }
      KerasTensor t = tensor(ref, created, w);
      if (t == null) {
        throw new KerasFileException(
            w
                + ": refers to call "
                + ref.get(1)
                + " of layer \""
                + ref.get(0)
                + "\", which the file never makes");
      }
      out.add(t);
    }
    return out;
  }

  // ---- sequential ----------------------------------------------------------------------------

  private static Sequential sequential(Map<String, Object> config, String where, boolean safeMode) {
    String name = optionalName(config, where);
    List<Object> entries =
        KerasJson.list(KerasJson.member(config, "layers", where), where + ".layers");
    checkFloat32Policy(config.get("dtype"), where + ".dtype");
    if (config.get("build_input_shape") != null) {
      KerasJson.checkShape(config.get("build_input_shape"), where + ".build_input_shape");
    }
    List<Layer> layers = new ArrayList<>();
    Map<String, Object> firstConfig = null;
    for (int i = 0; i < entries.size(); i++) {
      String entryWhere = where + ".layers[" + i + "]";
      Map<String, Object> entry = KerasJson.object(entries.get(i), entryWhere);
      Map<String, Object> layerConfig =
          KerasJson.object(KerasJson.member(entry, "config", entryWhere), entryWhere + ".config");
      if (i == 0) {
        firstConfig = layerConfig;
      }
      String layerName = layerConfig.get("name") instanceof String s ? s : "#" + i;
      layers.add(createLayer(entry, layerName, entryWhere + " \"" + layerName + "\"", safeMode));
    }
    Sequential model;
    try {
      model = new Sequential(name);
    } catch (IllegalArgumentException e) {
      throw new KerasFileException(where + ".name: " + e.getMessage(), e);
    }
    int start = 0;
    if (!layers.isEmpty() && layers.get(0) instanceof InputLayer input) {
      model.add(input.output());
      start = 1;
    } else {
      KerasTensor input = legacyInput(firstConfig, config, where);
      if (input == null) {
        throw new KerasFileException(
            where
                + ": the Sequential model has no input shape (no"
                + " InputLayer, batch_input_shape or build_input_shape), so its weights cannot be"
                + " created");
      }
      model.add(input);
    }
    for (int i = start; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      String w = where + ".layers[" + i + "] \"" + layer.name() + "\"";
      if (layer instanceof InputLayer) {
        throw new KerasFileException(
            w + ": an InputLayer can only come first in a Sequential" + " model");
      }
      try {
        model.add(layer);
      } catch (KerasFileException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new KerasFileException(
            w
                + ": adding layer \""
                + layer.name()
                + "\" ("
                + layer.className()
                + ") failed: "
                + e.getMessage(),
            e);
      }
    }
    if (layers.size() == start) {
      throw new KerasFileException(where + ".layers: the Sequential model has no layers");
    }
    applyModelTrainable(config, model.layers(), where);
    return model;
  }

  /** The input of a Sequential model without an InputLayer entry (Keras 2 files). */
  private static KerasTensor legacyInput(
      Map<String, Object> first, Map<String, Object> config, String where) {
    Object shape = null;
    String dtype = "float32";
    if (first != null) {
      shape = first.get("batch_input_shape");
      if (first.get("dtype") instanceof String s && (s.equals("int32") || s.equals("int64"))) {
        dtype = s;
      }
    }
    String w = where + ".layers[0].config.batch_input_shape";
    if (shape == null) {
      shape = config.get("build_input_shape");
      w = where + ".build_input_shape";
    }
    if (shape == null) {
      return null;
    }
    List<Object> dims = KerasJson.list(shape, w);
    long[] out = new long[dims.size()];
    for (int i = 0; i < out.length; i++) {
      Object d = dims.get(i);
      out[i] = d == null ? Shape.UNKNOWN_SIZE : KerasJson.index(d, w + "[" + i + "]");
    }
    try {
      return Input.withBatchShape(Shape.of(out), dtype, null);
    } catch (IllegalArgumentException e) {
      throw new KerasFileException(w + ": " + e.getMessage(), e);
    }
  }

  // ---- shared --------------------------------------------------------------------------------

  private static Layer createLayer(
      Map<String, Object> entry, String layerName, String where, boolean safeMode) {
    String className =
        KerasJson.string(KerasJson.member(entry, "class_name", where), where + ".class_name");
    String registeredName = KerasJson.optionalString(entry, "registered_name", where);
    Map<String, Object> config =
        KerasJson.object(KerasJson.member(entry, "config", where), where + ".config");
    KerasJson.checkEntryMembers(entry, where);
    if (MODEL_CLASSES.contains(className)) {
      throw new KerasFileException(
          where
              + ": a nested "
              + className
              + " model; jkeras cannot"
              + " load models used as layers (flatten the model into one)");
    }
    if (!config.containsKey("name") && !className.equals("InputLayer")) {
      config = new LinkedHashMap<>(config);
      config.put("name", layerName);
    }
    try {
      return LayerCatalog.create(className, registeredName, layerName, config, safeMode);
    } catch (KerasFileException e) {
      throw e;
    } catch (ConfigException e) {
      // One format: the layer's place in the file, then the JSON path inside its entry.
      throw new KerasFileException(e.at(where + " (" + className + ")").getMessage(), e);
    } catch (RuntimeException e) {
      throw new KerasFileException(where + " (" + className + "): " + e.getMessage(), e);
    }
  }

  /** A model's dtype: absent, {@code "float32"}, or a float32 DTypePolicy. */
  private static void checkFloat32Policy(Object dtype, String where) {
    if (dtype == null) {
      return;
    }
    String name = dtype instanceof String s ? s : null;
    if (dtype instanceof Map<?, ?> m
        && m.get("config") instanceof Map<?, ?> c
        && c.get("name") instanceof String s) {
      name = s;
    }
    if (!"float32".equals(name)) {
      throw new KerasFileException(
          where
              + ": expected a float32 dtype policy (jkeras computes"
              + " in float32), got "
              + KerasJson.show(dtype));
    }
  }

  /** The entry's {@code name}, or its config's for files that only have that. */
  private static String entryName(Map<String, Object> entry, String where) {
    Object name = entry.get("name");
    if (name == null && entry.get("config") instanceof Map<?, ?> c) {
      name = c.get("name");
    }
    return KerasJson.string(name, where + ".name");
  }

  private static String optionalName(Map<String, Object> config, String where) {
    Object name = config.get("name");
    return name == null ? null : KerasJson.string(name, where + ".name");
  }

  /** {@code "trainable": false} on the model freezes every layer, as in Keras. */
  private static void applyModelTrainable(
      Map<String, Object> config, List<Layer> layers, String where) {
    Object trainable = config.get("trainable");
    if (trainable == null) {
      return;
    }
    if (!(trainable instanceof Boolean b)) {
      throw KerasJson.wrongType(where + ".trainable", "true or false", trainable);
    }
    if (!b) {
      for (Layer l : layers) {
        l.setTrainable(false);
      }
    }
  }
}

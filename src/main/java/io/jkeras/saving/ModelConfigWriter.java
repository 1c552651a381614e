package io.jkeras.saving;

import io.jkeras.backend.DTypes;
import io.jkeras.layers.InputLayer;
import io.jkeras.layers.KerasShape;
import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Layer;
import io.jkeras.layers.LayerCatalog;
import io.jkeras.layers.Node;
import io.jkeras.models.Model;
import io.jkeras.models.Sequential;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model's architecture as the {@code config.json} of a Keras 3 {@code .keras} file, in the form
 * Python Keras 3.15 writes and reads:
 *
 * <ul>
 *   <li>a functional model: {@code {"module": "keras.src.models.functional", "class_name":
 *       "Functional", "config": {"name", "trainable", "layers", "input_layers", "output_layers"},
 *       "registered_name": "Functional", "build_config", "compile_config"}}; each layer entry has
 *       {@code module}, {@code class_name}, {@code config}, {@code registered_name}, {@code
 *       build_config} (for layers that build weights), {@code name} and {@code inbound_nodes}: one
 *       {@code {"args", "kwargs"}} per call, tensors as {@code __keras_tensor__} objects whose
 *       {@code keras_history} is {@code [layer, node_index, tensor_index]}, several inputs as a
 *       nested list, calls of layers whose call takes {@code training} with {@code "training":
 *       false};
 *   <li>a Sequential model: {@code {"module": "keras", "class_name": "Sequential", "config":
 *       {"name", "trainable", "dtype", "layers", "build_input_shape"}, ...}}, its InputLayer first,
 *       layer entries without {@code name} and {@code inbound_nodes}.
 * </ul>
 *
 * <p>Built-in layers are written with module {@code keras.layers} and no registered name; other
 * others with their own module and registered name ({@code jkeras>FMLayer}); every rule comes from
 * the layer ({@link Layer#module}, {@link Layer#registeredName}, {@link Layer#writesBuildConfig},
 * {@link Layer#callTakesTraining}). A compiled model gets a {@code compile_config}.
 *
 * <pre>{@code
 * Map<String, Object> config = ModelConfigWriter.modelConfig(model);
 * }</pre>
 */
public final class ModelConfigWriter {

  private ModelConfigWriter() {}

  /**
   * The whole {@code config.json} object of {@code model}.
   *
   * @throws IllegalStateException when the model is not built (a Sequential without input shape)
   */
  public static Map<String, Object> modelConfig(Model model) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (model instanceof Sequential seq) {
      out.put("module", "keras");
      out.put("class_name", "Sequential");
      out.put("config", sequentialConfig(seq));
      out.put("registered_name", null);
      Map<String, Object> build = new LinkedHashMap<>();
      build.put("input_shape", KerasShape.toConfig(seq.inputLayer().batchShape()));
      out.put("build_config", build);
    } else {
      out.put("module", "keras.src.models.functional");
      out.put("class_name", "Functional");
      out.put("config", functionalConfig(model));
      out.put("registered_name", "Functional");
      Map<String, Object> build = new LinkedHashMap<>();
      build.put("input_shape", null);
      out.put("build_config", build);
    }
    if (model.isCompiled()) {
      out.put("compile_config", KerasCompileConfig.toConfig(model));
    }
    return out;
  }

  // ---- functional ----------------------------------------------------------------------------

  private static Map<String, Object> functionalConfig(Model model) {
    Set<Node> nodes = modelNodes(model);
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("name", model.name());
    config.put("trainable", true);
    List<Object> layers = new ArrayList<>();
    for (Layer layer : model.layers()) {
      Map<String, Object> entry = LayerCatalog.entry(layer);
      entry.put("name", layer.name());
      List<Object> inbound = new ArrayList<>();
      for (Node node : layer.inboundNodes()) {
        if (nodes.contains(node) && !node.inputs().isEmpty()) {
          inbound.add(nodeConfig(layer, node, nodes));
        }
      }
      entry.put("inbound_nodes", inbound);
      layers.add(entry);
    }
    config.put("layers", layers);
    config.put("input_layers", tensorRefs(model.inputs(), nodes));
    config.put("output_layers", tensorRefs(model.outputs(), nodes));
    return config;
  }

  /** One triple for a single tensor (as Keras writes a model of one input), else a list. */
  private static Object tensorRefs(List<KerasTensor> tensors, Set<Node> nodes) {
    if (tensors.size() == 1) {
      return history(tensors.get(0), nodes);
    }
    List<Object> out = new ArrayList<>();
    for (KerasTensor t : tensors) {
      out.add(history(t, nodes));
    }
    return out;
  }

  private static Map<String, Object> nodeConfig(Layer layer, Node node, Set<Node> nodes) {
    List<KerasTensor> positional = node.arguments();
    List<Object> args = new ArrayList<>();
    if (positional.size() == 1) {
      args.add(tensorConfig(positional.get(0), nodes));
    } else if (layer.callTakesSeparateInputs()) {
      for (KerasTensor t : positional) {
        args.add(tensorConfig(t, nodes));
      }
    } else {
      List<Object> several = new ArrayList<>();
      for (KerasTensor t : positional) {
        several.add(tensorConfig(t, nodes));
      }
      args.add(several);
    }
    Map<String, Object> kwargs = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : node.kwargs().entrySet()) {
      Object v = e.getValue();
      kwargs.put(e.getKey(), v instanceof KerasTensor t ? tensorConfig(t, nodes) : v);
    }
    if (layer.callTakesTraining() && !kwargs.containsKey("training")) {
      // Keras records the training flag of layers whose call takes one.
      kwargs.put("training", false);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("args", args);
    out.put("kwargs", kwargs);
    return out;
  }

  private static Map<String, Object> tensorConfig(KerasTensor t, Set<Node> nodes) {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("shape", KerasShape.toConfig(t.shape()));
    inner.put("dtype", t.dtype());
    inner.put("keras_history", history(t, nodes));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("class_name", "__keras_tensor__");
    out.put("config", inner);
    return out;
  }

  /**
   * {@code [layer, node_index, tensor_index]}, the node index counting only this model's calls of
   * the layer (a layer also used in another model has calls that are not written).
   */
  private static List<Object> history(KerasTensor t, Set<Node> nodes) {
    int index = 0;
    List<Node> all = t.layer().inboundNodes();
    for (int i = 0; i < t.nodeIndex(); i++) {
      if (nodes.contains(all.get(i))) {
        index++;
      }
    }
    List<Object> out = new ArrayList<>();
    out.add(t.layer().name());
    out.add(index);
    out.add(t.tensorIndex());
    return out;
  }

  /** The calls that lead from the model's inputs to its outputs. */
  private static Set<Node> modelNodes(Model model) {
    Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<KerasTensor> work = new ArrayList<>(model.outputs());
    work.addAll(model.inputs());
    Set<KerasTensor> inputs = Collections.newSetFromMap(new IdentityHashMap<>());
    inputs.addAll(model.inputs());
    while (!work.isEmpty()) {
      KerasTensor t = work.remove(work.size() - 1);
      Node node = t.node();
      if (!seen.add(node) || inputs.contains(t)) {
        continue;
      }
      work.addAll(node.inputs());
    }
    return seen;
  }

  // ---- sequential ----------------------------------------------------------------------------

  private static Map<String, Object> sequentialConfig(Sequential seq) {
    InputLayer input = seq.inputLayer();
    if (input == null) {
      throw new IllegalStateException(
          "Sequential \""
              + seq.name()
              + "\" is not built: give it an input shape (add an"
              + " Input first, or call build) before saving it");
    }
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("name", seq.name());
    config.put("trainable", true);
    config.put("dtype", DTypes.policyConfig("float32"));
    List<Object> layers = new ArrayList<>();
    layers.add(LayerCatalog.entry(input));
    for (Layer layer : seq.layers()) {
      layers.add(LayerCatalog.entry(layer));
    }
    config.put("layers", layers);
    config.put("build_input_shape", KerasShape.toConfig(input.batchShape()));
    return config;
  }
}

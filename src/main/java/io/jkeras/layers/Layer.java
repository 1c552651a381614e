package io.jkeras.layers;

import io.jkeras.GlobalSeed;
import io.jkeras.KerasObjects;
import io.jkeras.KerasSerializable;
import io.jkeras.backend.DTypes;
import io.jkeras.backend.ForwardPass;
import io.jkeras.backend.GraphSession;
import io.jkeras.backend.WeightAllocation;
import io.jkeras.constraints.Constraint;
import io.jkeras.initializers.Initializer;
import io.jkeras.initializers.Initializers;
import io.jkeras.regularizers.Regularizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * The base of every layer, with Keras 3's life cycle: {@link #build} creates the weights once, on
 * the first call, from the input shape; {@link #call} emits TensorFlow ops; {@link
 * #computeOutputShape} tells the functional API the output shape without running anything; {@link
 * #getConfig} gives the constructor arguments by their Keras names.
 *
 * <p>A layer author overrides {@code build(Shape)} (creating weights with {@code addWeight}),
 * {@code call(Ops, Operand<TFloat32>, boolean)}, {@code computeOutputShape(Shape)} and {@code
 * getConfig()}. Nobody sets a "built" flag by hand: {@link #apply} builds the layer when needed.
 *
 * <pre>{@code
 * public final class Scale extends Layer {
 *   private Weight factor;
 *   protected void build(Shape inputShape) {
 *     factor = addWeight("factor", Shape.of(inputShape.size(-1)), "ones");
 *   }
 *   protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
 *     return tf.math.mul(x, factor.value());
 *   }
 * }
 * }</pre>
 *
 * <p>Layers with several inputs or outputs, or with non-float inputs, override the list forms
 * {@code build(List<Shape>)}, {@code call(Ops, List<Operand<?>>, boolean)} and {@code
 * computeOutputShape(List<Shape>)} instead.
 */
public abstract class Layer implements KerasSerializable {

  private final String name;
  private boolean trainable = true;
  private boolean built;
  private List<Shape> buildShapes;
  private Map<String, Shape> buildKwargShapes = Map.of();
  private final List<Weight> weights = new ArrayList<>();
  private final List<Weight> untracked = new ArrayList<>();
  private final Map<String, Layer> sublayers = new LinkedHashMap<>();
  private Layer parent;
  private final List<Node> inboundNodes = new ArrayList<>();
  private InputSpec inputSpec;
  private Regularizer activityRegularizer;
  private GraphSession graph;
  private String graphScope;
  private ForwardPass currentPass;

  /** A layer named automatically from its class: {@code dense}, {@code dense_1}, ... */
  protected Layer() {
    this(null);
  }

  /** A layer with the given name, or an automatic one when {@code name} is null. */
  protected Layer(String name) {
    if (name == null) {
      this.name = KerasNames.unique(KerasNames.toSnakeCase(getClass().getSimpleName()));
    } else {
      if (name.isEmpty() || name.contains("/")) {
        throw new IllegalArgumentException(
            "Layer name: expected a non-empty name without '/', got \"" + name + "\"");
      }
      this.name = name;
    }
  }

  // ---- identity --------------------------------------------------------------------------------

  /**
   * The layer's name, unique among the layers of a model (given, or automatic such as {@code
   * "dense_2"}).
   */
  public String name() {
    return name;
  }

  /** The Keras class name; by default the Java simple class name. */
  @Override
  public String className() {
    return getClass().getSimpleName();
  }

  /**
   * The registered name saving writes in the layer's {@code registered_name}: null for a Keras
   * built-in layer, {@code "jkeras>FMLayer"} for a registered one (see {@link LayerCatalog}), the
   * simple class name for an unregistered class.
   *
   * <pre>{@code new FMLayer(4, 2).registeredName(); // "jkeras>FMLayer"}</pre>
   */
  public String registeredName() {
    return LayerCatalog.registeredName(getClass());
  }

  /**
   * The Python module saving writes in the layer's {@code module}: {@code "keras.layers"} for a
   * built-in, the {@link io.jkeras.config.KerasClass} module of others, or null.
   *
   * <pre>{@code new Dense(4).module(); // "keras.layers"}</pre>
   */
  public String module() {
    return LayerCatalog.module(getClass());
  }

  // ---- Keras's per-layer rules, overridable --------------------------------------------------

  /**
   * Whether saving writes a {@code build_config} for this layer. Keras writes one for layers whose
   * class overrides {@code build}; so does this default (a layer that builds by other means, or
   * that Keras treats otherwise, overrides this).
   *
   * <pre>{@code new Dense(4).writesBuildConfig(); // true; Dropout: false}</pre>
   */
  public boolean writesBuildConfig() {
    for (Class<?> c = getClass(); c != Layer.class; c = c.getSuperclass()) {
      for (java.lang.reflect.Method m : c.getDeclaredMethods()) {
        Class<?>[] p = m.getParameterTypes();
        if (m.getName().equals("build")
            && p.length == 1
            && (p[0] == Shape.class || p[0] == List.class)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether this layer's Keras {@code call} takes a {@code training} argument (Dropout,
   * BatchNormalization...). Keras then records {@code "training": false} in the layer's inbound
   * nodes of a saved functional model; false by default.
   *
   * <pre>{@code
   * @Override public boolean callTakesTraining() { return true; }
   * }</pre>
   */
  public boolean callTakesTraining() {
    return false;
  }

  /**
   * Whether this layer's Keras {@code call} takes several inputs as separate positional arguments
   * ({@code layer(x0, x)}, as keras-rs's FeatureCross) rather than one list ({@code layer([a,
   * b])}). Saved calls then list each tensor as its own argument, and {@code build_config} records
   * only the first argument's shape, the one Keras passes to {@code build}; false by default.
   *
   * <pre>{@code
   * @Override public boolean callTakesSeparateInputs() { return true; }
   * }</pre>
   */
  public boolean callTakesSeparateInputs() {
    return false;
  }

  /**
   * Whether this layer keeps Keras masks (Keras's {@code supports_masking}): its output then gets
   * the mask {@link #computeMask} returns. A layer that does not support masking drops the mask of
   * its inputs, as in Keras. False by default, as in Keras.
   *
   * <pre>{@code
   * @Override public boolean supportsMasking() { return true; }
   * }</pre>
   */
  public boolean supportsMasking() {
    return false;
  }

  /**
   * The mask of this layer's output (Keras's {@code compute_mask(inputs, mask)}), asked only when
   * {@link #supportsMasking}: by default the first input's mask, passed through unchanged (Dense,
   * Dropout, Activation); null for none. A boolean tensor of the batch and time axes, true where a
   * step holds data.
   *
   * <pre>{@code
   * @Override
   * protected Operand<TBool> computeMask(Ops tf, List<Operand<?>> inputs, List<Operand<TBool>> masks) {
   *   return tf.math.notEqual(ids, tf.constant(0f)); // Embedding(mask_zero=True)
   * }
   * }</pre>
   *
   * @param masks the inputs' masks, null entries for inputs without one
   */
  protected Operand<TBool> computeMask(
      Ops tf, List<Operand<?>> inputs, List<Operand<TBool>> masks) {
    return masks.isEmpty() ? null : masks.get(0);
  }

  /**
   * The masks of this layer's outputs, one per output (null entries: no mask), asked only when
   * {@link #supportsMasking}: by default {@link #computeMask} for the first output and none for the
   * others, as Keras pairs a single computed mask with the first output. A layer whose outputs each
   * carry a mask overrides this.
   *
   * <pre>{@code
   * @Override
   * protected List<Operand<TBool>> computeMasks(
   *     Ops tf, List<Operand<?>> inputs, List<Operand<TBool>> masks, int outputCount) {
   *   List<Operand<TBool>> out = new ArrayList<>(Collections.nCopies(outputCount, null));
   *   out.set(0, masks.get(0));
   *   return out;
   * }
   * }</pre>
   */
  protected List<Operand<TBool>> computeMasks(
      Ops tf, List<Operand<?>> inputs, List<Operand<TBool>> masks, int outputCount) {
    List<Operand<TBool>> out = new ArrayList<>(Collections.nCopies(outputCount, null));
    out.set(0, computeMask(tf, inputs, masks));
    return out;
  }

  /**
   * Whether this layer's Keras {@code call} has a {@code mask} parameter (GlobalAveragePooling1D,
   * Softmax, recurrent layers). Called on one tensor, such a layer gets the mask Keras's functional
   * graph recorded for it (which a MultiHeadAttention that ran earlier cannot drop); false by
   * default. Only such a layer can be given an explicit {@code mask} keyword argument ({@code
   * softmax(scores, mask=m)}): that mask then replaces the first input's, for the call and for the
   * output's mask, as in Keras.
   *
   * <pre>{@code
   * @Override public boolean callTakesMask() { return true; }
   * }</pre>
   */
  public boolean callTakesMask() {
    return false;
  }

  /**
   * Removes the mask riding on {@code tensor} for the layers that run after this one (Keras's
   * {@code backend.set_keras_mask(x, None)} inside a call, as MultiHeadAttention does to its
   * inputs); the mask the graph recorded stays.
   *
   * <pre>{@code dropMask(query);}</pre>
   *
   * @throws IllegalStateException outside {@code call}
   */
  protected final void dropMask(Operand<?> tensor) {
    if (currentPass == null) {
      throw new IllegalStateException(
          "Layer \"" + name + "\": dropMask can only be used from call()");
    }
    currentPass.dropMask(tensor);
  }

  /**
   * False once the layer is frozen with {@link #setTrainable(boolean) setTrainable(false)}: its
   * weights then stay fixed during training.
   */
  public boolean isTrainable() {
    return trainable;
  }

  /**
   * Freezes or unfreezes every weight of this layer and of its sub-layers (Keras {@code
   * layer.trainable = ...}).
   */
  public void setTrainable(boolean trainable) {
    this.trainable = trainable;
    for (Layer sub : sublayers.values()) {
      sub.setTrainable(trainable);
    }
  }

  /** True once the layer has created its weights for an input shape (on its first call). */
  public boolean isBuilt() {
    return built;
  }

  /** The input shapes the layer was built with, or null before it is built. */
  public List<Shape> buildShapes() {
    return buildShapes;
  }

  /** The layer's compute dtype; jkeras layers compute in float32. */
  public String dtype() {
    return "float32";
  }

  /** Keras's {@code activity_regularizer}: a penalty on this layer's output, added in training. */
  public Regularizer activityRegularizer() {
    return activityRegularizer;
  }

  /**
   * Sets Keras's {@code activity_regularizer}: a penalty on this layer's output added to the
   * training loss (null for none).
   */
  public void setActivityRegularizer(Regularizer regularizer) {
    this.activityRegularizer = regularizer;
  }

  /**
   * Declares what inputs this layer accepts; each call checks its inputs against it and fails
   * naming the layer, axis and expected versus actual value.
   */
  protected void setInputSpec(InputSpec spec) {
    this.inputSpec = spec;
  }

  /** The calls of this layer made with the functional API, in call order. */
  public List<Node> inboundNodes() {
    return Collections.unmodifiableList(inboundNodes);
  }

  // ---- what a layer author writes ---------------------------------------------------------------

  /** Creates the weights for a single input of shape {@code inputShape} (batch first). */
  protected void build(Shape inputShape) {}

  /** Creates the weights for several inputs; by default calls {@code build(Shape)} for one. */
  protected void build(List<Shape> inputShapes) {
    if (inputShapes.size() == 1) {
      build(inputShapes.get(0));
    }
  }

  /**
   * Creates the weights for a call with keyword arguments ({@code mha(query, value, key=k)}): the
   * positional inputs' shapes, and the keyword arguments with a {@link Shape} in place of each
   * tensor. By default the keyword arguments are not used and {@code build(List<Shape>)} runs.
   *
   * <pre>{@code
   * @Override
   * protected void build(List<Shape> inputShapes, Map<String, Object> kwargs) {
   *   Shape key = (Shape) kwargs.getOrDefault("key", inputShapes.get(1));
   * }
   * }</pre>
   */
  protected void build(List<Shape> inputShapes, Map<String, Object> kwargs) {
    build(inputShapes);
  }

  /**
   * The output shapes for a call with keyword arguments, given as in {@link #build(List, Map)}. A
   * layer whose call takes keyword arguments overrides this and checks them (it is asked before
   * anything runs, so a wrong argument fails when the model is built or loaded); by default any
   * keyword argument is refused and {@code computeOutputShape(List<Shape>)} answers.
   *
   * <pre>{@code
   * @Override
   * public List<Shape> computeOutputShape(List<Shape> inputShapes, Map<String, Object> kwargs) {
   *   return List.of(inputShapes.get(0));
   * }
   * }</pre>
   *
   * @throws IllegalArgumentException for keyword arguments the layer does not take
   */
  public List<Shape> computeOutputShape(List<Shape> inputShapes, Map<String, Object> kwargs) {
    if (!kwargs.isEmpty()) {
      throw new IllegalArgumentException(
          "Layer \""
              + name
              + "\" ("
              + className()
              + ") takes no call arguments besides its inputs, got "
              + kwargs.keySet());
    }
    return computeOutputShape(inputShapes);
  }

  /**
   * The output shape for a single input. By default a layer without weights is traced once in a
   * scratch graph to find it; layers with weights must override this.
   */
  public Shape computeOutputShape(Shape inputShape) {
    return ShapeTracer.trace(this, List.of(inputShape), List.of("float32")).get(0);
  }

  /** The output shapes for several inputs; by default the single-input form. */
  public List<Shape> computeOutputShape(List<Shape> inputShapes) {
    if (inputShapes.size() != 1) {
      throw new UnsupportedOperationException(
          "Layer \""
              + name
              + "\" ("
              + className()
              + ") takes one input, got "
              + inputShapes.size());
    }
    return List.of(computeOutputShape(inputShapes.get(0)));
  }

  /** The Keras dtypes of the outputs; float32 for each by default. */
  protected List<String> computeOutputDtypes(List<String> inputDtypes, int outputCount) {
    return Collections.nCopies(outputCount, dtype());
  }

  /** Emits the ops for one float32 input. */
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    throw new UnsupportedOperationException(
        "Layer \"" + name + "\" (" + className() + ") implements no call()");
  }

  /**
   * Emits the ops for the given inputs. By default: one input, cast to float32 when it is not, and
   * passed to {@code call(Ops, Operand<TFloat32>, boolean)}.
   */
  protected List<Operand<?>> call(Ops tf, List<Operand<?>> inputs, boolean training) {
    if (inputs.size() != 1) {
      throw new IllegalArgumentException(
          "Layer \"" + name + "\" (" + className() + ") takes one input, got " + inputs.size());
    }
    return List.of(call(tf, DTypes.toFloat(tf, inputs.get(0)), training));
  }

  /**
   * Emits the ops for the given inputs and their Keras masks (null entries: no mask). Layers that
   * use masks (GlobalAveragePooling1D, recurrent and attention layers) override this; by default
   * the masks are not used and {@code call(Ops, List, boolean)} runs.
   *
   * <pre>{@code
   * @Override
   * protected List<Operand<?>> call(
   *     Ops tf, List<Operand<?>> inputs, List<Operand<TBool>> masks, boolean training) { ... }
   * }</pre>
   */
  protected List<Operand<?>> call(
      Ops tf, List<Operand<?>> inputs, List<Operand<TBool>> masks, boolean training) {
    return call(tf, inputs, training);
  }

  /**
   * Arrays a layer without weights keeps in {@code model.weights.h5} by name, as Keras's {@code
   * save_own_variables} stores them under {@code layers/<path>/vars/<name>} (a TF-IDF lookup's
   * {@code idf_weights}); none by default. Loading reads arrays of the same names and lengths.
   *
   * <pre>{@code
   * @Override public Map<String, float[]> namedVariables() { return Map.of("table", table); }
   * }</pre>
   */
  public Map<String, float[]> namedVariables() {
    return Map.of();
  }

  /**
   * Takes the arrays {@link #namedVariables} named, read from a weights file (Keras's {@code
   * load_own_variables}); ignores them by default.
   *
   * <pre>{@code
   * @Override public void setNamedVariables(Map<String, float[]> v) { table = v.get("table"); }
   * }</pre>
   */
  public void setNamedVariables(Map<String, float[]> values) {}

  /**
   * Files this layer keeps in a {@code .keras} archive beside its weights, by file name, as Keras's
   * {@code save_assets} writes them under {@code assets/<the layer's weights path>/} (an adapted
   * StringLookup's {@code vocabulary.txt}); none by default.
   *
   * <pre>{@code
   * @Override public Map<String, byte[]> saveAssets() { return Map.of("table.txt", bytes); }
   * }</pre>
   */
  public Map<String, byte[]> saveAssets() {
    return Map.of();
  }

  /**
   * Takes back the files {@link #saveAssets} wrote (Keras's {@code load_assets}), by file name;
   * {@code files} is empty when the archive holds none for this layer. Ignores them by default.
   *
   * <pre>{@code
   * @Override public void loadAssets(Map<String, byte[]> files) { table = parse(files.get("table.txt")); }
   * }</pre>
   *
   * @throws IllegalArgumentException when a file the layer needs is missing or malformed
   */
  public void loadAssets(Map<String, byte[]> files) {}

  /**
   * Emits the ops for a call with keyword arguments: the positional inputs and their masks, and the
   * keyword arguments with an operand in place of each tensor (their masks, if any, come from
   * {@link #maskOf}). Layers whose call takes keyword arguments override this; by default there
   * must be none and {@code call(Ops, List, List, boolean)} runs.
   *
   * <pre>{@code
   * @Override
   * protected List<Operand<?>> call(Ops tf, List<Operand<?>> inputs, List<Operand<TBool>> masks,
   *     Map<String, Object> kwargs, boolean training) {
   *   boolean causal = Boolean.TRUE.equals(kwargs.get("use_causal_mask"));
   * }
   * }</pre>
   */
  protected List<Operand<?>> call(
      Ops tf,
      List<Operand<?>> inputs,
      List<Operand<TBool>> masks,
      Map<String, Object> kwargs,
      boolean training) {
    if (!kwargs.isEmpty()) {
      throw new IllegalArgumentException(
          "Layer \""
              + name
              + "\" ("
              + className()
              + ") takes no call arguments besides its inputs, got "
              + kwargs.keySet());
    }
    return call(tf, inputs, masks, training);
  }

  /**
   * The Keras mask riding on {@code tensor} in the call being emitted (for tensors passed as
   * keyword arguments, whose masks {@code call} does not receive in its list), or null.
   *
   * <pre>{@code Operand<TBool> keyMask = maskOf((Operand<?>) kwargs.get("key"));}</pre>
   *
   * @throws IllegalStateException outside {@code call}
   */
  protected final Operand<TBool> maskOf(Operand<?> tensor) {
    if (currentPass == null) {
      throw new IllegalStateException(
          "Layer \"" + name + "\": maskOf can only be used from call()");
    }
    return currentPass.mask(tensor);
  }

  /**
   * The Keras config: {@code name}, {@code trainable}, {@code dtype} and the subclass's own
   * arguments. Subclasses add to the map this returns.
   */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("name", name);
    config.put("trainable", trainable);
    config.put("dtype", DTypes.policyConfig(dtype()));
    if (activityRegularizer != null) {
      config.put(
          "activity_regularizer",
          KerasObjects.serialize("keras.regularizers", activityRegularizer));
    }
    return config;
  }

  // ---- nested layers -------------------------------------------------------------------------

  /**
   * Makes {@code layer} a sub-layer of this one, as assigning {@code self.<attribute> = layer} does
   * in a Python Keras layer: its weights become part of this layer's (after this layer's own), it
   * freezes with this layer, and it is saved under {@code layers/<this layer>/<attribute>/vars} in
   * {@code model.weights.h5}, as Keras saves it. Use the attribute name of the Python twin. Call it
   * from the constructor (or from {@code build}), in the order Python assigns the attributes: that
   * order is the order of the weights.
   *
   * <pre>{@code
   * public Block(int units) {
   *   proj = addLayer("proj", new Dense(units));
   *   gate = addLayer("gate", new Dense(units, "sigmoid"));
   * }
   * protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
   *   return tf.math.mul(callSublayer(proj, x), callSublayer(gate, x));
   * }
   * }</pre>
   *
   * @param attribute the Python attribute name: non-empty, without '/'
   * @return {@code layer}
   * @throws IllegalArgumentException when the attribute is taken or the layer already has a parent
   */
  protected final <L extends Layer> L addLayer(String attribute, L layer) {
    return track(checkAttribute(attribute), layer);
  }

  /**
   * Makes each of {@code layers} a sub-layer, as assigning a Python list {@code self.<attribute> =
   * [...]} does: Keras saves them under {@code <attribute>/<snake_case class name>}, numbered per
   * class ({@code blocks/dense}, {@code blocks/dense_1}).
   *
   * <pre>{@code hidden = addLayers("hidden", List.of(new Dense(8), new Dense(8)));}</pre>
   */
  protected final <L extends Layer> List<L> addLayers(String attribute, List<L> layers) {
    checkAttribute(attribute);
    Map<String, Integer> used = new LinkedHashMap<>();
    for (L layer : layers) {
      String base = KerasNames.toSnakeCase(layer.getClass().getSimpleName());
      int n = used.merge(base, 1, Integer::sum);
      track(attribute + "/" + (n == 1 ? base : base + "_" + (n - 1)), layer);
    }
    return List.copyOf(layers);
  }

  private String checkAttribute(String attribute) {
    if (attribute == null || attribute.isEmpty() || attribute.contains("/")) {
      throw new IllegalArgumentException(
          "Layer \""
              + name
              + "\": a sub-layer attribute must be a non-empty name without '/', got "
              + (attribute == null ? "null" : "\"" + attribute + "\""));
    }
    return attribute;
  }

  private <L extends Layer> L track(String path, L layer) {
    if (layer == null || layer == this) {
      throw new IllegalArgumentException(
          "Layer \"" + name + "\": sub-layer \"" + path + "\" must be another layer");
    }
    if (sublayers.containsKey(path)) {
      throw new IllegalArgumentException(
          "Layer \"" + name + "\" already has a sub-layer \"" + path + "\"");
    }
    Layer sub = layer;
    if (sub.parent != null) {
      throw new IllegalArgumentException(
          "Layer \"" + sub.name + "\" is already a sub-layer of \"" + sub.parent.name + "\"");
    }
    sub.parent = this;
    sublayers.put(path, layer);
    if (!trainable) {
      layer.setTrainable(false);
    }
    if (graph != null && !graph.isClosed()) {
      layer.bindWeights(graph);
    }
    return layer;
  }

  /**
   * The sub-layers, by their path below this layer in the weights file ({@code "proj"}, {@code
   * "blocks/dense_1"}), in the order they were added.
   *
   * <pre>{@code block.sublayers().get("proj"); // the Dense}</pre>
   */
  public final Map<String, Layer> sublayers() {
    return Collections.unmodifiableMap(sublayers);
  }

  /**
   * The layer's path: its name, below its parent's path for a sub-layer ({@code "block/dense"}), as
   * Keras's {@code layer.path}.
   */
  public final String path() {
    return parent == null ? name : parent.path() + "/" + name;
  }

  /**
   * Calls a sub-layer from this layer's {@code call}: builds it if needed, puts its weights in the
   * graph, and returns its float32 output (Keras's {@code self.proj(x)}).
   *
   * <pre>{@code Operand<TFloat32> h = callSublayer(proj, x);}</pre>
   *
   * @throws IllegalStateException outside {@code call}
   */
  protected final Operand<TFloat32> callSublayer(Layer sublayer, Operand<?> input) {
    if (currentPass == null) {
      throw new IllegalStateException(
          "Layer \"" + name + "\": callSublayer can only be used from call()");
    }
    Ops tf = currentPass.tf();
    return DTypes.toFloat(tf, sublayer.apply(currentPass, input));
  }

  /**
   * Calls a sub-layer on several inputs, or one with several outputs, from this layer's {@code
   * call} (Keras's {@code self.forward_layer(x)} with {@code return_state}): builds it if needed,
   * puts its weights in the graph, gives it the Keras masks riding on {@code inputs}, and returns
   * all of its outputs as it emits them.
   *
   * <pre>{@code List<Operand<?>> outAndStates = callSublayer(forwardLayer, List.of(x));}</pre>
   *
   * @throws IllegalStateException outside {@code call}
   */
  protected final List<Operand<?>> callSublayer(Layer sublayer, List<Operand<?>> inputs) {
    if (currentPass == null) {
      throw new IllegalStateException(
          "Layer \"" + name + "\": callSublayer can only be used from call()");
    }
    return sublayer.apply(currentPass, inputs);
  }

  // ---- weights
  // -----------------------------------------------------------------------------------

  /**
   * Adds a trainable weight initialized by the Keras initializer of that name ({@code
   * "glorot_uniform"}, {@code "zeros"}, ...).
   */
  protected final Weight addWeight(String weightName, Shape shape, String initializer) {
    return addWeight(weightName, shape, Initializers.get(initializer), null, null, true);
  }

  /**
   * Adds a weight: Keras's {@code add_weight(name, shape, initializer, regularizer, constraint,
   * trainable)}.
   */
  protected final Weight addWeight(
      String weightName,
      Shape shape,
      Initializer initializer,
      Regularizer regularizer,
      Constraint constraint,
      boolean trainable) {
    return newWeight(weightName, shape, initializer, regularizer, constraint, trainable, false);
  }

  /**
   * Adds a float32 variable that is not one of this layer's weights (Keras's untracked {@code
   * backend.Variable}, such as a stateful RNN's {@code rnn_state}): it starts at zero and lives in
   * the model's graph beside the weights, keeping its value when the graph closes, but it is not in
   * {@link #weights()}, not saved in weight files, not counted and not set by {@link #setWeights}.
   *
   * <pre>{@code
   * Weight state = addUntrackedVariable("rnn_state", Shape.of(batch, units));
   * }</pre>
   */
  protected final Weight addUntrackedVariable(String variableName, Shape shape) {
    for (Weight w : untracked) {
      if (w.name().equals(variableName)) {
        throw new IllegalArgumentException(
            "Layer \"" + name + "\" already has a variable named \"" + variableName + "\"");
      }
    }
    Weight w =
        new Weight(
            this,
            variableName,
            shape,
            false,
            Initializers.get("zeros"),
            null,
            null,
            new float[Math.toIntExact(shape.size())],
            null,
            false);
    untracked.add(w);
    if (graph != null && !graph.isClosed()) {
      w.bind(graph, graphScope);
    }
    return w;
  }

  /**
   * Adds a trainable weight that this layer reads only by rows, with {@link Weight#gatherRows} (an
   * embedding table): a distribution may then store it in row shards on several machines (the
   * parameter-server strategy's variable partitioner) without the layer knowing. Otherwise as
   * {@link #addWeight(String, Shape, Initializer, Regularizer, Constraint, boolean)}.
   *
   * <pre>{@code
   * table = addLookupTable("embeddings", Shape.of(rows, width), initializer, null, null);
   * }</pre>
   */
  protected final Weight addLookupTable(
      String weightName,
      Shape shape,
      Initializer initializer,
      Regularizer regularizer,
      Constraint constraint) {
    return newWeight(weightName, shape, initializer, regularizer, constraint, true, true);
  }

  private Weight newWeight(
      String weightName,
      Shape shape,
      Initializer initializer,
      Regularizer regularizer,
      Constraint constraint,
      boolean trainable,
      boolean lookupTable) {
    for (long d : shape.asArray()) {
      if (d < 0) {
        throw new IllegalArgumentException(
            "Layer \""
                + name
                + "\" weight \""
                + weightName
                + "\": every dimension must be known,"
                + " got shape "
                + KerasShape.format(shape));
      }
    }
    for (Weight w : weights) {
      if (w.name().equals(weightName)) {
        throw new IllegalArgumentException(
            "Layer \"" + name + "\" already has a weight named \"" + weightName + "\"");
      }
    }
    WeightAllocation.beforeAllocating(name, weightName, shape.asArray());
    // Each weight draws from a source of its own, so a lookup table can draw later (see Weight).
    RandomGenerator random = GlobalSeed.split();
    float[] initial = lookupTable ? null : initializer.generate(shape.asArray(), random);
    Weight w =
        new Weight(
            this,
            weightName,
            shape,
            trainable,
            initializer,
            regularizer,
            constraint,
            initial,
            lookupTable ? random : null,
            lookupTable);
    weights.add(w);
    if (graph != null && !graph.isClosed()) {
      w.bind(graph, graphScope);
    }
    return w;
  }

  /**
   * All weights (Keras's {@code weights}): this layer's own ({@link #ownWeights}), then each
   * sub-layer's, in the order the sub-layers were added.
   */
  public List<Weight> weights() {
    List<Weight> out = ownWeights();
    for (Layer sub : sublayers.values()) {
      out.addAll(sub.weights());
    }
    return out;
  }

  /**
   * The weights this layer created itself, trainable first, each group in creation order: what
   * Keras saves in this layer's own {@code vars} group.
   *
   * <pre>{@code block.ownWeights(); // [scale]; block.weights(): [scale, proj kernel, ...]}</pre>
   */
  public List<Weight> ownWeights() {
    List<Weight> out = new ArrayList<>();
    for (Weight w : weights) {
      if (w.isTrainable()) {
        out.add(w);
      }
    }
    for (Weight w : weights) {
      if (!w.isTrainable()) {
        out.add(w);
      }
    }
    return out;
  }

  /** The trainable ones of {@link #weights()}, in that order. */
  public List<Weight> trainableWeights() {
    return weights().stream().filter(Weight::isTrainable).toList();
  }

  /** The non-trainable ones of {@link #weights()}, in that order. */
  public List<Weight> nonTrainableWeights() {
    return weights().stream().filter(w -> !w.isTrainable()).toList();
  }

  /** The values of {@link #weights()}, in that order. */
  public List<FloatNdArray> getWeights() {
    List<FloatNdArray> out = new ArrayList<>();
    for (Weight w : weights()) {
      out.add(w.numpy());
    }
    return out;
  }

  /** Replaces the values of {@link #weights()}, in that order; shapes must match exactly. */
  public void setWeights(List<? extends FloatNdArray> values) {
    Weight.assignAll("Layer \"" + name + "\"", weights(), values);
  }

  /** The number of weight values (Keras's {@code count_params()}). */
  public long countParams() {
    long n = 0;
    for (Weight w : weights()) {
      n += w.size();
    }
    return n;
  }

  /** Adds a scalar loss term while this layer is being called (Keras's {@code add_loss}). */
  protected final void addLoss(Operand<TFloat32> loss) {
    if (currentPass == null) {
      throw new IllegalStateException(
          "Layer \"" + name + "\": addLoss can only be called from call()");
    }
    currentPass.addLoss(loss);
  }

  /**
   * Says that this call carries state from one run of the model to the next (a stateful RNN assigns
   * its final states to variables the next batch starts from): the model then runs its batches one
   * at a time and in order, as {@code predict} otherwise may not.
   */
  protected final void carryStateAcrossRuns() {
    if (currentPass == null) {
      throw new IllegalStateException(
          "Layer \"" + name + "\": carryStateAcrossRuns can only be called from call()");
    }
    currentPass.carryStateAcrossRuns();
  }

  /**
   * Adds an op that updates this layer's state while it is being called, for example a moving
   * average's assignment; the trainer runs it with every training step (Keras's in-call {@code
   * variable.assign}). Layers add updates only when {@code training} is true.
   */
  protected final void addUpdate(Op update) {
    if (currentPass == null) {
      throw new IllegalStateException(
          "Layer \"" + name + "\": addUpdate can only be called from call()");
    }
    currentPass.addUpdate(update);
  }

  // ---- calling
  // -----------------------------------------------------------------------------------

  /** Calls the layer on one symbolic tensor (functional API), building it first if needed. */
  public final KerasTensor apply(KerasTensor input) {
    List<KerasTensor> out = apply(List.of(input));
    if (out.size() != 1) {
      throw new IllegalStateException(
          "Layer \"" + name + "\" has " + out.size() + " outputs; use apply(List)");
    }
    return out.get(0);
  }

  /** Calls the layer on several symbolic tensors (for example Concatenate). */
  public final KerasTensor apply(KerasTensor first, KerasTensor... more) {
    List<KerasTensor> all = new ArrayList<>();
    all.add(first);
    all.addAll(List.of(more));
    List<KerasTensor> out = apply(all);
    if (out.size() != 1) {
      throw new IllegalStateException(
          "Layer \"" + name + "\" has " + out.size() + " outputs; use apply(List)");
    }
    return out.get(0);
  }

  /** Calls the layer on symbolic tensors and returns all of its outputs. */
  public final List<KerasTensor> apply(List<KerasTensor> inputs) {
    return apply(inputs, Map.of());
  }

  /**
   * Calls the layer on symbolic tensors with keyword arguments, as Keras's {@code layer(*args,
   * **kwargs)}: {@link KerasTensor} values are tensor arguments ({@code key}, {@code
   * attention_mask}), others plain values ({@code use_causal_mask: true}). A tensor given as {@code
   * mask} is the first input's mask for this call (see {@link #callTakesMask}). Saving writes them
   * in the call's {@code kwargs}, as Keras does. Returns all outputs.
   *
   * <pre>{@code
   * List<KerasTensor> out =
   *     mha.apply(List.of(query, value), Map.of("return_attention_scores", true));
   * KerasTensor p = new Softmax().apply(List.of(scores), Map.of("mask", keep)).get(0);
   * }</pre>
   *
   * @throws IllegalArgumentException for keyword arguments the layer does not take
   */
  public final List<KerasTensor> apply(List<KerasTensor> inputs, Map<String, Object> kwargs) {
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("Layer \"" + name + "\" was called with no input");
    }
    checkExplicitMask(kwargs.get("mask"), kwargs.containsKey("mask"));
    List<Shape> shapes = new ArrayList<>();
    List<String> dtypes = new ArrayList<>();
    for (KerasTensor t : inputs) {
      shapes.add(t.shape());
      dtypes.add(t.dtype());
    }
    Map<String, Object> kwargShapes = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : kwargs.entrySet()) {
      Object v = e.getValue();
      if (!e.getKey().equals("mask")) {
        kwargShapes.put(e.getKey(), v instanceof KerasTensor t ? t.shape() : v);
      }
    }
    checkInputs(shapes);
    maybeBuild(shapes, kwargShapes);
    checkInputs(shapes);
    List<Shape> outShapes = computeOutputShape(shapes, kwargShapes);
    List<String> outDtypes = computeOutputDtypes(dtypes, outShapes.size());
    int nodeIndex = inboundNodes.size();
    List<KerasTensor> outputs = new ArrayList<>();
    for (int i = 0; i < outShapes.size(); i++) {
      outputs.add(new KerasTensor(outShapes.get(i), outDtypes.get(i), this, nodeIndex, i));
    }
    inboundNodes.add(new Node(this, inputs, kwargs, outputs));
    return outputs;
  }

  /**
   * Emits this layer's ops on real operands into the pass's graph: builds the layer from the
   * operands' static shapes if needed, puts its weights in that graph, checks the input spec, calls
   * {@code call}, and adds the activity regularization loss. Models use this for every node.
   */
  public final List<Operand<?>> apply(ForwardPass pass, List<Operand<?>> inputs) {
    return apply(pass, inputs, Map.of());
  }

  /**
   * {@link #apply(ForwardPass, List)} for a call with keyword arguments, given with an operand in
   * place of each tensor (see {@link #apply(List, Map)}).
   *
   * <pre>{@code
   * List<Operand<?>> out = mha.apply(pass, List.of(q, v), Map.of("use_causal_mask", true));
   * }</pre>
   */
  public final List<Operand<?>> apply(
      ForwardPass pass, List<Operand<?>> inputs, Map<String, Object> callKwargs) {
    List<Shape> shapes = new ArrayList<>();
    for (Operand<?> x : inputs) {
      shapes.add(x.shape());
    }
    Object explicitMask = callKwargs.get("mask");
    checkExplicitMask(explicitMask, callKwargs.containsKey("mask"));
    Map<String, Object> kwargs = new LinkedHashMap<>(callKwargs);
    kwargs.remove("mask");
    Map<String, Object> kwargShapes = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : kwargs.entrySet()) {
      Object v = e.getValue();
      kwargShapes.put(e.getKey(), v instanceof Operand<?> o ? o.shape() : v);
    }
    checkInputs(shapes);
    maybeBuild(shapes, kwargShapes);
    checkInputs(shapes);
    bindWeights(pass.graph());
    Ops tf = pass.tf().withSubScope(graphScope);
    List<Operand<TBool>> masks = new ArrayList<>();
    List<Operand<TBool>> recorded = new ArrayList<>();
    boolean sameMasks = true;
    for (Operand<?> x : inputs) {
      masks.add(pass.mask(x));
      recorded.add(pass.recordedMask(x));
      sameMasks &= masks.get(masks.size() - 1) == recorded.get(recorded.size() - 1);
    }
    // Keras passes the mask its graph recorded to a layer whose call takes `mask` and that is
    // called on one tensor alone; other layers see the masks riding on their inputs.
    if (callTakesMask() && inputs.size() == 1 && kwargs.isEmpty()) {
      masks = recorded;
      sameMasks = true;
    }
    if (explicitMask != null) {
      // Keras's previous_mask: an explicit mask replaces the first input's, nonzero meaning kept.
      masks = new ArrayList<>(masks);
      masks.set(0, asMask(tf, (Operand<?>) explicitMask));
      recorded = masks;
      sameMasks = true;
    }
    List<Operand<?>> outputs;
    ForwardPass outer = currentPass;
    currentPass = pass;
    try {
      outputs = call(tf, inputs, masks, kwargs, pass.training());
      List<Operand<TBool>> none = Collections.nCopies(outputs.size(), null);
      List<Operand<TBool>> outMasks =
          supportsMasking() ? computeMasks(tf, inputs, masks, outputs.size()) : none;
      List<Operand<TBool>> outRecorded =
          !supportsMasking()
              ? none
              : sameMasks ? outMasks : computeMasks(tf, inputs, recorded, outputs.size());
      for (int i = 0; i < outputs.size(); i++) {
        pass.setMasks(outputs.get(i), outMasks.get(i), outRecorded.get(i));
      }
    } finally {
      currentPass = outer;
    }
    if (activityRegularizer != null) {
      for (Operand<?> out : outputs) {
        Operand<TFloat32> y = DTypes.toFloat(tf, out);
        Operand<TFloat32> penalty = activityRegularizer.apply(tf, y);
        if (y.shape().numDimensions() > 0) {
          // Keras 3 divides by the batch size so the strength does not depend on it.
          Operand<TFloat32> batch =
              tf.dtypes.cast(
                  tf.gather(tf.shape(y), tf.constant(0), tf.constant(0)), TFloat32.class);
          penalty = tf.math.div(penalty, batch);
        }
        pass.addLoss(penalty);
      }
    }
    return outputs;
  }

  /**
   * Refuses an explicit {@code mask} keyword argument that is not a tensor, or given to a layer
   * whose call takes no mask (Keras's call would not accept it either).
   */
  private void checkExplicitMask(Object mask, boolean given) {
    if (!given) {
      return;
    }
    if (!callTakesMask()) {
      throw new IllegalArgumentException(
          "Layer \"" + name + "\" (" + className() + ") takes no mask argument; got mask=" + mask);
    }
    if (!(mask instanceof KerasTensor || mask instanceof Operand<?>)) {
      throw new IllegalArgumentException(
          "Layer \""
              + name
              + "\" ("
              + className()
              + "): the mask argument must be a tensor, got "
              + mask);
    }
  }

  /** A mask given as a tensor of any dtype, as booleans (nonzero: kept). */
  @SuppressWarnings("unchecked")
  private static Operand<TBool> asMask(Ops tf, Operand<?> m) {
    if (m.type() == TBool.class) {
      return (Operand<TBool>) m;
    }
    Operand<TFloat32> f = DTypes.toFloat(tf, m);
    return tf.math.notEqual(f, tf.zerosLike(f));
  }

  /** {@link #apply(ForwardPass, List)} for a single input and output. */
  public final Operand<?> apply(ForwardPass pass, Operand<?> input) {
    List<Operand<?>> out = apply(pass, List.of(input));
    return out.get(0);
  }

  /**
   * Puts every weight of this layer and its sub-layers into {@code g} (a no-op for weights already
   * there).
   */
  public final void bindWeights(GraphSession g) {
    if (graph != g || graph.isClosed()) {
      graph = g;
      graphScope = g.uniqueScope(name);
    }
    for (Weight w : weights) {
      w.bind(g, graphScope);
    }
    for (Weight w : untracked) {
      w.bind(g, graphScope);
    }
    for (Layer sub : sublayers.values()) {
      sub.bindWeights(g);
    }
  }

  /** The open graph session this layer's weights live in, or null. */
  public final GraphSession graphSession() {
    return graph != null && !graph.isClosed() ? graph : null;
  }

  void addInboundNode(Node node) {
    inboundNodes.add(node);
  }

  private void checkInputs(List<Shape> shapes) {
    if (inputSpec == null) {
      return;
    }
    for (int i = 0; i < shapes.size(); i++) {
      inputSpec.check(name, i, shapes.get(i));
    }
  }

  /**
   * Builds the layer for inputs of these shapes (batch first) unless it is built already, as
   * Keras's {@code layer.build(input_shape)}; calling a layer does this by itself.
   */
  public final void ensureBuilt(Shape... inputShapes) {
    maybeBuild(List.of(inputShapes), Map.of());
  }

  private void maybeBuild(List<Shape> shapes, Map<String, Object> kwargs) {
    if (!built) {
      build(shapes, kwargs);
      built = true;
      buildShapes = List.copyOf(shapes);
      Map<String, Shape> tensorShapes = new LinkedHashMap<>();
      kwargs.forEach(
          (k, v) -> {
            if (v instanceof Shape s) {
              tensorShapes.put(k, s);
            }
          });
      buildKwargShapes = Collections.unmodifiableMap(tensorShapes);
    }
  }

  /**
   * The shapes of the tensors passed by keyword in the call that built the layer ({@code key}),
   * empty if none or before it is built.
   *
   * <pre>{@code mha.buildKwargShapes().get("key");}</pre>
   */
  public Map<String, Shape> buildKwargShapes() {
    return buildKwargShapes;
  }

  /**
   * The {@code build_config} saving writes for this layer, or null for none: by default, when
   * {@link #writesBuildConfig} and the layer is built, {@code {"input_shape": ...}} with the build
   * shape (a list of shapes for several inputs, the first one for {@link
   * #callTakesSeparateInputs}), which Keras passes to {@code build}. A layer whose Keras {@code
   * build} takes several named shapes writes {@code {"shapes_dict": {...}}} instead.
   *
   * <pre>{@code new Dense(4).buildConfig(); // null until built, then {input_shape=[null, 3]}}
   * </pre>
   */
  public Map<String, Object> buildConfig() {
    if (!writesBuildConfig() || buildShapes == null) {
      return null;
    }
    Map<String, Object> build = new LinkedHashMap<>();
    if (buildShapes.size() == 1 || callTakesSeparateInputs()) {
      build.put("input_shape", KerasShape.toConfig(buildShapes.get(0)));
    } else {
      List<Object> several = new ArrayList<>();
      for (Shape s : buildShapes) {
        several.add(KerasShape.toConfig(s));
      }
      build.put("input_shape", several);
    }
    return build;
  }

  /** Marks the layer built with these input shapes after building it by other means. */
  protected final void markBuilt(List<Shape> shapes) {
    built = true;
    buildShapes = List.copyOf(shapes);
    buildKwargShapes = Map.of();
  }

  @Override
  public String toString() {
    return "<" + className() + " name=" + name + ", built=" + built + ">";
  }
}

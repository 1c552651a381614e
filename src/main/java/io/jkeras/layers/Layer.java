package io.jkeras.layers;

import io.jkeras.GlobalSeed;
import io.jkeras.KerasObjects;
import io.jkeras.KerasSerializable;
import io.jkeras.backend.DTypes;
import io.jkeras.backend.ForwardPass;
import io.jkeras.backend.GraphSession;
import io.jkeras.constraints.Constraint;
import io.jkeras.initializers.Initializer;
import io.jkeras.initializers.Initializers;
import io.jkeras.regularizers.Regularizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  private final List<Weight> weights = new ArrayList<>();
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
    float[] initial = initializer.generate(shape.asArray(), GlobalSeed.split());
    Weight w =
        new Weight(
            this, weightName, shape, trainable, initializer, regularizer, constraint, initial);
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
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("Layer \"" + name + "\" was called with no input");
    }
    List<Shape> shapes = new ArrayList<>();
    List<String> dtypes = new ArrayList<>();
    for (KerasTensor t : inputs) {
      shapes.add(t.shape());
      dtypes.add(t.dtype());
    }
    checkInputs(shapes);
    maybeBuild(shapes);
    checkInputs(shapes);
    List<Shape> outShapes = computeOutputShape(shapes);
    List<String> outDtypes = computeOutputDtypes(dtypes, outShapes.size());
    int nodeIndex = inboundNodes.size();
    List<KerasTensor> outputs = new ArrayList<>();
    for (int i = 0; i < outShapes.size(); i++) {
      outputs.add(new KerasTensor(outShapes.get(i), outDtypes.get(i), this, nodeIndex, i));
    }
    inboundNodes.add(new Node(this, inputs, outputs));
    return outputs;
  }

  /**
   * Emits this layer's ops on real operands into the pass's graph: builds the layer from the
   * operands' static shapes if needed, puts its weights in that graph, checks the input spec, calls
   * {@code call}, and adds the activity regularization loss. Models use this for every node.
   */
  public final List<Operand<?>> apply(ForwardPass pass, List<Operand<?>> inputs) {
    List<Shape> shapes = new ArrayList<>();
    for (Operand<?> x : inputs) {
      shapes.add(x.shape());
    }
    checkInputs(shapes);
    maybeBuild(shapes);
    checkInputs(shapes);
    bindWeights(pass.graph());
    Ops tf = pass.tf().withSubScope(graphScope);
    List<Operand<TBool>> masks = new ArrayList<>();
    for (Operand<?> x : inputs) {
      masks.add(pass.mask(x));
    }
    List<Operand<?>> outputs;
    ForwardPass outer = currentPass;
    currentPass = pass;
    try {
      outputs = call(tf, inputs, masks, pass.training());
      Operand<TBool> outMask = supportsMasking() ? computeMask(tf, inputs, masks) : null;
      for (Operand<?> out : outputs) {
        pass.setMask(out, outMask);
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
    maybeBuild(List.of(inputShapes));
  }

  private void maybeBuild(List<Shape> shapes) {
    if (!built) {
      build(shapes);
      built = true;
      buildShapes = List.copyOf(shapes);
    }
  }

  /** Marks the layer built with these input shapes after building it by other means. */
  protected final void markBuilt(List<Shape> shapes) {
    built = true;
    buildShapes = List.copyOf(shapes);
  }

  @Override
  public String toString() {
    return "<" + className() + " name=" + name + ", built=" + built + ">";
  }
}

package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Runs a recurrent layer over the sequence both ways and merges the two results, as Keras 3's
 * {@code keras.layers.Bidirectional}.
 *
 * <p>Arguments: {@code layer}, an {@link RNN} (SimpleRNN, LSTM, GRU or RNN): the forward layer is
 * rebuilt from its config and named {@code forward_<name>}; {@code backward_layer} (null: the same
 * config with {@code go_backwards=True}, named {@code backward_<name>}); {@code merge_mode}:
 * "concat" (default), "sum", "mul", "ave", or null (the two outputs are returned separately). Both
 * layers must read opposite ways and agree on stateful, return_sequences and return_state; with
 * return_sequences their masked steps output zeros (Keras forces {@code zero_output_for_mask}).
 *
 * <p>Shapes: the forward layer's output, twice as wide with "concat"; with return_sequences the
 * backward layer's output is flipped back into the input's time order before merging. With
 * return_state the outputs are the merged output(s), then the forward then the backward states.
 *
 * <p>Weights: the forward layer's, then the backward layer's, saved under {@code
 * layers/<name>/forward_layer/...} and {@code layers/<name>/backward_layer/...} as Keras does.
 *
 * <p>Stateful ({@code stateful=True} on the layer): each of the two layers carries its own states
 * from batch to batch (see {@link RNN}); {@link #resetState()} resets both.
 *
 * <pre>{@code
 * KerasTensor h = new Bidirectional(LSTM.builder(32).returnSequences(true).build()).apply(e);
 * Bidirectional summed = Bidirectional.builder(new GRU(16)).mergeMode("sum").build();
 * }</pre>
 */
public class Bidirectional extends Layer {

  private static final List<String> MERGE_MODES = List.of("concat", "sum", "mul", "ave");

  private final RNN forwardLayer;
  private final RNN backwardLayer;
  private final String mergeMode;

  /** Bidirectional over {@code layer}, merged by concatenation. */
  public Bidirectional(RNN layer) {
    this(builder(layer));
  }

  private Bidirectional(Builder b) {
    super(b.name);
    if (b.mergeMode != null && !MERGE_MODES.contains(b.mergeMode)) {
      throw new IllegalArgumentException(
          "Bidirectional: invalid merge mode \""
              + b.mergeMode
              + "\"; expected one of \"sum\", \"mul\", \"ave\", \"concat\" or null");
    }
    this.mergeMode = b.mergeMode;
    RNN forward = copy(b.layer, "forward_", false);
    RNN backward = b.backwardLayer != null ? b.backwardLayer : copy(b.layer, "backward_", true);
    if (forward.goBackwards() == backward.goBackwards()) {
      throw new IllegalArgumentException(
          "Bidirectional: forward layer and backward layer should have different `go_backwards`"
              + " values, got "
              + forward.goBackwards()
              + " for both");
    }
    if (forward.stateful() != backward.stateful()
        || forward.returnSequences() != backward.returnSequences()
        || forward.returnState() != backward.returnState()) {
      throw new IllegalArgumentException(
          "Bidirectional: forward layer and backward layer must agree on stateful,"
              + " return_sequences and return_state, got ("
              + forward.stateful()
              + ", "
              + forward.returnSequences()
              + ", "
              + forward.returnState()
              + ") and ("
              + backward.stateful()
              + ", "
              + backward.returnSequences()
              + ", "
              + backward.returnState()
              + ")");
    }
    forward.setZeroOutputForMask(forward.returnSequences());
    backward.setZeroOutputForMask(backward.returnSequences());
    this.forwardLayer = addLayer("forward_layer", forward);
    this.backwardLayer = addLayer("backward_layer", backward);
    setInputSpec(InputSpec.rank(3));
  }

  /** {@code layer} rebuilt from its config under a prefixed name (Keras does not reuse it). */
  private static RNN copy(RNN layer, String prefix, boolean backwards) {
    if (layer == null) {
      throw new IllegalArgumentException("Bidirectional: the layer must not be null");
    }
    Map<String, Object> config = layer.getConfig();
    String name = layer.name();
    config.put("name", prefix + (name.startsWith(prefix) ? name.substring(prefix.length()) : name));
    if (backwards) {
      config.put("go_backwards", true);
    }
    return (RNN) LayerCatalog.create(layer.className(), layer.registeredName(), name, config, true);
  }

  /** A builder for Bidirectional over {@code layer}. */
  public static Builder builder(RNN layer) {
    return new Builder(layer);
  }

  /** Bidirectional from its Keras config: {@code layer}, {@code backward_layer}, merge_mode. */
  public static Bidirectional fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Bidirectional", config);
    Builder b = builder(rnn(c, "layer")).name(c.name());
    if (c.has("backward_layer") && c.raw("backward_layer") != null) {
      b.backwardLayer(rnn(c, "backward_layer"));
    }
    Object mode = c.raw("merge_mode");
    if (mode != null && !(mode instanceof String)) {
      throw c.wrongValue("merge_mode", "\"concat\", \"sum\", \"mul\", \"ave\" or null", mode);
    }
    b.mergeMode((String) mode);
    c.requireFloat32Dtype();
    try {
      return c.finish(b.build());
    } catch (IllegalArgumentException e) {
      throw c.fail("layer", e.getMessage());
    }
  }

  private static RNN rnn(ConfigReader c, String key) {
    Layer layer = NestedLayerConfig.deserialize(c, key);
    if (!(layer instanceof RNN r)) {
      throw c.fail(key, "expected a recurrent layer (an RNN), got " + layer.className());
    }
    return r;
  }

  /** The layer that reads the sequence forwards. */
  public RNN forwardLayer() {
    return forwardLayer;
  }

  /** The layer that reads the sequence backwards. */
  public RNN backwardLayer() {
    return backwardLayer;
  }

  /** Whether the two layers carry their states from batch to batch. */
  public boolean stateful() {
    return forwardLayer.stateful();
  }

  /**
   * Sets the carried states of both layers back to zero (Keras's {@code reset_state()}).
   *
   * <pre>{@code
   * bi.resetState(); // the next batch starts new sequences
   * }</pre>
   *
   * @throws IllegalStateException when the layers are not stateful, as Keras
   */
  public void resetState() {
    if (!stateful()) {
      throw new IllegalStateException(
          "Layer \"" + name() + "\" (Bidirectional): reset_state needs a stateful layer");
    }
    forwardLayer.resetState();
    backwardLayer.resetState();
  }

  /** Keras's compatibility alias of {@link #resetState()}. */
  public void resetStates() {
    resetState();
  }

  /** "concat", "sum", "mul", "ave", or null. */
  public String mergeMode() {
    return mergeMode;
  }

  @Override
  public boolean supportsMasking() {
    return true;
  }

  /** Keras's {@code call} of this layer takes {@code mask}: it gets the mask the graph recorded. */
  @Override
  public boolean callTakesMask() {
    return true;
  }

  @Override
  public boolean callTakesTraining() {
    return true;
  }

  @Override
  protected List<Operand<TBool>> computeMasks(
      Ops tf, List<Operand<?>> inputs, List<Operand<TBool>> masks, int outputCount) {
    List<Operand<TBool>> out = new ArrayList<>(Collections.nCopies(outputCount, null));
    Operand<TBool> mask = masks.isEmpty() ? null : masks.get(0);
    if (forwardLayer.returnSequences() && mask != null) {
      out.set(0, mask);
      if (mergeMode == null) {
        out.set(1, mask);
      }
    }
    return out;
  }

  @Override
  protected void build(Shape inputShape) {
    forwardLayer.ensureBuilt(inputShape);
    backwardLayer.ensureBuilt(inputShape);
  }

  @Override
  public List<Shape> computeOutputShape(List<Shape> inputShapes) {
    List<Shape> forward = forwardLayer.computeOutputShape(inputShapes);
    Shape output = forward.get(0);
    List<Shape> states = forward.subList(1, forward.size());
    List<Shape> out = new ArrayList<>();
    if ("concat".equals(mergeMode)) {
      long[] dims = output.asArray();
      dims[dims.length - 1] *= 2;
      out.add(Shape.of(dims));
    } else {
      out.add(output);
      if (mergeMode == null) {
        out.add(output);
      }
    }
    out.addAll(states);
    out.addAll(backwardLayer.computeOutputShape(inputShapes).subList(1, forward.size()));
    return out;
  }

  @Override
  protected List<Operand<?>> call(
      Ops tf, List<Operand<?>> inputs, List<Operand<TBool>> masks, boolean training) {
    List<Operand<?>> y = callSublayer(forwardLayer, inputs);
    List<Operand<?>> yRev = callSublayer(backwardLayer, inputs);
    @SuppressWarnings("unchecked")
    Operand<TFloat32> a = (Operand<TFloat32>) y.get(0);
    @SuppressWarnings("unchecked")
    Operand<TFloat32> b = (Operand<TFloat32>) yRev.get(0);
    if (forwardLayer.returnSequences()) {
      // Back into the input's time order (unstack and restack: plain ops for the gradients).
      List<Operand<TFloat32>> steps = RNN.unstack(tf, b, Math.toIntExact(b.shape().size(1)));
      Collections.reverse(steps);
      b = tf.stack(steps, org.tensorflow.op.core.Stack.axis(1L));
    }
    List<Operand<?>> out = new ArrayList<>();
    if (mergeMode == null) {
      out.add(a);
      out.add(b);
    } else {
      out.add(
          switch (mergeMode) {
            case "concat" -> tf.concat(List.of(a, b), tf.constant(-1));
            case "sum" -> tf.math.add(a, b);
            case "ave" -> tf.math.div(tf.math.add(a, b), tf.constant(2f));
            default -> tf.math.mul(a, b);
          });
    }
    out.addAll(y.subList(1, y.size()));
    out.addAll(yRev.subList(1, yRev.size()));
    return out;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("merge_mode", mergeMode);
    config.put("layer", LayerCatalog.entry(forwardLayer));
    config.put("backward_layer", LayerCatalog.entry(backwardLayer));
    return config;
  }

  /** Optional arguments of {@link Bidirectional}, with Keras 3's defaults. */
  public static final class Builder {
    private final RNN layer;
    private String name;
    private String mergeMode = "concat";
    private RNN backwardLayer;

    private Builder(RNN layer) {
      this.layer = layer;
    }

    /** The layer's name; automatic when not set. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** "concat" (default), "sum", "mul", "ave", or null for two separate outputs. */
    public Builder mergeMode(String mergeMode) {
      this.mergeMode = mergeMode;
      return this;
    }

    /** The layer that reads backwards (its go_backwards must be the forward layer's opposite). */
    public Builder backwardLayer(RNN backwardLayer) {
      this.backwardLayer = backwardLayer;
      return this;
    }

    /** The layer. */
    public Bidirectional build() {
      return new Bidirectional(this);
    }
  }
}

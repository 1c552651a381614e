package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TInt32;

/**
 * Applies one layer to every time step of a sequence, with the same weights, as Keras 3's {@code
 * keras.layers.TimeDistributed}: for an input {@code (batch, timesteps, ...)}, the wrapped layer
 * sees {@code (batch, ...)} inputs and the outputs are stacked back along axis 1.
 *
 * <p>Arguments: {@code layer}, held as the sub-layer {@code layer} (its weights are saved under
 * {@code layers/<name>/layer/vars}). Built with the step shape {@code (batch, ...)}, as in Keras.
 *
 * <p>The steps are folded into the batch ({@code (batch * timesteps, ...)}) and the wrapped layer
 * is called once, which equals Keras's per-step loop for every layer that treats samples
 * independently (Dense, convolutions, Dropout's distribution); a layer that uses batch statistics
 * in training (BatchNormalization) sees all steps at once instead of one step at a time. The
 * input's mask passes through to the output; the wrapped layer gets none.
 *
 * <pre>{@code
 * KerasTensor y = new TimeDistributed(new Dense(8)).apply(Input.of(10, 16)); // (None, 10, 8)
 * }</pre>
 */
public class TimeDistributed extends Layer {

  private final Layer layer;

  /** TimeDistributed over {@code layer}, named automatically. */
  public TimeDistributed(Layer layer) {
    this(layer, null);
  }

  /** TimeDistributed over {@code layer}, with a name (null: automatic). */
  public TimeDistributed(Layer layer, String name) {
    super(name);
    if (layer == null) {
      throw new IllegalArgumentException("TimeDistributed: the layer must not be null");
    }
    this.layer = addLayer("layer", layer);
    setInputSpec(InputSpec.minRank(3));
  }

  /** TimeDistributed from its Keras config: the wrapped {@code layer}'s entry. */
  public static TimeDistributed fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("TimeDistributed", config);
    Layer inner = NestedLayerConfig.deserialize(c, "layer");
    TimeDistributed td = new TimeDistributed(inner, c.name());
    c.requireFloat32Dtype();
    return c.finish(td);
  }

  /** The wrapped layer. */
  public Layer layer() {
    return layer;
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

  private static Shape stepShape(Shape input) {
    long[] dims = input.asArray();
    long[] step = new long[dims.length - 1];
    step[0] = dims[0];
    System.arraycopy(dims, 2, step, 1, dims.length - 2);
    return Shape.of(step);
  }

  @Override
  protected void build(Shape inputShape) {
    layer.ensureBuilt(stepShape(inputShape));
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    long[] child = layer.computeOutputShape(stepShape(inputShape)).asArray();
    long[] out = new long[child.length + 1];
    out[0] = child[0];
    out[1] = inputShape.size(1);
    System.arraycopy(child, 1, out, 2, child.length - 1);
    return Shape.of(out);
  }

  @Override
  protected List<Operand<?>> call(
      Ops tf, List<Operand<?>> inputs, List<Operand<TBool>> masks, boolean training) {
    Operand<?> x = inputs.get(0);
    long[] in = x.shape().asArray();
    // Shapes read at run time stay outside the gradient path (Shape ops have no gradient).
    Operand<TInt32> inShape = tf.shape(tf.stopGradient(x));
    long[] folded = new long[in.length - 1];
    folded[0] = -1;
    System.arraycopy(in, 2, folded, 1, in.length - 2);
    Operand<?> steps =
        tf.reshape(
            x,
            target(
                tf,
                folded,
                () ->
                    tf.concat(
                        List.of(tf.constant(new int[] {-1}), slice(tf, inShape, 2)), zero(tf))));
    Operand<?> y = callSublayer(layer, List.of(steps)).get(0);
    long[] out = y.shape().asArray();
    long[] unfolded = new long[out.length + 1];
    unfolded[0] = -1;
    unfolded[1] = in[1];
    System.arraycopy(out, 1, unfolded, 2, out.length - 1);
    Operand<TInt32> batchAndTime =
        tf.slice(inShape, tf.constant(new int[] {0}), tf.constant(new int[] {2}));
    return List.of(
        tf.reshape(
            y,
            target(
                tf,
                unfolded,
                () ->
                    tf.concat(
                        List.of(batchAndTime, slice(tf, tf.shape(tf.stopGradient(y)), 1)),
                        zero(tf)))));
  }

  /** A reshape target: constant when every dimension after the leading -1 is known. */
  private static Operand<TInt32> target(Ops tf, long[] dims, Supplier<Operand<TInt32>> atRunTime) {
    int[] known = new int[dims.length];
    for (int i = 0; i < dims.length; i++) {
      if (i > 0 && dims[i] < 0) {
        return atRunTime.get();
      }
      known[i] = (int) dims[i];
    }
    return tf.constant(known);
  }

  /** {@code shape[from:]}. */
  private static Operand<TInt32> slice(Ops tf, Operand<TInt32> shape, int from) {
    return tf.slice(shape, tf.constant(new int[] {from}), tf.constant(new int[] {-1}));
  }

  private static Operand<TInt32> zero(Ops tf) {
    return tf.constant(0);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("layer", LayerCatalog.entry(layer));
    return config;
  }
}

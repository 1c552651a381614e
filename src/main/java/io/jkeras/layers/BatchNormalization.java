package io.jkeras.layers;

import io.jkeras.KerasObjects;
import io.jkeras.backend.DTypes;
import io.jkeras.config.ConfigReader;
import io.jkeras.initializers.Initializer;
import io.jkeras.initializers.Initializers;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Normalizes each channel with batch statistics in training and moving statistics in inference, as
 * Keras 3's {@code keras.layers.BatchNormalization}.
 *
 * <p>In training (during {@code fit}, when the layer is trainable) the output is {@code (x - mean)
 * / sqrt(variance + epsilon) * gamma + beta} with the mean and (population) variance of the batch
 * over every axis but {@code axis}, and each training step moves the statistics: {@code moving =
 * moving * momentum + batch * (1 - momentum)}. In inference, and in training when the layer is
 * frozen, the moving mean and variance take the batch's place.
 *
 * <p>Arguments: {@code axis} (-1), the channel axis; {@code momentum} (0.99); the options of {@link
 * NormalizationBuilder} ({@code epsilon} 1e-3, {@code center}, {@code scale}, ...); {@code
 * movingMeanInitializer} ({@code "zeros"}) and {@code movingVarianceInitializer} ({@code "ones"}).
 * Keras's {@code synchronized} is kept for the config (one process has nothing to synchronize);
 * batch renormalization ({@code renorm}) is not implemented.
 *
 * <p>Weights, in Keras's order: {@code gamma}, {@code beta} (trainable), {@code moving_mean},
 * {@code moving_variance} (non-trainable), each of shape {@code (channels,)}. Shapes: output shape
 * = input shape.
 *
 * <pre>{@code
 * KerasTensor y = new BatchNormalization().apply(x);
 * KerasTensor z = BatchNormalization.builder().momentum(0.9).epsilon(1e-5).build().apply(x);
 * }</pre>
 */
public class BatchNormalization extends Layer {

  private final int axis;
  private final double momentum;
  private final NormalizationBuilder.Options options;
  private final Initializer movingMeanInitializer;
  private final Initializer movingVarianceInitializer;
  private final boolean synchronizedAcrossReplicas;
  private final double renormMomentum;
  private Weight gamma;
  private Weight beta;
  private Weight movingMean;
  private Weight movingVariance;

  /**
   * Normalizes over the last axis with Keras's defaults (momentum 0.99, epsilon 0.001, center and
   * scale).
   */
  public BatchNormalization() {
    this(builder());
  }

  private BatchNormalization(Builder b) {
    super(b.name);
    if (!(b.momentum >= 0 && b.momentum <= 1)) {
      throw new IllegalArgumentException(
          "BatchNormalization: momentum must be in [0, 1], got " + b.momentum);
    }
    this.axis = b.axis;
    this.momentum = b.momentum;
    this.options = b.options("BatchNormalization");
    this.movingMeanInitializer = b.movingMeanInitializer;
    this.movingVarianceInitializer = b.movingVarianceInitializer;
    this.synchronizedAcrossReplicas = b.synchronizedAcrossReplicas;
    this.renormMomentum = b.renormMomentum;
  }

  /** A builder with Keras's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A BatchNormalization layer from its Keras config: {@code axis}, {@code momentum}, {@code
   * epsilon}, {@code center}, {@code scale}, the initializers (moving ones included), regularizers
   * and constraints, {@code synchronized}; {@code renorm} must be false.
   */
  public static BatchNormalization fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("BatchNormalization", config);
    Builder b = builder().name(c.name());
    b.axis(c.intOrSingleton("axis", -1));
    b.momentum(c.number("momentum", 0.99));
    b.readShared(c, 1e-3);
    b.movingMeanInitializer(c.initializer("moving_mean_initializer", "zeros"));
    b.movingVarianceInitializer(c.initializer("moving_variance_initializer", "ones"));
    b.synchronizedAcrossReplicas(c.bool("synchronized", false));
    c.requireDefault("renorm", false, "batch renormalization (renorm)");
    c.requireDefault("renorm_clipping", null, "batch renormalization (renorm_clipping)");
    b.renormMomentum = c.number("renorm_momentum", 0.99);
    return c.finish(b.build());
  }

  /** The feature axis that is normalized per channel (negative counts from the end). */
  public int axis() {
    return axis;
  }

  /**
   * The moving statistics' momentum: {@code moving = moving * momentum + batch * (1 - momentum)}.
   */
  public double momentum() {
    return momentum;
  }

  /** The small value added to the variance before its square root. */
  public double epsilon() {
    return options.epsilon();
  }

  /**
   * The scale weight {@code gamma}; null before the layer is built or when {@code scale} is false.
   */
  public Weight gamma() {
    return gamma;
  }

  /**
   * The offset weight {@code beta}; null before the layer is built or when {@code center} is false.
   */
  public Weight beta() {
    return beta;
  }

  /** The moving mean (not trainable) used at inference; null before the layer is built. */
  public Weight movingMean() {
    return movingMean;
  }

  /** The moving variance (not trainable) used at inference; null before the layer is built. */
  public Weight movingVariance() {
    return movingVariance;
  }

  @Override
  protected void build(Shape inputShape) {
    int a = LayerNormalization.resolveAxes(this, List.of(axis), inputShape)[0];
    long channels = inputShape.size(a);
    if (channels < 0) {
      throw new IllegalArgumentException(
          "Layer \""
              + name()
              + "\" (BatchNormalization): axis "
              + axis
              + " of the input must be known, got "
              + KerasShape.format(inputShape));
    }
    Shape shape = Shape.of(channels);
    gamma = options.addGamma(this, shape);
    beta = options.addBeta(this, shape);
    movingMean = addWeight("moving_mean", shape, movingMeanInitializer, null, null, false);
    movingVariance =
        addWeight("moving_variance", shape, movingVarianceInitializer, null, null, false);
    setInputSpec(InputSpec.rank(inputShape.numDimensions()).withAxis(a, channels));
  }

  /** Keras's BatchNormalization keeps masks: the input's mask passes through to the output. */
  @Override
  public boolean supportsMasking() {
    return true;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    LayerNormalization.resolveAxes(this, List.of(axis), inputShape);
    return inputShape;
  }

  /** Keras's call takes {@code mask}: in training the batch statistics skip masked steps. */
  @Override
  public boolean callTakesMask() {
    return true;
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    return normalize(tf, x, null, training);
  }

  /**
   * With a mask of one axis less than the input (true where a step holds data): in training, the
   * mean and variance are taken over the unmasked steps only, as Keras's {@code _moments} takes
   * them (each sum divided by the count of unmasked values plus 1e-7).
   */
  @Override
  protected List<Operand<?>> call(
      Ops tf, List<Operand<?>> inputs, List<Operand<TBool>> masks, boolean training) {
    Operand<TBool> mask = masks.isEmpty() ? null : masks.get(0);
    if (mask == null || inputs.size() != 1) {
      return call(tf, inputs, training);
    }
    Operand<TFloat32> x = DTypes.toFloat(tf, inputs.get(0));
    if (mask.shape().numDimensions() != x.shape().numDimensions() - 1) {
      throw new IllegalArgumentException(
          "Layer \""
              + name()
              + "\" (BatchNormalization): the mask must have one axis less than the input, got a"
              + " mask of shape "
              + KerasShape.format(mask.shape())
              + " for an input of shape "
              + KerasShape.format(x.shape()));
    }
    return List.of(normalize(tf, x, mask, training));
  }

  private Operand<TFloat32> normalize(
      Ops tf, Operand<TFloat32> x, Operand<TBool> mask, boolean training) {
    int rank = x.shape().numDimensions();
    int a = LayerNormalization.resolveAxes(this, List.of(axis), x.shape())[0];
    int[] broadcast = new int[rank];
    java.util.Arrays.fill(broadcast, 1);
    broadcast[a] = (int) x.shape().size(a);
    Operand<TFloat32> g = gamma == null ? null : reshape(tf, gamma, broadcast);
    Operand<TFloat32> b = beta == null ? null : reshape(tf, beta, broadcast);
    Moments stats;
    if (training && isTrainable()) {
      int[] reduce = new int[rank - 1];
      for (int i = 0, k = 0; i < rank; i++) {
        if (i != a) {
          reduce[k++] = i;
        }
      }
      stats = mask == null ? Moments.of(tf, x, reduce) : maskedMoments(tf, x, mask, reduce);
      addUpdate(movingAverage(tf, movingMean, stats.mean()));
      addUpdate(movingAverage(tf, movingVariance, stats.variance()));
    } else {
      stats =
          new Moments(reshape(tf, movingMean, broadcast), reshape(tf, movingVariance, broadcast));
    }
    return stats.normalize(tf, x, g, b, options.epsilon());
  }

  /** The mean and variance over {@code axes} of the values where the mask, broadcast, is true. */
  private static Moments maskedMoments(
      Ops tf, Operand<TFloat32> x, Operand<TBool> mask, int[] axes) {
    Operand<TBool> keep = tf.broadcastTo(tf.expandDims(mask, tf.constant(-1)), tf.shape(x));
    Operand<TFloat32> zero = tf.constant(0f);
    Operand<TFloat32> count =
        tf.math.add(
            tf.reduceSum(
                tf.dtypes.cast(keep, TFloat32.class), tf.constant(axes), ReduceSum.keepDims(true)),
            tf.constant(1e-7f));
    Operand<TFloat32> mean =
        tf.math.div(
            tf.reduceSum(tf.select(keep, x, zero), tf.constant(axes), ReduceSum.keepDims(true)),
            count);
    Operand<TFloat32> d = tf.select(keep, tf.math.sub(x, mean), zero);
    Operand<TFloat32> variance =
        tf.math.div(
            tf.reduceSum(tf.math.mul(d, d), tf.constant(axes), ReduceSum.keepDims(true)), count);
    return new Moments(mean, variance);
  }

  private static Operand<TFloat32> reshape(Ops tf, Weight w, int[] shape) {
    return tf.reshape(w.value(), tf.constant(shape));
  }

  /** moving = moving * momentum + batch * (1 - momentum), with batch reshaped to (channels,). */
  private org.tensorflow.op.Op movingAverage(Ops tf, Weight moving, Operand<TFloat32> batch) {
    Operand<TFloat32> flat = tf.reshape(tf.stopGradient(batch), tf.constant(new int[] {-1}));
    Operand<TFloat32> next =
        tf.math.add(
            tf.math.mul(moving.value(), tf.constant((float) momentum)),
            tf.math.mul(flat, tf.constant((float) (1 - momentum))));
    return tf.assign(moving.value(), next);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("axis", axis);
    config.put("momentum", momentum);
    config.put("epsilon", options.epsilon());
    config.put("center", options.center());
    config.put("scale", options.scale());
    options.putInitializers(config);
    config.put(
        "moving_mean_initializer",
        KerasObjects.serialize("keras.initializers", movingMeanInitializer));
    config.put(
        "moving_variance_initializer",
        KerasObjects.serialize("keras.initializers", movingVarianceInitializer));
    options.putRegularizersAndConstraints(config);
    config.put("synchronized", synchronizedAcrossReplicas);
    config.put("renorm", false);
    config.put("renorm_clipping", null);
    config.put("renorm_momentum", renormMomentum);
    return config;
  }

  /** Optional arguments of {@link BatchNormalization}, with Keras 3's defaults. */
  public static final class Builder extends NormalizationBuilder<Builder> {
    private int axis = -1;
    private double momentum = 0.99;
    private Initializer movingMeanInitializer = Initializers.get("zeros");
    private Initializer movingVarianceInitializer = Initializers.get("ones");
    private boolean synchronizedAcrossReplicas;
    private double renormMomentum = 0.99;

    private Builder() {}

    /** The channel axis (-1). */
    public Builder axis(int axis) {
      this.axis = axis;
      return this;
    }

    /** The weight of the old moving statistics in each update (0.99). */
    public Builder momentum(double momentum) {
      this.momentum = momentum;
      return this;
    }

    /** The initializer of the moving mean, by Keras name (default {@code "zeros"}). */
    public Builder movingMeanInitializer(String initializer) {
      return movingMeanInitializer(Initializers.get(initializer));
    }

    /** The initializer of the moving mean (default zeros). */
    public Builder movingMeanInitializer(Initializer initializer) {
      this.movingMeanInitializer = initializer;
      return this;
    }

    /** The initializer of the moving variance, by Keras name (default {@code "ones"}). */
    public Builder movingVarianceInitializer(String initializer) {
      return movingVarianceInitializer(Initializers.get(initializer));
    }

    /** The initializer of the moving variance (default ones). */
    public Builder movingVarianceInitializer(Initializer initializer) {
      this.movingVarianceInitializer = initializer;
      return this;
    }

    /** Keras's {@code synchronized}: recorded in the config; one process has one replica. */
    public Builder synchronizedAcrossReplicas(boolean value) {
      this.synchronizedAcrossReplicas = value;
      return this;
    }

    /** The BatchNormalization layer with these arguments. */
    public BatchNormalization build() {
      return new BatchNormalization(this);
    }
  }
}

package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Normalizes each sample over some of its axes, as Keras 3's {@code
 * keras.layers.LayerNormalization}: {@code y = (x - mean) / sqrt(variance + epsilon) * gamma +
 * beta}, with the mean and (population) variance taken over {@code axis} for each sample
 * separately, in training and inference alike.
 *
 * <p>Arguments: {@code axis} ({@code [-1]}), the normalized axes; the options of {@link
 * NormalizationBuilder} ({@code epsilon} 1e-3, {@code center}, {@code scale}, initializers,
 * regularizers, constraints); {@code rmsScaling} (false; Keras's deprecated variant {@code x /
 * sqrt(variance + epsilon) * gamma}, kept for files that use it).
 *
 * <p>Weights: {@code gamma}, then {@code beta}, each shaped like the input's sizes along {@code
 * axis}. Shapes: output shape = input shape.
 *
 * <pre>{@code
 * KerasTensor y = new LayerNormalization().apply(x);
 * KerasTensor z = LayerNormalization.builder().axis(1, 2).epsilon(1e-6).build().apply(x);
 * }</pre>
 */
public class LayerNormalization extends Layer {

  private final List<Integer> axis;
  private final boolean rmsScaling;
  private final NormalizationBuilder.Options options;
  private Weight gamma;
  private Weight beta;

  /** Normalizes over the last axis with Keras's defaults (epsilon 1e-3, center and scale). */
  public LayerNormalization() {
    this(builder());
  }

  private LayerNormalization(Builder b) {
    super(b.name);
    if (b.axis.isEmpty()) {
      throw new IllegalArgumentException("LayerNormalization: axis must name at least one axis");
    }
    List<Integer> sorted = new ArrayList<>(b.axis);
    sorted.sort(null);
    this.axis = List.copyOf(sorted);
    this.rmsScaling = b.rmsScaling;
    this.options = b.options("LayerNormalization");
  }

  /** A builder with Keras's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A LayerNormalization layer from its Keras config: {@code axis} (an integer or a list), {@code
   * epsilon}, {@code center}, {@code scale}, {@code rms_scaling}, and the initializers,
   * regularizers and constraints of beta and gamma.
   */
  public static LayerNormalization fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("LayerNormalization", config);
    Builder b = builder().name(c.name());
    b.axis(axes(c, "axis", -1));
    b.readShared(c, 1e-3);
    b.rmsScaling(c.bool("rms_scaling", false));
    return c.finish(b.build());
  }

  /** An axis config: an integer or a list of integers, {@code defaultAxis} when absent. */
  static int[] axes(ConfigReader c, String key, int defaultAxis) {
    if (!c.has(key) || !(c.raw(key) instanceof List<?>)) {
      return new int[] {c.integer(key, defaultAxis)};
    }
    List<Long> dims = c.optionalDims(key);
    if (dims.isEmpty() || dims.contains(null)) {
      throw c.wrongValue(key, "an integer or a non-empty list of integers", dims);
    }
    return dims.stream().mapToInt(Long::intValue).toArray();
  }

  /**
   * The given axes as non-negative indices for {@code inputShape}; errors name {@code layer} and
   * the shape when one is the batch axis or out of range.
   */
  static int[] resolveAxes(Layer layer, List<Integer> axes, Shape inputShape) {
    int rank = inputShape.numDimensions();
    int[] out = new int[axes.size()];
    for (int i = 0; i < out.length; i++) {
      int a = axes.get(i);
      if (a >= rank || a < -rank || Math.floorMod(a, rank) == 0) {
        throw new IllegalArgumentException(
            "Layer \""
                + layer.name()
                + "\" ("
                + layer.className()
                + "): axis "
                + a
                + " is not a non-batch axis of an input of shape "
                + KerasShape.format(inputShape));
      }
      out[i] = Math.floorMod(a, rank);
    }
    return out;
  }

  /** The normalized axes, sorted, as given (negative counts from the end). */
  public List<Integer> axis() {
    return axis;
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

  @Override
  protected void build(Shape inputShape) {
    int[] axes = resolveAxes(this, axis, inputShape);
    long[] shape = new long[axes.length];
    InputSpec spec = InputSpec.rank(inputShape.numDimensions());
    for (int i = 0; i < axes.length; i++) {
      shape[i] = inputShape.size(axes[i]);
      if (shape[i] < 0) {
        throw new IllegalArgumentException(
            "Layer \""
                + name()
                + "\" (LayerNormalization): axis "
                + axis.get(i)
                + " of the input must be known, got "
                + KerasShape.format(inputShape));
      }
      spec = spec.withAxis(axes[i], shape[i]);
    }
    if (options.scale() || rmsScaling) {
      gamma =
          addWeight(
              "gamma",
              Shape.of(shape),
              options.gammaInitializer(),
              options.gammaRegularizer(),
              options.gammaConstraint(),
              true);
    }
    if (!rmsScaling) {
      beta = options.addBeta(this, Shape.of(shape));
    }
    setInputSpec(spec);
  }

  /** Keras's LayerNormalization keeps masks: the input's mask passes through to the output. */
  @Override
  public boolean supportsMasking() {
    return true;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    resolveAxes(this, axis, inputShape);
    return inputShape;
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    int[] axes = resolveAxes(this, axis, x.shape());
    // gamma and beta as (1, ..., size, ..., 1) so they broadcast along the normalized axes.
    int[] broadcast = new int[x.shape().numDimensions()];
    java.util.Arrays.fill(broadcast, 1);
    for (int a : axes) {
      broadcast[a] = (int) x.shape().size(a);
    }
    Operand<TFloat32> g = gamma == null ? null : tf.reshape(gamma.value(), tf.constant(broadcast));
    Operand<TFloat32> b = beta == null ? null : tf.reshape(beta.value(), tf.constant(broadcast));
    Moments m = Moments.of(tf, x, axes);
    if (rmsScaling) {
      Operand<TFloat32> inv =
          tf.math.rsqrt(tf.math.add(m.variance(), tf.constant((float) options.epsilon())));
      Operand<TFloat32> y = tf.math.mul(x, inv);
      return g == null ? y : tf.math.mul(y, g);
    }
    return m.normalize(tf, x, g, b, options.epsilon());
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("axis", new ArrayList<>(axis));
    config.put("epsilon", options.epsilon());
    config.put("center", options.center());
    config.put("scale", options.scale());
    config.put("rms_scaling", rmsScaling);
    options.putInitializers(config);
    options.putRegularizersAndConstraints(config);
    return config;
  }

  /** Optional arguments of {@link LayerNormalization}, with Keras 3's defaults. */
  public static final class Builder extends NormalizationBuilder<Builder> {
    private List<Integer> axis = List.of(-1);
    private boolean rmsScaling;

    private Builder() {}

    /** The normalized axes (negative counts from the end; not the batch axis). */
    public Builder axis(int... axis) {
      List<Integer> list = new ArrayList<>();
      for (int a : axis) {
        list.add(a);
      }
      this.axis = list;
      return this;
    }

    /** Keras's deprecated RMS variant (no centering, no beta). */
    public Builder rmsScaling(boolean rmsScaling) {
      this.rmsScaling = rmsScaling;
      return this;
    }

    /** The LayerNormalization layer with these arguments. */
    public LayerNormalization build() {
      return new LayerNormalization(this);
    }
  }
}

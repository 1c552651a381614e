package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Normalizes groups of channels within each sample, as Keras 3's {@code
 * keras.layers.GroupNormalization}: the channels along {@code axis} are split into {@code groups}
 * equal groups, and each group of each sample is normalized over all its values (every other
 * non-batch axis and the group's channels), then scaled by {@code gamma} and shifted by {@code
 * beta} per channel. With one group it is LayerNormalization over all axes; with one group per
 * channel, instance normalization.
 *
 * <p>Arguments: {@code groups} (32; -1 for one per channel), which must divide the channels; {@code
 * axis} (-1), the channel axis; the options of {@link NormalizationBuilder} ({@code epsilon} 1e-3,
 * {@code center}, {@code scale}, ...).
 *
 * <p>Weights: {@code gamma}, then {@code beta}, each of shape {@code (channels,)}. Shapes: output
 * shape = input shape.
 *
 * <pre>{@code
 * KerasTensor y = GroupNormalization.builder().groups(4).build().apply(features);
 * }</pre>
 */
public class GroupNormalization extends Layer {

  private final int groups;
  private final int axis;
  private final NormalizationBuilder.Options options;
  private int resolvedGroups;
  private Weight gamma;
  private Weight beta;

  /**
   * Normalizes {@code groups} groups of channels over the last axis, with Keras's other defaults.
   */
  public GroupNormalization(int groups) {
    this(builder().groups(groups));
  }

  private GroupNormalization(Builder b) {
    super(b.name);
    if (b.groups == 0 || b.groups < -1) {
      throw new IllegalArgumentException(
          "GroupNormalization: groups must be positive or -1, got " + b.groups);
    }
    this.groups = b.groups;
    this.axis = b.axis;
    this.options = b.options("GroupNormalization");
  }

  /** A builder with Keras's defaults (32 groups, last axis, epsilon 1e-3, center and scale). */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A GroupNormalization layer from its Keras config: {@code groups}, {@code axis}, {@code
   * epsilon}, {@code center}, {@code scale}, and the initializers, regularizers and constraints of
   * beta and gamma.
   */
  public static GroupNormalization fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("GroupNormalization", config);
    Builder b = builder().name(c.name());
    b.groups(c.integer("groups", 32));
    b.axis(c.integer("axis", -1));
    b.readShared(c, 1e-3);
    return c.finish(b.build());
  }

  /** The number of channel groups as given; -1 means one group per channel. */
  public int groups() {
    return groups;
  }

  /** The channel axis (negative counts from the end). */
  public int axis() {
    return axis;
  }

  /**
   * The per-channel scale weight; null before the layer is built or when {@code scale} is false.
   */
  public Weight gamma() {
    return gamma;
  }

  /**
   * The per-channel offset weight; null before the layer is built or when {@code center} is false.
   */
  public Weight beta() {
    return beta;
  }

  @Override
  protected void build(Shape inputShape) {
    int a = LayerNormalization.resolveAxes(this, List.of(axis), inputShape)[0];
    long channels = inputShape.size(a);
    if (channels < 0) {
      throw new IllegalArgumentException(
          "Layer \""
              + name()
              + "\" (GroupNormalization): axis "
              + axis
              + " of the input must be known, got "
              + KerasShape.format(inputShape));
    }
    int g = groups == -1 ? (int) channels : groups;
    if (channels % g != 0) {
      throw new IllegalArgumentException(
          "Layer \""
              + name()
              + "\" (GroupNormalization): "
              + g
              + " groups must divide the "
              + channels
              + " channels of an input of shape "
              + KerasShape.format(inputShape));
    }
    resolvedGroups = g;
    gamma = options.addGamma(this, Shape.of(channels));
    beta = options.addBeta(this, Shape.of(channels));
    setInputSpec(InputSpec.rank(inputShape.numDimensions()).withAxis(a, channels));
  }

  /** Keras's GroupNormalization keeps masks: the input's mask passes through to the output. */
  @Override
  public boolean supportsMasking() {
    return true;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    LayerNormalization.resolveAxes(this, List.of(axis), inputShape);
    return inputShape;
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    int rank = x.shape().numDimensions();
    int a = LayerNormalization.resolveAxes(this, List.of(axis), x.shape())[0];
    int channels = (int) x.shape().size(a);
    int perGroup = channels / resolvedGroups;
    // x as (..., groups, channels / groups, ...): the channel axis split in two.
    List<Operand<TInt32>> grouped = new ArrayList<>();
    Operand<TInt32> dynamic = tf.shape(tf.stopGradient(x));
    grouped.add(tf.slice(dynamic, tf.constant(new int[] {0}), tf.constant(new int[] {a})));
    grouped.add(tf.constant(new int[] {resolvedGroups, perGroup}));
    grouped.add(
        tf.slice(dynamic, tf.constant(new int[] {a + 1}), tf.constant(new int[] {rank - a - 1})));
    Operand<TFloat32> xg = tf.reshape(x, tf.concat(grouped, tf.constant(0)));
    // Statistics over every axis but the batch and the group axis.
    int[] reduce = new int[rank - 1];
    int k = 0;
    for (int i = 1; i <= rank; i++) {
      if (i != a) {
        reduce[k++] = i;
      }
    }
    int[] broadcast = new int[rank + 1];
    java.util.Arrays.fill(broadcast, 1);
    broadcast[a] = resolvedGroups;
    broadcast[a + 1] = perGroup;
    Operand<TFloat32> g = gamma == null ? null : tf.reshape(gamma.value(), tf.constant(broadcast));
    Operand<TFloat32> b = beta == null ? null : tf.reshape(beta.value(), tf.constant(broadcast));
    Operand<TFloat32> y = Moments.of(tf, xg, reduce).normalize(tf, xg, g, b, options.epsilon());
    return tf.reshape(y, dynamic);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    // Keras resolves -1 to the channel count at build, and writes that.
    config.put("groups", resolvedGroups > 0 ? resolvedGroups : groups);
    config.put("axis", axis);
    config.put("epsilon", options.epsilon());
    config.put("center", options.center());
    config.put("scale", options.scale());
    options.putInitializers(config);
    options.putRegularizersAndConstraints(config);
    return config;
  }

  /** Optional arguments of {@link GroupNormalization}, with Keras 3's defaults. */
  public static final class Builder extends NormalizationBuilder<Builder> {
    private int groups = 32;
    private int axis = -1;

    private Builder() {}

    /** The number of channel groups (32); -1 for one per channel. */
    public Builder groups(int groups) {
      this.groups = groups;
      return this;
    }

    /** The channel axis (-1). */
    public Builder axis(int axis) {
      this.axis = axis;
      return this;
    }

    /** The GroupNormalization layer with these arguments. */
    public GroupNormalization build() {
      return new GroupNormalization(this);
    }
  }
}

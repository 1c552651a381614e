package io.jkeras.layers;

import io.jkeras.KerasObjects;
import io.jkeras.config.ConfigReader;
import io.jkeras.constraints.Constraint;
import io.jkeras.constraints.Constraints;
import io.jkeras.initializers.Initializer;
import io.jkeras.initializers.Initializers;
import io.jkeras.regularizers.Regularizer;
import io.jkeras.regularizers.Regularizers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The parametric rectified linear unit, as Keras 3's {@code keras.layers.PReLU}: {@code f(x) = x}
 * for {@code x >= 0}, {@code alpha * x} otherwise, with a learned {@code alpha} per input unit.
 *
 * <p>Arguments: {@code alphaInitializer} ({@code "zeros"}), {@code alphaRegularizer}, {@code
 * alphaConstraint}; {@code sharedAxes} (null), the axes (1-based, the batch axis is 0) along which
 * one alpha is shared, for example {@code [1, 2]} for one alpha per channel of {@code (batch, rows,
 * cols, channels)} images.
 *
 * <p>Weights: {@code alpha}, of the input's sample shape with the shared axes set to 1. Shapes:
 * output shape = input shape.
 *
 * <pre>{@code
 * KerasTensor y = new PReLU().apply(x);
 * KerasTensor perChannel = PReLU.builder().sharedAxes(1, 2).build().apply(images);
 * }</pre>
 */
public class PReLU extends Layer {

  private final Initializer alphaInitializer;
  private final Regularizer alphaRegularizer;
  private final Constraint alphaConstraint;
  private final List<Integer> sharedAxes;
  private Weight alpha;

  /** A PReLU with one learned slope per input element (no shared axes), zero-initialized. */
  public PReLU() {
    this(builder());
  }

  private PReLU(Builder b) {
    super(b.name);
    this.alphaInitializer = b.alphaInitializer;
    this.alphaRegularizer = b.alphaRegularizer;
    this.alphaConstraint = b.alphaConstraint;
    if (b.sharedAxes != null) {
      for (int a : b.sharedAxes) {
        if (a < 1) {
          throw new IllegalArgumentException(
              "PReLU: shared_axes are 1-based axes after the batch axis, got " + b.sharedAxes);
        }
      }
    }
    this.sharedAxes = b.sharedAxes == null ? null : List.copyOf(b.sharedAxes);
  }

  /** A builder with Keras's defaults (slopes initialized to zeros, no shared axes). */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A PReLU layer from its Keras config: {@code alpha_initializer}, {@code alpha_regularizer},
   * {@code alpha_constraint}, {@code shared_axes} (null, an integer or a list).
   */
  public static PReLU fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("PReLU", config);
    Builder b = builder().name(c.name());
    b.alphaInitializer(c.initializer("alpha_initializer", "zeros"));
    b.alphaRegularizer(c.regularizer("alpha_regularizer"));
    b.alphaConstraint(c.constraint("alpha_constraint"));
    Object shared = config.get("shared_axes");
    if (shared instanceof Number) {
      b.sharedAxes(c.integer("shared_axes", 0));
    } else {
      List<Long> axes = c.optionalDims("shared_axes");
      if (axes != null) {
        if (axes.contains(null)) {
          throw c.wrongValue("shared_axes", "null, an integer or a list of integers", shared);
        }
        b.sharedAxes(axes.stream().mapToInt(Long::intValue).toArray());
      }
    }
    return c.finish(b.build());
  }

  /** The 1-based shared axes, or null. */
  public List<Integer> sharedAxes() {
    return sharedAxes;
  }

  /** The learned negative slopes; null before the layer is built. */
  public Weight alpha() {
    return alpha;
  }

  @Override
  protected void build(Shape inputShape) {
    long[] shape = KerasShape.sampleDims(inputShape);
    if (sharedAxes != null) {
      for (int a : sharedAxes) {
        if (a > shape.length) {
          throw new IllegalArgumentException(
              "Layer \""
                  + name()
                  + "\" (PReLU): shared axis "
                  + a
                  + " does not exist in an input of shape "
                  + KerasShape.format(inputShape));
        }
        shape[a - 1] = 1;
      }
    }
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] < 0) {
        throw new IllegalArgumentException(
            "Layer \""
                + name()
                + "\" (PReLU): axis "
                + (i + 1)
                + " of the input must be known or shared, got "
                + KerasShape.format(inputShape));
      }
    }
    alpha =
        addWeight(
            "alpha", Shape.of(shape), alphaInitializer, alphaRegularizer, alphaConstraint, true);
    InputSpec spec = InputSpec.rank(inputShape.numDimensions());
    for (int i = 1; i < inputShape.numDimensions(); i++) {
      if (sharedAxes == null || !sharedAxes.contains(i)) {
        spec = spec.withAxis(i, inputShape.size(i));
      }
    }
    setInputSpec(spec);
  }

  /** Keras's PReLU keeps masks: the input's mask passes through to the output. */
  @Override
  public boolean supportsMasking() {
    return true;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return inputShape;
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    Operand<TFloat32> positive = tf.nn.relu(x);
    Operand<TFloat32> negative = tf.math.mul(alpha.value(), tf.nn.relu(tf.math.neg(x)));
    return tf.math.sub(positive, negative);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("alpha_initializer", KerasObjects.serialize("keras.initializers", alphaInitializer));
    config.put("alpha_regularizer", KerasObjects.serialize("keras.regularizers", alphaRegularizer));
    config.put("alpha_constraint", KerasObjects.serialize("keras.constraints", alphaConstraint));
    config.put("shared_axes", sharedAxes == null ? null : new ArrayList<>(sharedAxes));
    return config;
  }

  /** Optional arguments of {@link PReLU}, with Keras 3's defaults. */
  public static final class Builder {
    private String name;
    private Initializer alphaInitializer = Initializers.get("zeros");
    private Regularizer alphaRegularizer;
    private Constraint alphaConstraint;
    private List<Integer> sharedAxes;

    private Builder() {}

    /** The layer's name (default: an automatic unique name). */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** The initializer of the slopes, by Keras name (default {@code "zeros"}). */
    public Builder alphaInitializer(String initializer) {
      return alphaInitializer(Initializers.get(initializer));
    }

    /** The initializer of the slopes (default zeros). */
    public Builder alphaInitializer(Initializer initializer) {
      this.alphaInitializer = initializer;
      return this;
    }

    /** The regularizer of the slopes, by Keras name (default none). */
    public Builder alphaRegularizer(String regularizer) {
      return alphaRegularizer(Regularizers.get(regularizer));
    }

    /**
     * The regularizer of the slopes, whose penalty is added to the training loss (default none).
     */
    public Builder alphaRegularizer(Regularizer regularizer) {
      this.alphaRegularizer = regularizer;
      return this;
    }

    /** The constraint on the slopes, by Keras name (default none). */
    public Builder alphaConstraint(String constraint) {
      return alphaConstraint(Constraints.get(constraint));
    }

    /** The constraint on the slopes, applied after each optimizer step (default none). */
    public Builder alphaConstraint(Constraint constraint) {
      this.alphaConstraint = constraint;
      return this;
    }

    /** The 1-based axes that share one alpha. */
    public Builder sharedAxes(int... axes) {
      List<Integer> list = new ArrayList<>();
      for (int a : axes) {
        list.add(a);
      }
      this.sharedAxes = list;
      return this;
    }

    /** The PReLU layer with these arguments. */
    public PReLU build() {
      return new PReLU(this);
    }
  }
}

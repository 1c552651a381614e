package io.jkeras.layers;

import io.jkeras.GlobalSeed;
import io.jkeras.config.ConfigReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Randomly sets input units to 0 during training, as Keras 3's {@code keras.layers.Dropout}: each
 * unit is kept with probability {@code 1 - rate} and scaled by {@code 1 / (1 - rate)}, so the
 * expected sum is unchanged. Outside training the layer is the identity.
 *
 * <p>Arguments: {@code rate} in [0, 1], the fraction dropped (1 drops everything, as in Keras);
 * {@code noiseShape} (null: an independent draw per unit), the shape of the keep mask, broadcast
 * over the input, with null entries taking the input's size (for example {@code [null, 1, null]}
 * drops whole channels of a {@code (batch, steps, channels)} input for every step); {@code seed}
 * (null: drawn from the source that {@link io.jkeras.GlobalSeed} seeds).
 *
 * <p>Shapes: output shape = input shape. No weights.
 *
 * <pre>{@code
 * KerasTensor h = new Dropout(0.2).apply(x);
 * Dropout channels = Dropout.builder(0.5).noiseShape(null, 1L, null).seed(42L).build();
 * }</pre>
 */
public class Dropout extends Layer {

  private final double rate;
  private final List<Long> noiseShape;
  private final Long seed;
  private final long opSeed;
  private long emissions;

  /**
   * Drops inputs at {@code rate} during training, without a seed or noise shape.
   *
   * @throws IllegalArgumentException if {@code rate} is not in {@code [0, 1]}
   */
  public Dropout(double rate) {
    this(builder(rate));
  }

  /**
   * For subclasses: the layer with a builder's arguments.
   *
   * @throws IllegalArgumentException if {@code rate} is not in {@code [0, 1]} or the noise shape is
   *     invalid
   */
  protected Dropout(Builder b) {
    super(b.name);
    if (!(b.rate >= 0 && b.rate <= 1)) {
      throw new IllegalArgumentException(
          className() + ": rate must be a number between 0 and 1, got rate=" + b.rate);
    }
    if (b.noiseShape != null) {
      for (int i = 0; i < b.noiseShape.size(); i++) {
        Long d = b.noiseShape.get(i);
        if (d != null && d <= 0) {
          throw new IllegalArgumentException(
              className()
                  + ": noise_shape entries must be positive or null, got "
                  + d
                  + " at index "
                  + i
                  + " of "
                  + b.noiseShape);
        }
      }
    }
    this.rate = b.rate;
    this.noiseShape =
        b.noiseShape == null ? null : Collections.unmodifiableList(new ArrayList<>(b.noiseShape));
    this.seed = b.seed;
    this.opSeed = b.seed != null ? b.seed : GlobalSeed.nextOpSeed();
  }

  /** A builder dropping inputs at {@code rate}. */
  public static Builder builder(double rate) {
    return new Builder(rate);
  }

  /** A Dropout layer from its Keras config: {@code rate}, {@code seed}, {@code noise_shape}. */
  public static Dropout fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Dropout", config);
    if (!c.has("rate")) {
      throw c.fail("rate", "missing (expected a number)");
    }
    Builder b = builder(c.number("rate", 0)).name(c.name());
    b.seed(c.optionalLong("seed"));
    b.noiseShape(c.optionalDims("noise_shape"));
    c.requireFloat32Dtype();
    return c.finish(b.build());
  }

  /** The fraction of inputs dropped during training. */
  public double rate() {
    return rate;
  }

  /** The keep mask's shape with null for "as the input", or null for the input's shape. */
  public List<Long> noiseShape() {
    return noiseShape;
  }

  /**
   * The seed of the dropout masks, or null (drawn from the source {@link io.jkeras.GlobalSeed}
   * seeds).
   */
  public Long seed() {
    return seed;
  }

  /** Keras's Dropout keeps masks: the input's mask passes through to the output. */
  @Override
  public boolean supportsMasking() {
    return true;
  }

  /** Keras's Dropout takes {@code training}: saved calls record {@code "training": false}. */
  @Override
  public boolean callTakesTraining() {
    return true;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return inputShape;
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    if (!training || rate == 0) {
      // An Identity op, not x itself: a graph cannot feed and fetch the same tensor, which a
      // model made of just this layer would otherwise do.
      return tf.identity(x);
    }
    if (rate == 1) {
      return tf.zerosLike(x);
    }
    Operand<TBool> keep = keepMask(tf, x);
    Operand<TFloat32> scaled = tf.math.mul(x, tf.constant((float) (1.0 / (1.0 - rate))));
    // select, not a multiply by the mask: dropped units are exactly 0 even where x is inf. The 0
    // is a scalar that the select broadcasts, not a zeros tensor of x's shape written each step.
    return tf.select(keep, scaled, tf.constant(0f));
  }

  /**
   * A fresh keep mask for {@code x} in training: true with probability {@code 1 - rate}, of the
   * input's shape or {@code noise_shape} (which broadcasts over the input). For subclasses that
   * apply the mask their own way, as AlphaDropout.
   */
  protected final Operand<TBool> keepMask(Ops tf, Operand<TFloat32> x) {
    // seed2 differs per emission, so two passes in one graph draw different masks; it is never
    // 0, which with seed 0 would mean "unseeded" to TensorFlow.
    long seed2 = ++emissions;
    Operand<TFloat32> u =
        tf.random.randomUniform(
            maskShape(tf, x),
            TFloat32.class,
            RandomUniform.seed(opSeed),
            RandomUniform.seed2(seed2));
    // u is uniform on [0, 1): P(u >= rate) = 1 - rate.
    return tf.math.greaterEqual(u, tf.constant((float) rate));
  }

  /** The mask's shape: the input's, or noise_shape with nulls filled from the input. */
  private Operand<TInt32> maskShape(Ops tf, Operand<TFloat32> x) {
    // The shape is read outside the gradient path: Shape ops have no gradient to give.
    Operand<TInt32> dynamic = tf.shape(tf.stopGradient(x));
    if (noiseShape == null) {
      return dynamic;
    }
    int rank = x.shape().numDimensions();
    if (noiseShape.size() != rank) {
      throw new IllegalArgumentException(
          "Layer \""
              + name()
              + "\" ("
              + className()
              + "): noise_shape "
              + noiseShape
              + " has "
              + noiseShape.size()
              + " entries but the input "
              + KerasShape.format(x.shape())
              + " has rank "
              + rank);
    }
    List<Operand<TInt32>> dims = new ArrayList<>();
    for (int i = 0; i < rank; i++) {
      Long d = noiseShape.get(i);
      dims.add(
          d == null
              ? tf.slice(dynamic, tf.constant(new int[] {i}), tf.constant(new int[] {1}))
              : tf.constant(new int[] {Math.toIntExact(d)}));
    }
    return tf.concat(dims, tf.constant(0));
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("rate", rate);
    config.put("seed", seed);
    config.put("noise_shape", noiseShape);
    return config;
  }

  /** Optional arguments of {@link Dropout}, with Keras 3's defaults. */
  public static final class Builder {
    private final double rate;
    private String name;
    private List<Long> noiseShape;
    private Long seed;

    private Builder(double rate) {
      this.rate = rate;
    }

    /** The layer's name (default: an automatic unique name). */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** The keep mask's shape, one entry per input axis; null entries follow the input. */
    public Builder noiseShape(Long... noiseShape) {
      this.noiseShape = noiseShape == null ? null : java.util.Arrays.asList(noiseShape);
      return this;
    }

    /**
     * The shape of the keep mask, broadcast over the input; a null entry takes the input's size on
     * that axis (Keras's {@code noise_shape}; default null: an independent draw per unit).
     */
    public Builder noiseShape(List<Long> noiseShape) {
      this.noiseShape = noiseShape;
      return this;
    }

    /**
     * Makes the masks repeatable (default null: drawn from the source {@link io.jkeras.GlobalSeed}
     * seeds).
     */
    public Builder seed(Long seed) {
      this.seed = seed;
      return this;
    }

    /** The Dropout layer with these arguments. */
    public Dropout build() {
      return new Dropout(this);
    }
  }
}

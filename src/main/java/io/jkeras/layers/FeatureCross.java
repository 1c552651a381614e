package io.jkeras.layers;

import io.jkeras.KerasObjects;
import io.jkeras.activations.Activation;
import io.jkeras.activations.Activations;
import io.jkeras.config.ConfigReader;
import io.jkeras.config.KerasClass;
import io.jkeras.initializers.Initializer;
import io.jkeras.initializers.Initializers;
import io.jkeras.regularizers.Regularizer;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * One cross layer of DCN-v2 (Wang et al., "DCN V2: Improved Deep &amp; Cross Network and Practical
 * Lessons for Web-scale Learning to Rank Systems", WWW 2021), read and written as keras-rs's {@code
 * keras_rs.layers.FeatureCross} (registered name {@code keras_rs>FeatureCross}, its config keys,
 * defaults and weight layout), so DCN-v2 models cross between Python keras-rs and Java.
 *
 * <p>Called as {@code (x0, x)} (or on {@code x0} alone, then {@code x = x0}): {@code y = x0 ⊙
 * (pre_activation(W x + b) + diag_scale · x) + x}. With {@code projectionDim} r the matrix is
 * low-rank, {@code W = V U} with {@code U} {@code (d, r)}, {@code V} {@code (r, d)}. A stack of
 * these layers, each fed the same {@code x0}, is DCN-v2's cross network; for the original DCN's
 * vector weights see {@link CrossNet}.
 *
 * <p>Arguments (keras-rs names): {@code projection_dim} (null: full rank), {@code diag_scale} (0,
 * must be non-negative), {@code use_bias} (true), {@code pre_activation} (null: linear), {@code
 * kernel_initializer} (glorot_uniform), {@code bias_initializer} (zeros), {@code
 * kernel_regularizer}, {@code bias_regularizer} (none).
 *
 * <p>Shapes: {@code x0} and {@code x} {@code (batch, d)}; output {@code (batch, d)}.
 *
 * <p>Weights live in two nested Dense sub-layers, as in keras-rs: with a projection, {@code
 * down_proj_dense} (kernel U {@code (d, r)}, no bias); then {@code dense} (kernel {@code (r or d,
 * d)}, bias {@code (d,)} with use_bias). Model files store them under {@code
 * layers/feature_cross/down_proj_dense/vars/0} and {@code layers/feature_cross/dense/vars/{0,1}}.
 *
 * <pre>{@code
 * FeatureCross cross1 = new FeatureCross(), cross2 = new FeatureCross();
 * KerasTensor x1 = cross1.apply(x0, x0);
 * KerasTensor x2 = cross2.apply(x0, x1);
 * FeatureCross lowRank = FeatureCross.builder().projectionDim(16).build();
 * }</pre>
 */
@KerasClass(
    registeredName = FeatureCross.REGISTERED_NAME,
    module = "keras_rs.src.layers.feature_interaction.feature_cross")
public class FeatureCross extends Layer {

  /** keras-rs's registered name of this layer. */
  public static final String REGISTERED_NAME = "keras_rs>FeatureCross";

  private final Integer projectionDim;
  private final Double diagScale;
  private final boolean useBias;
  private final Activation preActivation;
  private final Initializer kernelInitializer;
  private final Initializer biasInitializer;
  private final Regularizer kernelRegularizer;
  private final Regularizer biasRegularizer;

  private Dense downProjDense;
  private Dense dense;

  /** A full-rank cross layer with keras-rs's defaults and an automatic name. */
  public FeatureCross() {
    this(builder());
  }

  /**
   * For subclasses: the layer with a builder's arguments.
   *
   * @throws IllegalArgumentException if {@code projectionDim} is not positive or {@code diagScale}
   *     is negative
   */
  protected FeatureCross(Builder b) {
    super(b.name);
    if (b.projectionDim != null && b.projectionDim <= 0) {
      throw new IllegalArgumentException(
          "FeatureCross: projection_dim must be a positive integer or null, got "
              + b.projectionDim);
    }
    if (b.diagScale != null && !(b.diagScale >= 0)) {
      throw new IllegalArgumentException(
          "FeatureCross: diag_scale should be non-negative, got " + b.diagScale);
    }
    this.projectionDim = b.projectionDim;
    this.diagScale = b.diagScale;
    this.useBias = b.useBias;
    this.preActivation = Activations.get(b.preActivation);
    this.kernelInitializer = b.kernelInitializer;
    this.biasInitializer = b.biasInitializer;
    this.kernelRegularizer = b.kernelRegularizer;
    this.biasRegularizer = b.biasRegularizer;
  }

  /** A builder with keras-rs's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** From keras-rs's config; every key may be absent and then takes keras-rs's default. */
  public static FeatureCross fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("FeatureCross", config);
    Builder b = builder().name(c.name());
    Long p = c.optionalLong("projection_dim");
    if (p != null && (p <= 0 || p > Integer.MAX_VALUE)) {
      throw new IllegalArgumentException(
          "FeatureCross config: key \"projection_dim\" must be a positive integer or null, got "
              + p);
    }
    b.projectionDim(p == null ? null : p.intValue());
    b.diagScale(
        c.raw("diag_scale") == null && c.has("diag_scale") ? null : c.number("diag_scale", 0));
    b.useBias(c.bool("use_bias", true));
    b.preActivation(c.activation("pre_activation").name());
    b.kernelInitializer(c.initializer("kernel_initializer", "glorot_uniform"));
    b.biasInitializer(c.initializer("bias_initializer", "zeros"));
    b.kernelRegularizer(c.regularizer("kernel_regularizer"));
    b.biasRegularizer(c.regularizer("bias_regularizer"));
    c.requireFloat32Dtype();
    return c.finish(b.build());
  }

  @Override
  public String className() {
    return "FeatureCross";
  }

  /** The low rank r, or null for a full matrix. */
  public Integer projectionDim() {
    return projectionDim;
  }

  @Override
  protected void build(List<Shape> shapes) {
    Shape x0 = shapes.get(0);
    long d = x0.size(x0.numDimensions() - 1);
    if (shapes.size() > 2 || x0.numDimensions() != 2 || d < 1) {
      throw new IllegalArgumentException(
          "Layer \""
              + name()
              + "\" (FeatureCross): expected (x0) or (x0, x), each (batch, d) with d known, got "
              + shapes.stream().map(KerasShape::format).toList());
    }
    if (shapes.size() == 2 && !java.util.Arrays.equals(shapes.get(1).asArray(), x0.asArray())) {
      throw new IllegalArgumentException(
          "Layer \""
              + name()
              + "\" (FeatureCross): x0 and x should have the same shape, got "
              + KerasShape.format(x0)
              + " and "
              + KerasShape.format(shapes.get(1)));
    }
    Shape in = x0;
    if (projectionDim != null) {
      downProjDense =
          addLayer(
              "down_proj_dense",
              Dense.builder(projectionDim)
                  .useBias(false)
                  .kernelInitializer(kernelInitializer)
                  .kernelRegularizer(kernelRegularizer)
                  .build());
      downProjDense.ensureBuilt(x0);
      in = Shape.of(x0.size(0), projectionDim);
    }
    dense =
        addLayer(
            "dense",
            Dense.builder((int) d)
                .useBias(useBias)
                .kernelInitializer(kernelInitializer)
                .biasInitializer(biasInitializer)
                .kernelRegularizer(kernelRegularizer)
                .biasRegularizer(biasRegularizer)
                .build());
    dense.ensureBuilt(in);
  }

  /** keras-rs calls it as {@code layer(x0, x)}: two positional arguments. */
  @Override
  public boolean callTakesSeparateInputs() {
    return true;
  }

  @Override
  public List<Shape> computeOutputShape(List<Shape> shapes) {
    return List.of(shapes.get(0));
  }

  @Override
  @SuppressWarnings("unchecked")
  protected List<Operand<?>> call(Ops tf, List<Operand<?>> inputs, boolean training) {
    Operand<TFloat32> x0 = (Operand<TFloat32>) inputs.get(0);
    Operand<TFloat32> x = inputs.size() > 1 ? (Operand<TFloat32>) inputs.get(1) : x0;
    Operand<TFloat32> h = downProjDense != null ? callSublayer(downProjDense, x) : x;
    h = preActivation.apply(tf, callSublayer(dense, h));
    if (diagScale != null && diagScale != 0) {
      h = tf.math.add(h, tf.math.mul(tf.constant(diagScale.floatValue()), x));
    }
    return List.of(tf.math.add(tf.math.mul(x0, h), x));
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("projection_dim", projectionDim);
    config.put("diag_scale", diagScale);
    config.put("use_bias", useBias);
    config.put("pre_activation", preActivation.name());
    config.put(
        "kernel_initializer", KerasObjects.serialize("keras.initializers", kernelInitializer));
    config.put("bias_initializer", KerasObjects.serialize("keras.initializers", biasInitializer));
    config.put(
        "kernel_regularizer", KerasObjects.serialize("keras.regularizers", kernelRegularizer));
    config.put("bias_regularizer", KerasObjects.serialize("keras.regularizers", biasRegularizer));
    return config;
  }

  /** Optional arguments of {@link FeatureCross}, with keras-rs's defaults. */
  public static final class Builder {
    private String name;
    private Integer projectionDim;
    private Double diagScale = 0.0;
    private boolean useBias = true;
    private String preActivation;
    private Initializer kernelInitializer = Initializers.get("glorot_uniform");
    private Initializer biasInitializer = Initializers.get("zeros");
    private Regularizer kernelRegularizer;
    private Regularizer biasRegularizer;

    private Builder() {}

    /** The layer's name (default: an automatic unique name). */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** A low-rank matrix of rank r; null (default) for a full matrix. */
    public Builder projectionDim(Integer projectionDim) {
      this.projectionDim = projectionDim;
      return this;
    }

    /**
     * Adds {@code diagScale * x} to the projection before the product with {@code x0}; non-negative
     * (default 0).
     */
    public Builder diagScale(Double diagScale) {
      this.diagScale = diagScale;
      return this;
    }

    /** Whether the inner Dense adds a bias (default true). */
    public Builder useBias(boolean useBias) {
      this.useBias = useBias;
      return this;
    }

    /** The activation applied to {@code W x + b}, by Keras name (default null: linear). */
    public Builder preActivation(String activation) {
      this.preActivation = activation;
      return this;
    }

    /** The initializer of the kernels (default Glorot uniform). */
    public Builder kernelInitializer(Initializer initializer) {
      this.kernelInitializer = initializer;
      return this;
    }

    /** The initializer of the bias (default zeros). */
    public Builder biasInitializer(Initializer initializer) {
      this.biasInitializer = initializer;
      return this;
    }

    /** The regularizer of the kernels (default none). */
    public Builder kernelRegularizer(Regularizer regularizer) {
      this.kernelRegularizer = regularizer;
      return this;
    }

    /** The regularizer of the bias (default none). */
    public Builder biasRegularizer(Regularizer regularizer) {
      this.biasRegularizer = regularizer;
      return this;
    }

    /** The FeatureCross layer with these arguments. */
    public FeatureCross build() {
      return new FeatureCross(this);
    }
  }
}

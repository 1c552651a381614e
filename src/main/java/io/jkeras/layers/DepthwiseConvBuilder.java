package io.jkeras.layers;

import io.jkeras.constraints.Constraints;
import io.jkeras.initializers.Initializer;
import io.jkeras.initializers.Initializers;
import io.jkeras.regularizers.Regularizers;

/**
 * The optional arguments of the depthwise convolutions ({@link DepthwiseConv1D}, {@link
 * DepthwiseConv2D}), with Keras 3's defaults: {@code depthMultiplier} 1 and the depthwise kernel's
 * initializer, regularizer and constraint (the {@code kernel...} setters of {@link
 * KernelLayerBuilder} set the same kernel), plus those of {@link ConvLayerBuilder}.
 *
 * <pre>{@code
 * DepthwiseConv2D.builder(3).depthMultiplier(2).depthwiseInitializer("he_normal").build();
 * }</pre>
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class DepthwiseConvBuilder<B extends DepthwiseConvBuilder<B>>
    extends ConvLayerBuilder<B> {
  final int[] kernelSize;
  int depthMultiplier = 1;

  DepthwiseConvBuilder(int[] kernelSize) {
    this.kernelSize = kernelSize;
  }

  @SuppressWarnings("unchecked")
  private B me() {
    return (B) this;
  }

  /** Output channels per input channel (1 by default). */
  public B depthMultiplier(int depthMultiplier) {
    this.depthMultiplier = depthMultiplier;
    return me();
  }

  /** The initializer of the depthwise kernel, by Keras name (default {@code "glorot_uniform"}). */
  public B depthwiseInitializer(String initializer) {
    return kernelInitializer(Initializers.get(initializer));
  }

  /** The initializer of the depthwise kernel (default Glorot uniform). */
  public B depthwiseInitializer(Initializer initializer) {
    return kernelInitializer(initializer);
  }

  /** The regularizer of the depthwise kernel, by Keras name (default none). */
  public B depthwiseRegularizer(String regularizer) {
    return kernelRegularizer(Regularizers.get(regularizer));
  }

  /** The constraint on the depthwise kernel, by Keras name (default none). */
  public B depthwiseConstraint(String constraint) {
    return kernelConstraint(Constraints.get(constraint));
  }
}

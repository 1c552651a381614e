package io.jkeras.layers;

/**
 * The optional arguments every convolution layer has, with Keras 3's defaults: strides 1, padding
 * "valid", data_format "channels_last", dilation_rate 1, plus those of {@link KernelLayerBuilder}
 * (name, activation, use_bias, initializers, regularizers, constraints).
 *
 * <pre>{@code
 * Conv2D.builder(32, 3).strides(2).padding("same").activation("relu").build();
 * }</pre>
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class ConvLayerBuilder<B extends ConvLayerBuilder<B>>
    extends KernelLayerBuilder<B> {
  int[] strides = {1};
  String padding = "valid";
  String dataFormat = "channels_last";
  int[] dilationRate = {1};

  ConvLayerBuilder() {}

  @SuppressWarnings("unchecked")
  private B me() {
    return (B) this;
  }

  /** One stride for every spatial axis, or one per axis. */
  public B strides(int... strides) {
    this.strides = strides.clone();
    return me();
  }

  /** {@code "valid"} (default) or {@code "same"}. */
  public B padding(String padding) {
    this.padding = padding;
    return me();
  }

  /** {@code "channels_last"} (default) or {@code "channels_first"}. */
  public B dataFormat(String dataFormat) {
    this.dataFormat = dataFormat;
    return me();
  }

  /** One dilation for every spatial axis, or one per axis; strides must then be 1. */
  public B dilationRate(int... dilationRate) {
    this.dilationRate = dilationRate.clone();
    return me();
  }
}

package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.types.TFloat32;

/**
 * The shared part of Keras's pooling layers ({@link MaxPooling1D}, {@link MaxPooling2D}, {@link
 * MaxPooling3D}, {@link AveragePooling1D}, {@link AveragePooling2D}, {@link AveragePooling3D}): the
 * maximum or the mean of each channel over a window of {@code poolSize} positions, moved by {@code
 * strides} (the pool size by default).
 *
 * <p>Padding "valid" keeps only windows inside the input; "same" pads so that each axis of n
 * positions gives {@code ceil(n / stride)} outputs, and the mean then counts only the positions
 * inside the input (as TensorFlow and Keras do). No weights.
 *
 * <pre>{@code
 * MaxPooling2D pool = MaxPooling2D.builder().poolSize(3).strides(2).padding("same").build();
 * }</pre>
 */
public abstract class Pooling extends Layer {

  private static final List<String> PADDINGS = List.of("valid", "same");

  private final ConvWindow window;
  private final boolean max;

  Pooling(Builder<?> b, int rank, boolean max) {
    super(b.name);
    if (b.poolSize == null) {
      throw new IllegalArgumentException(
          getClass().getSimpleName() + ": pool_size is required (Keras gives it no default)");
    }
    int[] pool = expand(b.poolSize, rank);
    int[] strides = b.strides == null ? pool : expand(b.strides, rank);
    this.window =
        new ConvWindow(
            getClass().getSimpleName(),
            rank,
            "pool_size",
            pool,
            strides,
            ConvWindow.repeat(1, rank),
            b.padding,
            PADDINGS,
            b.dataFormat);
    this.max = max;
    setInputSpec(InputSpec.rank(rank + 2));
  }

  /** One integer stands for every axis, as in Keras. */
  private static int[] expand(int[] values, int rank) {
    return values.length == 1 && rank > 1 ? ConvWindow.repeat(values[0], rank) : values;
  }

  /**
   * Reads {@code pool_size} ({@code defaultPoolSize} when absent; null: required), {@code strides},
   * {@code padding} and {@code data_format}.
   */
  static <L extends Pooling> L fromConfig(
      String className,
      Map<String, Object> config,
      int rank,
      int[] defaultPoolSize,
      Function<Builder<L>, L> factory) {
    ConfigReader c = ConfigReader.of(className, config);
    Builder<L> b = new Builder<L>(factory).name(c.name());
    b.poolSize = ConvWindow.readTuple(c, "pool_size", rank, defaultPoolSize);
    b.strides = ConvWindow.readTuple(c, "strides", rank, null);
    b.padding(c.string("padding", "valid"));
    b.dataFormat(c.string("data_format", "channels_last"));
    c.requireFloat32Dtype();
    return c.finish(b.build());
  }

  /** The window size per spatial axis. */
  public int[] poolSize() {
    return window.size();
  }

  /** The step between windows per spatial axis. */
  public int[] strides() {
    return window.strides();
  }

  /** {@code "valid"} or {@code "same"}. */
  public String padding() {
    return window.padding();
  }

  /** {@code "channels_last"} or {@code "channels_first"}. */
  public String dataFormat() {
    return window.dataFormat();
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return window.outputShape(name(), inputShape, window.channels(name(), inputShape));
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    computeOutputShape(inputs.shape()); // rejects inputs smaller than the window
    Operand<TFloat32> x = window.toChannelsLast(tf, inputs);
    if (window.rank() == 1) {
      x = tf.expandDims(x, tf.constant(1)); // (batch, 1, steps, channels)
    }
    List<Long> ksize = window.nhwc(window.size());
    List<Long> strides = window.nhwc(window.strides());
    Operand<TFloat32> y;
    if (window.rank() == 3) {
      y =
          max
              ? tf.nn.maxPool3d(x, ksize, strides, window.tfPadding())
              : tf.nn.avgPool3d(x, ksize, strides, window.tfPadding());
    } else {
      y =
          max
              ? tf.nn.maxPool(
                  x,
                  tf.constant(ksize.stream().mapToInt(Long::intValue).toArray()),
                  tf.constant(strides.stream().mapToInt(Long::intValue).toArray()),
                  window.tfPadding())
              : tf.nn.avgPool(x, ksize, strides, window.tfPadding());
    }
    if (window.rank() == 1) {
      y = tf.squeeze(y, Squeeze.axis(List.of(1L)));
    }
    return window.fromChannelsLast(tf, y);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("pool_size", ConvWindow.toConfig(window.size()));
    config.put("padding", window.padding());
    config.put("strides", ConvWindow.toConfig(window.strides()));
    config.put("data_format", window.dataFormat());
    return config;
  }

  /**
   * Optional arguments of a pooling layer, with Keras 3's defaults: {@code strides} equal to the
   * pool size, {@code padding} "valid", {@code dataFormat} "channels_last".
   *
   * @param <L> the pooling layer built
   */
  public static final class Builder<L extends Pooling> {
    private final Function<Builder<L>, L> factory;
    private String name;
    private int[] poolSize;
    private int[] strides;
    private String padding = "valid";
    private String dataFormat = "channels_last";

    Builder(Function<Builder<L>, L> factory) {
      this.factory = factory;
    }

    Builder(Function<Builder<L>, L> factory, int... poolSize) {
      this.factory = factory;
      this.poolSize = poolSize;
    }

    /** The layer's name (default: an automatic unique name). */
    public Builder<L> name(String name) {
      this.name = name;
      return this;
    }

    /** One size for every axis, or one per axis. */
    public Builder<L> poolSize(int... poolSize) {
      this.poolSize = poolSize.clone();
      return this;
    }

    /** One stride for every axis, or one per axis; the pool size when not given. */
    public Builder<L> strides(int... strides) {
      this.strides = strides.clone();
      return this;
    }

    /** {@code "valid"} (default) or {@code "same"}. */
    public Builder<L> padding(String padding) {
      this.padding = padding;
      return this;
    }

    /** {@code "channels_last"} (default) or {@code "channels_first"}. */
    public Builder<L> dataFormat(String dataFormat) {
      this.dataFormat = dataFormat;
      return this;
    }

    /** The pooling layer with these arguments. */
    public L build() {
      return factory.apply(this);
    }
  }
}

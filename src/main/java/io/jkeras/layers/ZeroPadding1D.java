package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Adds zero steps at the start and end of a sequence, as Keras 3's {@code
 * keras.layers.ZeroPadding1D}.
 *
 * <p>Arguments: {@code padding}, the steps added at the start and at the end ({@code (1, 1)} by
 * default; one integer pads both ends alike); {@code dataFormat}, {@code "channels_last"} (default,
 * {@code (batch, steps, features)}) or {@code "channels_first"} ({@code (batch, features, steps)}).
 * Shapes: the steps axis grows by {@code start + end}.
 *
 * <pre>{@code
 * KerasTensor padded = ZeroPadding1D.builder().padding(2, 0).build().apply(x); // causal padding
 * }</pre>
 */
public class ZeroPadding1D extends Layer {

  private final int start;
  private final int end;
  private final String dataFormat;

  /** One zero step at each end, Keras's default. */
  public ZeroPadding1D() {
    this(builder());
  }

  private ZeroPadding1D(Builder b) {
    super(b.name);
    this.start = SpatialArguments.amount("ZeroPadding1D", "padding", b.start, false);
    this.end = SpatialArguments.amount("ZeroPadding1D", "padding", b.end, false);
    this.dataFormat = SpatialArguments.dataFormat("ZeroPadding1D", b.dataFormat);
    setInputSpec(InputSpec.rank(3));
  }

  /** A builder with Keras's defaults: one zero step at each end, channels last. */
  public static Builder builder() {
    return new Builder();
  }

  /** A ZeroPadding1D layer from its Keras config: {@code padding}, {@code data_format}. */
  public static ZeroPadding1D fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("ZeroPadding1D", config);
    Builder b = builder().name(c.name());
    if (c.has("padding")) {
      int[] p = SpatialArguments.pair(c, "padding");
      b.padding(p[0], p[1]);
    }
    b.dataFormat(c.string("data_format", null));
    return c.finish(b.build());
  }

  /** The steps added at the start and at the end. */
  public int[] padding() {
    return new int[] {start, end};
  }

  /** {@code "channels_last"} or {@code "channels_first"}: where the channel axis is. */
  public String dataFormat() {
    return dataFormat;
  }

  private int stepAxis() {
    return dataFormat.equals("channels_first") ? 2 : 1;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    long[] out = inputShape.asArray();
    int axis = stepAxis();
    out[axis] = out[axis] < 0 ? -1 : out[axis] + start + end;
    return Shape.of(out);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    int[][] pads = new int[3][2];
    pads[stepAxis()] = new int[] {start, end};
    return tf.pad(x, tf.constant(pads), tf.constant(0f));
  }

  /** Keras's class overrides build(), so its files carry a build_config. */
  @Override
  public boolean writesBuildConfig() {
    return true;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("padding", List.of(start, end));
    config.put("data_format", dataFormat);
    return config;
  }

  /** Optional arguments of {@link ZeroPadding1D}, with Keras 3's defaults. */
  public static final class Builder {
    private String name;
    private int start = 1;
    private int end = 1;
    private String dataFormat;

    private Builder() {}

    /** The layer's name (default: an automatic unique name). */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** The same number of zero steps at both ends. */
    public Builder padding(int both) {
      return padding(both, both);
    }

    /** The zero steps added at the beginning and at the end of each sequence. */
    public Builder padding(int start, int end) {
      this.start = start;
      this.end = end;
      return this;
    }

    /**
     * {@code "channels_last"} (the default, {@code (batch, steps, channels)}) or {@code
     * "channels_first"}.
     */
    public Builder dataFormat(String dataFormat) {
      this.dataFormat = dataFormat;
      return this;
    }

    /**
     * The ZeroPadding1D layer with these arguments.
     *
     * @throws IllegalArgumentException if an amount is negative or the data format unknown
     */
    public ZeroPadding1D build() {
      return new ZeroPadding1D(this);
    }
  }
}

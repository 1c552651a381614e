package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Adds zeros around the depth, rows and columns of volumes, as Keras 3's {@code
 * keras.layers.ZeroPadding3D}.
 *
 * <p>Arguments: {@code padding}, one {@code (before, after)} pair per spatial axis ({@code ((1, 1),
 * (1, 1), (1, 1))} by default); {@code dataFormat}, {@code "channels_last"} (default: {@code
 * (batch, depth, rows, cols, channels)}) or {@code "channels_first"}. Shapes: each spatial axis
 * grows by its two amounts.
 *
 * <pre>{@code
 * KerasTensor padded = ZeroPadding3D.builder().padding(0, 0, 1, 1, 2, 2).build().apply(volume);
 * }</pre>
 */
public class ZeroPadding3D extends Layer {

  private final int[][] padding;
  private final String dataFormat;

  /** One slice of zeros on every border, Keras's default. */
  public ZeroPadding3D() {
    this(builder());
  }

  private ZeroPadding3D(Builder b) {
    super(b.name);
    this.padding = SpatialArguments.pairsOfAmounts("ZeroPadding3D", "padding", b.padding);
    this.dataFormat = SpatialArguments.dataFormat("ZeroPadding3D", b.dataFormat);
    setInputSpec(InputSpec.rank(5));
  }

  /** A builder with Keras's defaults: one slice of zeros on every border, channels last. */
  public static Builder builder() {
    return new Builder();
  }

  /** A ZeroPadding3D layer from its Keras config: {@code padding}, {@code data_format}. */
  public static ZeroPadding3D fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("ZeroPadding3D", config);
    Builder b = builder().name(c.name());
    if (c.has("padding")) {
      int[][] p = SpatialArguments.pairsPerAxis(c, "padding", 3);
      b.padding(p[0][0], p[0][1], p[1][0], p[1][1], p[2][0], p[2][1]);
    }
    b.dataFormat(c.string("data_format", null));
    return c.finish(b.build());
  }

  /** {@code {{depth before, after}, {top, bottom}, {left, right}}}. */
  public int[][] padding() {
    return SpatialArguments.copy(padding);
  }

  /** {@code "channels_last"} or {@code "channels_first"}: where the channel axis is. */
  public String dataFormat() {
    return dataFormat;
  }

  private int depthAxis() {
    return dataFormat.equals("channels_first") ? 2 : 1;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    long[] out = inputShape.asArray();
    for (int i = 0; i < 3; i++) {
      int axis = depthAxis() + i;
      out[axis] = out[axis] < 0 ? -1 : out[axis] + padding[i][0] + padding[i][1];
    }
    return Shape.of(out);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    int[][] pads = new int[5][2];
    for (int i = 0; i < 3; i++) {
      pads[depthAxis() + i] = padding[i].clone();
    }
    return tf.pad(x, tf.constant(pads), tf.constant(0f));
  }

  /** Keras writes a build_config for this layer, as for ZeroPadding2D. */
  @Override
  public boolean writesBuildConfig() {
    return true;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("padding", SpatialArguments.pairsConfig(padding));
    config.put("data_format", dataFormat);
    return config;
  }

  /** Optional arguments of {@link ZeroPadding3D}, with Keras 3's defaults. */
  public static final class Builder {
    private String name;
    private int[][] padding = {{1, 1}, {1, 1}, {1, 1}};
    private String dataFormat;

    private Builder() {}

    /** The layer's name (default: an automatic unique name). */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** The same amount on all six borders. */
    public Builder padding(int all) {
      return padding(all, all, all, all, all, all);
    }

    /** The zeros added before and after the depth, rows and columns. */
    public Builder padding(
        int depthBefore, int depthAfter, int top, int bottom, int left, int right) {
      this.padding = new int[][] {{depthBefore, depthAfter}, {top, bottom}, {left, right}};
      return this;
    }

    /** {@code "channels_last"} (the default) or {@code "channels_first"}. */
    public Builder dataFormat(String dataFormat) {
      this.dataFormat = dataFormat;
      return this;
    }

    /**
     * The ZeroPadding3D layer with these arguments.
     *
     * @throws IllegalArgumentException if an amount is negative or the data format unknown
     */
    public ZeroPadding3D build() {
      return new ZeroPadding3D(this);
    }
  }
}

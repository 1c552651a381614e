package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Adds rows and columns of zeros around images, as Keras 3's {@code keras.layers.ZeroPadding2D}.
 *
 * <p>Arguments: {@code padding}, {@code ((top, bottom), (left, right))} ({@code ((1, 1), (1, 1))}
 * by default); {@code dataFormat}, {@code "channels_last"} (default) or {@code "channels_first"}.
 * Shapes: rows grow by {@code top + bottom}, columns by {@code left + right}.
 *
 * <pre>{@code
 * KerasTensor padded = ZeroPadding2D.builder().padding(1, 1, 2, 2).build().apply(image);
 * }</pre>
 */
public class ZeroPadding2D extends Layer {

  private final int[][] padding;
  private final String dataFormat;

  /** One row or column of zeros on every border, Keras's default. */
  public ZeroPadding2D() {
    this(builder());
  }

  private ZeroPadding2D(Builder b) {
    super(b.name);
    this.padding = SpatialArguments.pairsOfAmounts("ZeroPadding2D", "padding", b.padding);
    this.dataFormat = SpatialArguments.dataFormat("ZeroPadding2D", b.dataFormat);
    setInputSpec(InputSpec.rank(4));
  }

  /** A builder with Keras's defaults: one row or column of zeros on every border, channels last. */
  public static Builder builder() {
    return new Builder();
  }

  /** A ZeroPadding2D layer from its Keras config: {@code padding}, {@code data_format}. */
  public static ZeroPadding2D fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("ZeroPadding2D", config);
    Builder b = builder().name(c.name());
    if (c.has("padding")) {
      int[][] p = SpatialArguments.pairsPerAxis(c, "padding", 2);
      b.padding(p[0][0], p[0][1], p[1][0], p[1][1]);
    }
    b.dataFormat(c.string("data_format", null));
    return c.finish(b.build());
  }

  /** {@code {{top, bottom}, {left, right}}}. */
  public int[][] padding() {
    return SpatialArguments.copy(padding);
  }

  /** {@code "channels_last"} or {@code "channels_first"}: where the channel axis is. */
  public String dataFormat() {
    return dataFormat;
  }

  private int rowAxis() {
    return dataFormat.equals("channels_first") ? 2 : 1;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    long[] out = inputShape.asArray();
    for (int i = 0; i < 2; i++) {
      int axis = rowAxis() + i;
      out[axis] = out[axis] < 0 ? -1 : out[axis] + padding[i][0] + padding[i][1];
    }
    return Shape.of(out);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    int[][] pads = new int[4][2];
    pads[rowAxis()] = padding[0].clone();
    pads[rowAxis() + 1] = padding[1].clone();
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
    config.put("padding", SpatialArguments.pairsConfig(padding));
    config.put("data_format", dataFormat);
    return config;
  }

  /** Optional arguments of {@link ZeroPadding2D}, with Keras 3's defaults. */
  public static final class Builder {
    private String name;
    private int[][] padding = {{1, 1}, {1, 1}};
    private String dataFormat;

    private Builder() {}

    /** The layer's name (default: an automatic unique name). */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** The same amount on all four borders. */
    public Builder padding(int all) {
      return padding(all, all, all, all);
    }

    /**
     * The zero rows added at the top and bottom and the zero columns added at the left and right.
     */
    public Builder padding(int top, int bottom, int left, int right) {
      this.padding = new int[][] {{top, bottom}, {left, right}};
      return this;
    }

    /**
     * {@code "channels_last"} (the default, {@code (batch, rows, cols, channels)}) or {@code
     * "channels_first"}.
     */
    public Builder dataFormat(String dataFormat) {
      this.dataFormat = dataFormat;
      return this;
    }

    /**
     * The ZeroPadding2D layer with these arguments.
     *
     * @throws IllegalArgumentException if an amount is negative or the data format unknown
     */
    public ZeroPadding2D build() {
      return new ZeroPadding2D(this);
    }
  }
}

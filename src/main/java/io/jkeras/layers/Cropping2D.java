package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Removes rows and columns at the borders of images, as Keras 3's {@code keras.layers.Cropping2D}.
 *
 * <p>Arguments: {@code cropping}, {@code ((top, bottom), (left, right))} (nothing by default);
 * {@code dataFormat}, {@code "channels_last"} (default: {@code (batch, rows, cols, channels)}) or
 * {@code "channels_first"} ({@code (batch, channels, rows, cols)}). Shapes: rows and columns shrink
 * by the cropped amounts; at least one of each must remain.
 *
 * <pre>{@code
 * KerasTensor inner = Cropping2D.builder().cropping(1, 1, 2, 2).build().apply(image);
 * }</pre>
 */
public class Cropping2D extends Layer {

  private final int[][] cropping;
  private final String dataFormat;

  private Cropping2D(Builder b) {
    super(b.name);
    this.cropping = SpatialArguments.pairsOfAmounts("Cropping2D", "cropping", b.cropping);
    this.dataFormat = SpatialArguments.dataFormat("Cropping2D", b.dataFormat);
    setInputSpec(InputSpec.rank(4));
  }

  /** A builder; without {@link Builder#cropping} nothing is cropped. */
  public static Builder builder() {
    return new Builder();
  }

  /** A Cropping2D layer from its Keras config: {@code cropping}, {@code data_format}. */
  public static Cropping2D fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Cropping2D", config);
    Builder b = builder().name(c.name());
    if (c.has("cropping")) {
      int[][] p = SpatialArguments.pairsPerAxis(c, "cropping", 2);
      b.cropping(p[0][0], p[0][1], p[1][0], p[1][1]);
    }
    b.dataFormat(c.string("data_format", null));
    return c.finish(b.build());
  }

  /** {@code {{top, bottom}, {left, right}}}. */
  public int[][] cropping() {
    return SpatialArguments.copy(cropping);
  }

  /** {@code "channels_last"} or {@code "channels_first"}: where the channel axis is. */
  public String dataFormat() {
    return dataFormat;
  }

  /** The axis of rows; columns follow it. */
  private int rowAxis() {
    return dataFormat.equals("channels_first") ? 2 : 1;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    long[] out = inputShape.asArray();
    for (int i = 0; i < 2; i++) {
      int axis = rowAxis() + i;
      long d = out[axis];
      long left = d - cropping[i][0] - cropping[i][1];
      if (d >= 0 && left <= 0) {
        throw new IllegalArgumentException(
            "Layer \""
                + name()
                + "\" (Cropping2D): cropping "
                + java.util.Arrays.deepToString(cropping)
                + " leaves nothing of axis "
                + axis
                + " of an input of shape "
                + KerasShape.format(inputShape));
      }
      out[axis] = d < 0 ? -1 : left;
    }
    return Shape.of(out);
  }

  @Override
  protected void build(Shape inputShape) {
    computeOutputShape(inputShape);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    int[] start = new int[4];
    int[] end = new int[4];
    for (int i = 0; i < 2; i++) {
      start[rowAxis() + i] = cropping[i][0];
      end[rowAxis() + i] = cropping[i][1];
    }
    return SpatialArguments.crop(tf, x, start, end);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("cropping", SpatialArguments.pairsConfig(cropping));
    config.put("data_format", dataFormat);
    return config;
  }

  /** Optional arguments of {@link Cropping2D}, with Keras 3's defaults. */
  public static final class Builder {
    private String name;
    private int[][] cropping = {{0, 0}, {0, 0}};
    private String dataFormat;

    private Builder() {}

    /** The layer's name (default: an automatic unique name). */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** The same amount on all four borders. */
    public Builder cropping(int all) {
      return cropping(all, all, all, all);
    }

    /** The rows removed at the top and bottom and the columns removed at the left and right. */
    public Builder cropping(int top, int bottom, int left, int right) {
      this.cropping = new int[][] {{top, bottom}, {left, right}};
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
     * The Cropping2D layer with these arguments.
     *
     * @throws IllegalArgumentException if an amount is negative or the data format unknown
     */
    public Cropping2D build() {
      return new Cropping2D(this);
    }
  }
}

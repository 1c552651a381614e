package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Removes slices at the borders of the depth, rows and columns of volumes, as Keras 3's {@code
 * keras.layers.Cropping3D}.
 *
 * <p>Arguments: {@code cropping}, one {@code (before, after)} pair per spatial axis ({@code ((1,
 * 1), (1, 1), (1, 1))} by default, as in Keras); {@code dataFormat}, {@code "channels_last"}
 * (default: {@code (batch, depth, rows, cols, channels)}) or {@code "channels_first"}. Shapes: each
 * spatial axis shrinks by its two amounts; at least one of each must remain.
 *
 * <pre>{@code
 * KerasTensor inner = Cropping3D.builder().cropping(0, 0, 1, 1, 2, 2).build().apply(volume);
 * }</pre>
 */
public class Cropping3D extends Layer {

  private final int[][] cropping;
  private final String dataFormat;

  /** One slice off every border, Keras's default. */
  public Cropping3D() {
    this(builder());
  }

  private Cropping3D(Builder b) {
    super(b.name);
    this.cropping = SpatialArguments.pairsOfAmounts("Cropping3D", "cropping", b.cropping);
    this.dataFormat = SpatialArguments.dataFormat("Cropping3D", b.dataFormat);
    setInputSpec(InputSpec.rank(5));
  }

  /** A builder with Keras's defaults: one slice off every border, channels last. */
  public static Builder builder() {
    return new Builder();
  }

  /** A Cropping3D layer from its Keras config: {@code cropping}, {@code data_format}. */
  public static Cropping3D fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Cropping3D", config);
    Builder b = builder().name(c.name());
    if (c.has("cropping")) {
      int[][] p = SpatialArguments.pairsPerAxis(c, "cropping", 3);
      b.cropping(p[0][0], p[0][1], p[1][0], p[1][1], p[2][0], p[2][1]);
    }
    b.dataFormat(c.string("data_format", null));
    return c.finish(b.build());
  }

  /** {@code {{depth before, after}, {top, bottom}, {left, right}}}. */
  public int[][] cropping() {
    return SpatialArguments.copy(cropping);
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
      long d = out[axis];
      long left = d - cropping[i][0] - cropping[i][1];
      if (d >= 0 && left <= 0) {
        throw new IllegalArgumentException(
            "Layer \""
                + name()
                + "\" (Cropping3D): cropping "
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
    int[] start = new int[5];
    int[] end = new int[5];
    for (int i = 0; i < 3; i++) {
      start[depthAxis() + i] = cropping[i][0];
      end[depthAxis() + i] = cropping[i][1];
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

  /** Optional arguments of {@link Cropping3D}, with Keras 3's defaults. */
  public static final class Builder {
    private String name;
    private int[][] cropping = {{1, 1}, {1, 1}, {1, 1}};
    private String dataFormat;

    private Builder() {}

    /** The layer's name (default: an automatic unique name). */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** The same amount on all six borders. */
    public Builder cropping(int all) {
      return cropping(all, all, all, all, all, all);
    }

    /** The slices removed before and after the depth, rows and columns. */
    public Builder cropping(
        int depthBefore, int depthAfter, int top, int bottom, int left, int right) {
      this.cropping = new int[][] {{depthBefore, depthAfter}, {top, bottom}, {left, right}};
      return this;
    }

    /** {@code "channels_last"} (the default) or {@code "channels_first"}. */
    public Builder dataFormat(String dataFormat) {
      this.dataFormat = dataFormat;
      return this;
    }

    /**
     * The Cropping3D layer with these arguments.
     *
     * @throws IllegalArgumentException if an amount is negative or the data format unknown
     */
    public Cropping3D build() {
      return new Cropping3D(this);
    }
  }
}

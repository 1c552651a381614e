package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Repeats every slice, row and column of volumes, as Keras 3's {@code keras.layers.UpSampling3D}:
 * nearest-neighbour upsampling by whole factors.
 *
 * <p>Arguments: {@code size}, (depth, rows, cols) factors ((2, 2, 2)); {@code dataFormat}, {@code
 * "channels_last"} (default: {@code (batch, depth, rows, cols, channels)}) or {@code
 * "channels_first"}. Shapes: each spatial size is multiplied by its factor.
 *
 * <pre>{@code
 * KerasTensor bigger = new UpSampling3D(1, 2, 2, null).apply(x); // (None, 4, 8, 8, 3) -> (None, 4, 16, 16, 3)
 * }</pre>
 */
public class UpSampling3D extends Layer {

  private final int[] size;
  private final String dataFormat;

  /** Doubles every spatial axis, Keras's default. */
  public UpSampling3D() {
    this(2, 2, 2, null);
  }

  /**
   * Repeats each slice, row and column by the given factors, channels last.
   *
   * @param name the layer name, or null for an automatic one
   * @throws IllegalArgumentException if a factor is not positive
   */
  public UpSampling3D(int depth, int rows, int cols, String name) {
    this(new int[] {depth, rows, cols}, null, name);
  }

  /**
   * Repeats each slice, row and column by the factors {@code size}.
   *
   * @param dataFormat {@code "channels_last"} or {@code "channels_first"} (null: channels last)
   * @param name the layer name, or null for an automatic one
   * @throws IllegalArgumentException if {@code size} is not three positive factors or the data
   *     format is unknown
   */
  public UpSampling3D(int[] size, String dataFormat, String name) {
    super(name);
    if (size.length != 3) {
      throw new IllegalArgumentException(
          "UpSampling3D: size must hold three factors, got " + java.util.Arrays.toString(size));
    }
    this.size = new int[3];
    for (int i = 0; i < 3; i++) {
      this.size[i] = SpatialArguments.amount("UpSampling3D", "size", size[i], true);
    }
    this.dataFormat = SpatialArguments.dataFormat("UpSampling3D", dataFormat);
    setInputSpec(InputSpec.rank(5));
  }

  /** An UpSampling3D layer from its Keras config: {@code size}, {@code data_format}. */
  public static UpSampling3D fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("UpSampling3D", config);
    String name = c.name();
    int[] size = ConvWindow.readTuple(c, "size", 3, new int[] {2, 2, 2});
    return c.finish(new UpSampling3D(size, c.string("data_format", null), name));
  }

  /** The (depth, rows, cols) factors. */
  public int[] size() {
    return size.clone();
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
      out[axis] = out[axis] < 0 ? -1 : out[axis] * size[i];
    }
    return Shape.of(out);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    Operand<TFloat32> y = x;
    for (int i = 0; i < 3; i++) {
      y = SpatialArguments.repeat(tf, y, depthAxis() + i, size[i]);
    }
    return y;
  }

  /** Keras writes a build_config for this layer, as for UpSampling2D. */
  @Override
  public boolean writesBuildConfig() {
    return true;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("size", ConvWindow.toConfig(size));
    config.put("data_format", dataFormat);
    return config;
  }
}

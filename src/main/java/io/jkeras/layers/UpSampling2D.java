package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.image.ResizeBicubic;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.op.image.ScaleAndTranslate;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Enlarges images by whole factors, as Keras 3's {@code keras.layers.UpSampling2D}.
 *
 * <p>Arguments: {@code size}, the row and column factors ({@code (2, 2)}); {@code dataFormat},
 * {@code "channels_last"} (default) or {@code "channels_first"}; {@code interpolation}, one of the
 * methods Keras 3's TensorFlow backend accepts, computed as its {@code ops.image.resize} (without
 * antialiasing) computes them:
 *
 * <ul>
 *   <li>{@code "nearest"} (default): every pixel repeated;
 *   <li>{@code "area"}: each output pixel is the mean of the input area it covers, which for whole
 *       factors is the repeated pixel, so it is computed as {@code "nearest"} (Keras runs
 *       TensorFlow's {@code ResizeArea}, equal within float rounding, and cannot train through it
 *       because that op has no gradient; jkeras can);
 *   <li>{@code "bilinear"} and {@code "bicubic"}: TensorFlow's {@code ResizeBilinear} and {@code
 *       ResizeBicubic} with half-pixel centers;
 *   <li>{@code "lanczos3"} and {@code "lanczos5"}: TensorFlow's {@code ScaleAndTranslate} with that
 *       kernel, scale equal to the factors, no translation and no antialiasing.
 * </ul>
 *
 * <p>Keras's constructor also lets through {@code "gaussian"} and {@code "mitchellcubic"} but its
 * resize refuses them on the first call; jkeras refuses them when the layer is made. Shapes: rows
 * and columns are multiplied by the factors.
 *
 * <pre>{@code
 * KerasTensor big = UpSampling2D.builder().size(2, 3).interpolation("bicubic").build().apply(x);
 * }</pre>
 */
public class UpSampling2D extends Layer {

  /** The methods of Keras's {@code ops.image.resize}, in its order. */
  private static final List<String> INTERPOLATIONS =
      List.of("bilinear", "nearest", "lanczos3", "lanczos5", "bicubic", "area");

  private final int rows;
  private final int cols;
  private final String dataFormat;
  private final String interpolation;

  /** Doubles rows and columns by repeating pixels, Keras's default. */
  public UpSampling2D() {
    this(builder());
  }

  private UpSampling2D(Builder b) {
    super(b.name);
    this.rows = SpatialArguments.amount("UpSampling2D", "size", b.rows, true);
    this.cols = SpatialArguments.amount("UpSampling2D", "size", b.cols, true);
    this.dataFormat = SpatialArguments.dataFormat("UpSampling2D", b.dataFormat);
    String i = b.interpolation.toLowerCase(Locale.ROOT);
    if (!INTERPOLATIONS.contains(i)) {
      throw new IllegalArgumentException(
          "UpSampling2D: interpolation must be one of "
              + String.join(", ", INTERPOLATIONS)
              + " (Keras's resize methods), got \""
              + b.interpolation
              + "\"");
    }
    this.interpolation = i;
    setInputSpec(InputSpec.rank(4));
  }

  /**
   * A builder with Keras's defaults: factors (2, 2), channels last, nearest-neighbour
   * interpolation.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * An UpSampling2D layer from its Keras config: {@code size}, {@code data_format}, {@code
   * interpolation}.
   */
  public static UpSampling2D fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("UpSampling2D", config);
    Builder b = builder().name(c.name());
    if (c.has("size")) {
      int[] s = SpatialArguments.pair(c, "size");
      b.size(s[0], s[1]);
    }
    b.dataFormat(c.string("data_format", null));
    b.interpolation(c.string("interpolation", "nearest"));
    return c.finish(b.build());
  }

  /** The row and column factors. */
  public int[] size() {
    return new int[] {rows, cols};
  }

  /** {@code "channels_last"} or {@code "channels_first"}: where the channel axis is. */
  public String dataFormat() {
    return dataFormat;
  }

  /**
   * {@code "nearest"} (pixels repeated), {@code "area"}, {@code "bilinear"}, {@code "bicubic"},
   * {@code "lanczos3"} or {@code "lanczos5"}.
   */
  public String interpolation() {
    return interpolation;
  }

  private int rowAxis() {
    return dataFormat.equals("channels_first") ? 2 : 1;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    long[] out = inputShape.asArray();
    int r = rowAxis();
    out[r] = out[r] < 0 ? -1 : out[r] * rows;
    out[r + 1] = out[r + 1] < 0 ? -1 : out[r + 1] * cols;
    return Shape.of(out);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    boolean first = dataFormat.equals("channels_first");
    Operand<TFloat32> y = first ? tf.linalg.transpose(x, tf.constant(new int[] {0, 2, 3, 1})) : x;
    if (interpolation.equals("nearest") || interpolation.equals("area")) {
      y = SpatialArguments.repeat(tf, SpatialArguments.repeat(tf, y, 1, rows), 2, cols);
    } else {
      long[] target = y.shape().asArray();
      target[1] = target[1] < 0 ? -1 : target[1] * rows;
      target[2] = target[2] < 0 ? -1 : target[2] * cols;
      Operand<TInt32> newSize =
          target[1] >= 0 && target[2] >= 0
              ? tf.constant(new int[] {(int) target[1], (int) target[2]})
              : tf.math.mul(
                  tf.slice(
                      tf.shape(tf.stopGradient(y)),
                      tf.constant(new int[] {1}),
                      tf.constant(new int[] {2})),
                  tf.constant(new int[] {rows, cols}));
      y =
          switch (interpolation) {
            case "bilinear" ->
                tf.image.resizeBilinear(
                    y,
                    newSize,
                    ResizeBilinear.alignCorners(false),
                    ResizeBilinear.halfPixelCenters(true));
            case "bicubic" ->
                tf.image.resizeBicubic(
                    y,
                    newSize,
                    ResizeBicubic.alignCorners(false),
                    ResizeBicubic.halfPixelCenters(true));
            default ->
                // lanczos3, lanczos5: TF's resize scales by new size / old size, the factors.
                tf.image.scaleAndTranslate(
                    y,
                    newSize,
                    tf.constant(new float[] {rows, cols}),
                    tf.constant(new float[] {0f, 0f}),
                    ScaleAndTranslate.kernelType(interpolation),
                    ScaleAndTranslate.antialias(false));
          };
    }
    return first ? tf.linalg.transpose(y, tf.constant(new int[] {0, 3, 1, 2})) : y;
  }

  /** Keras's class overrides build(), so its files carry a build_config. */
  @Override
  public boolean writesBuildConfig() {
    return true;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("size", List.of(rows, cols));
    config.put("data_format", dataFormat);
    config.put("interpolation", interpolation);
    return config;
  }

  /** Optional arguments of {@link UpSampling2D}, with Keras 3's defaults. */
  public static final class Builder {
    private String name;
    private int rows = 2;
    private int cols = 2;
    private String dataFormat;
    private String interpolation = "nearest";

    private Builder() {}

    /** The layer's name (default: an automatic unique name). */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** The same factor for rows and columns. */
    public Builder size(int both) {
      return size(both, both);
    }

    /** The row and column factors (default 2 and 2); both positive. */
    public Builder size(int rows, int cols) {
      this.rows = rows;
      this.cols = cols;
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
     * {@code "nearest"} (the default), {@code "area"}, {@code "bilinear"}, {@code "bicubic"},
     * {@code "lanczos3"} or {@code "lanczos5"}, in any case.
     */
    public Builder interpolation(String interpolation) {
      this.interpolation = interpolation;
      return this;
    }

    /**
     * The UpSampling2D layer with these arguments.
     *
     * @throws IllegalArgumentException if a factor is not positive, or the data format or
     *     interpolation is unknown
     */
    public UpSampling2D build() {
      return new UpSampling2D(this);
    }
  }
}

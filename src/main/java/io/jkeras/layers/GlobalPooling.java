package io.jkeras.layers;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The shared part of Keras's global pooling layers ({@link GlobalMaxPooling1D}, {@link
 * GlobalAveragePooling1D}, {@link GlobalMaxPooling2D}, {@link GlobalAveragePooling2D}, {@link
 * GlobalMaxPooling3D}, {@link GlobalAveragePooling3D}): a reduction over every spatial axis of a
 * {@code (batch, spatial..., channels)} input ({@code (batch, channels, spatial...)} with {@code
 * "channels_first"}).
 */
abstract class GlobalPooling extends Layer {

  private final int rank;
  private final String dataFormat;
  private final boolean keepdims;

  /**
   * @param rank the number of spatial axes (1 for sequences, 2 for images, 3 for volumes)
   */
  GlobalPooling(String name, int rank, String dataFormat, boolean keepdims) {
    super(name);
    String format = dataFormat == null ? "channels_last" : dataFormat.toLowerCase(Locale.ROOT);
    if (!format.equals("channels_last") && !format.equals("channels_first")) {
      throw new IllegalArgumentException(
          className()
              + ": data_format must be \"channels_last\" or \"channels_first\", got \""
              + dataFormat
              + "\"");
    }
    this.rank = rank;
    this.dataFormat = format;
    this.keepdims = keepdims;
    setInputSpec(InputSpec.rank(rank + 2));
  }

  public String dataFormat() {
    return dataFormat;
  }

  public boolean keepdims() {
    return keepdims;
  }

  /** The axes pooled over: 1..rank for channels_last, 2..rank+1 for channels_first. */
  protected final int[] spatialAxes() {
    int first = dataFormat.equals("channels_last") ? 1 : 2;
    int[] axes = new int[rank];
    for (int i = 0; i < rank; i++) {
      axes[i] = first + i;
    }
    return axes;
  }

  /** Reduces {@code x} over {@link #spatialAxes()}, keeping them with size 1 when keepdims. */
  protected abstract Operand<TFloat32> reduce(Ops tf, Operand<TFloat32> x, boolean keepdims);

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    if (inputShape.isUnknown() || inputShape.numDimensions() != rank + 2) {
      throw new IllegalArgumentException(
          "Layer \""
              + name()
              + "\" ("
              + className()
              + "): expected an input of rank "
              + (rank + 2)
              + ", got "
              + KerasShape.format(inputShape));
    }
    long batch = inputShape.size(0);
    int channelAxis = dataFormat.equals("channels_last") ? rank + 1 : 1;
    long channels = inputShape.size(channelAxis);
    if (!keepdims) {
      return Shape.of(batch, channels);
    }
    long[] out = new long[rank + 2];
    Arrays.fill(out, 1);
    out[0] = batch;
    out[channelAxis] = channels;
    return Shape.of(out);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    return reduce(tf, inputs, keepdims);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("data_format", dataFormat);
    config.put("keepdims", keepdims);
    return config;
  }
}

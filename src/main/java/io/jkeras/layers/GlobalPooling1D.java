package io.jkeras.layers;

import java.util.Locale;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The shared part of {@link GlobalMaxPooling1D} and {@link GlobalAveragePooling1D}: a reduction
 * over the steps axis of a {@code (batch, steps, features)} input ({@code (batch, features, steps)}
 * with {@code "channels_first"}).
 */
abstract class GlobalPooling1D extends Layer {

  private final String dataFormat;
  private final boolean keepdims;

  GlobalPooling1D(String name, String dataFormat, boolean keepdims) {
    super(name);
    String format = dataFormat == null ? "channels_last" : dataFormat.toLowerCase(Locale.ROOT);
    if (!format.equals("channels_last") && !format.equals("channels_first")) {
      throw new IllegalArgumentException(
          className()
              + ": data_format must be \"channels_last\" or \"channels_first\", got \""
              + dataFormat
              + "\"");
    }
    this.dataFormat = format;
    this.keepdims = keepdims;
    setInputSpec(InputSpec.rank(3));
  }

  public String dataFormat() {
    return dataFormat;
  }

  public boolean keepdims() {
    return keepdims;
  }

  /** The axis pooled over: 1 for channels_last, 2 for channels_first. */
  protected final int stepsAxis() {
    return dataFormat.equals("channels_last") ? 1 : 2;
  }

  /** Reduces {@code x} over {@link #stepsAxis()}, keeping it as size 1 when keepdims. */
  protected abstract Operand<TFloat32> reduce(Ops tf, Operand<TFloat32> x, boolean keepdims);

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    if (inputShape.numDimensions() != 3) {
      throw new IllegalArgumentException(
          "Layer \""
              + name()
              + "\" ("
              + className()
              + "): expected an input of rank 3, got "
              + KerasShape.format(inputShape));
    }
    long batch = inputShape.size(0);
    long features = inputShape.size(stepsAxis() == 1 ? 2 : 1);
    if (!keepdims) {
      return Shape.of(batch, features);
    }
    return stepsAxis() == 1 ? Shape.of(batch, 1, features) : Shape.of(batch, features, 1);
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

package io.jkeras.savedmodel;

import io.jkeras.layers.KerasShape;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

/**
 * One input or output of a SavedModel signature, as its {@code SignatureDef} describes it: the key
 * callers use, the graph tensor behind it, its dtype and its shape ({@code -1} for a dimension of
 * any size, {@link Shape#unknown()} when even the rank is free).
 *
 * <pre>{@code
 * TensorSpec in = model.signature("serving_default").inputs().get("features");
 * in.dtype();          // "float32"
 * in.dataType();       // DT_FLOAT, for TF Serving's metadata JSON
 * in.shape();          // [-1, 4]
 * }</pre>
 *
 * @param key the signature's key for this tensor, for example {@code "output_0"}
 * @param tensorName the graph tensor, for example {@code "serving_default_features:0"}
 * @param dataType the TensorFlow dtype enum, for example {@code DT_FLOAT}
 * @param shape the static shape: {@code -1} for unknown dimensions, unknown rank when not known
 */
public record TensorSpec(String key, String tensorName, DataType dataType, Shape shape) {

  private static final Map<DataType, String> KERAS_NAMES =
      Map.ofEntries(
          Map.entry(DataType.DT_FLOAT, "float32"),
          Map.entry(DataType.DT_DOUBLE, "float64"),
          Map.entry(DataType.DT_HALF, "float16"),
          Map.entry(DataType.DT_BFLOAT16, "bfloat16"),
          Map.entry(DataType.DT_INT8, "int8"),
          Map.entry(DataType.DT_INT16, "int16"),
          Map.entry(DataType.DT_INT32, "int32"),
          Map.entry(DataType.DT_INT64, "int64"),
          Map.entry(DataType.DT_UINT8, "uint8"),
          Map.entry(DataType.DT_UINT16, "uint16"),
          Map.entry(DataType.DT_UINT32, "uint32"),
          Map.entry(DataType.DT_UINT64, "uint64"),
          Map.entry(DataType.DT_BOOL, "bool"),
          Map.entry(DataType.DT_STRING, "string"));

  static TensorSpec of(String key, TensorInfo info) {
    return new TensorSpec(key, info.getName(), info.getDtype(), shapeOf(info.getTensorShape()));
  }

  static Shape shapeOf(TensorShapeProto proto) {
    if (proto.getUnknownRank()) {
      return Shape.unknown();
    }
    long[] dims = new long[proto.getDimCount()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = proto.getDim(i).getSize();
    }
    return Shape.of(dims);
  }

  /** The dtype by its Keras / NumPy name: {@code "float32"}, {@code "int64"}, {@code "bool"}... */
  public String dtype() {
    return kerasName(dataType);
  }

  static String kerasName(DataType type) {
    String name = KERAS_NAMES.get(type);
    if (name != null) {
      return name;
    }
    String s = type.name();
    return (s.startsWith("DT_") ? s.substring(3) : s).toLowerCase(Locale.ROOT);
  }

  /** True when the rank is known (the shape may still have {@code -1} dimensions). */
  public boolean hasKnownRank() {
    return !shape.isUnknown();
  }

  /** Whether {@code actual} (a concrete shape) fits this spec's shape. */
  public boolean accepts(Shape actual) {
    if (shape.isUnknown()) {
      return true;
    }
    if (actual.numDimensions() != shape.numDimensions()) {
      return false;
    }
    for (int i = 0; i < shape.numDimensions(); i++) {
      long want = shape.size(i);
      if (want >= 0 && want != actual.size(i)) {
        return false;
      }
    }
    return true;
  }

  /** The shape in Keras's notation: {@code (None, 4)}. */
  public String formattedShape() {
    return KerasShape.format(shape);
  }

  @Override
  public String toString() {
    return key + ": " + dtype() + " " + formattedShape() + " (" + tensorName + ")";
  }
}

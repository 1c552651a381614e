package io.jkeras.saving;

import java.util.Arrays;

/**
 * One array as a weight file stores it: a shape and row-major values, either float32 ({@code
 * floats}) or int64 ({@code longs}); exactly one of the two is non-null. A scalar has the shape
 * {@code new long[0]} and one value. Optimizer state travels in this form (Adam's iteration count
 * is an int64 scalar, its learning rate a float32 scalar, its moments float32 arrays).
 *
 * <pre>{@code
 * List<StoredArray> adam = List.of(
 *     StoredArray.ofLongScalar(1), StoredArray.ofFloatScalar(0.001f),
 *     StoredArray.ofFloats(new long[] {3, 4}, new float[12]));
 * long step = adam.get(0).longs()[0];
 * }</pre>
 *
 * <p>Equality compares shapes and values, not array identity. The factories copy their arguments;
 * {@link #floats()} and {@link #longs()} return the stored arrays without copying (arrays can be
 * large), so callers must not modify them.
 */
public record StoredArray(long[] shape, float[] floats, long[] longs) {

  /** Checks that exactly one value array is given and that it holds as many values as the shape. */
  public StoredArray {
    if (shape == null) {
      throw new IllegalArgumentException(
          "StoredArray: shape is null (a scalar's shape is long[0])");
    }
    if ((floats == null) == (longs == null)) {
      throw new IllegalArgumentException(
          "StoredArray: give exactly one of floats and longs, got "
              + (floats == null ? "neither" : "both"));
    }
    long count = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException(
            "StoredArray: dimensions must be >= 0, got " + Arrays.toString(shape));
      }
      count = Math.multiplyExact(count, d);
    }
    int length = floats != null ? floats.length : longs.length;
    if (count != length) {
      throw new IllegalArgumentException(
          "StoredArray: shape "
              + Arrays.toString(shape)
              + " holds "
              + count
              + " values, got "
              + length);
    }
    shape = shape.clone();
  }

  /** A float32 array of this shape, values row-major (copied). */
  public static StoredArray ofFloats(long[] shape, float[] values) {
    return new StoredArray(shape, values.clone(), null);
  }

  /** A 1-D float32 array. */
  public static StoredArray ofFloats(float... values) {
    return new StoredArray(new long[] {values.length}, values.clone(), null);
  }

  /** An int64 array of this shape, values row-major (copied). */
  public static StoredArray ofLongs(long[] shape, long[] values) {
    return new StoredArray(shape, null, values.clone());
  }

  /** A float32 scalar (shape {@code []}), such as an optimizer's stored learning rate. */
  public static StoredArray ofFloatScalar(float value) {
    return new StoredArray(new long[0], new float[] {value}, null);
  }

  /** An int64 scalar (shape {@code []}), such as an optimizer's iteration count. */
  public static StoredArray ofLongScalar(long value) {
    return new StoredArray(new long[0], null, new long[] {value});
  }

  /** A copy of the shape. */
  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** True for float32 values, false for int64. */
  public boolean isFloat() {
    return floats != null;
  }

  /** True for a rank-0 array (one value). */
  public boolean isScalar() {
    return shape.length == 0;
  }

  /** The number of dimensions. */
  public int rank() {
    return shape.length;
  }

  /** The number of values. */
  public int size() {
    return floats != null ? floats.length : longs.length;
  }

  /** "(3, 4)" style, as Keras prints shapes; "()" for a scalar. */
  public String shapeString() {
    return formatShape(shape);
  }

  static String formatShape(long[] dims) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < dims.length; i++) {
      sb.append(i > 0 ? ", " : "").append(dims[i]);
    }
    return sb.append(dims.length == 1 ? ",)" : ")").toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredArray other
        && Arrays.equals(shape, other.shape)
        && Arrays.equals(floats, other.floats)
        && Arrays.equals(longs, other.longs);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(shape) + Arrays.hashCode(floats)) + Arrays.hashCode(longs);
  }

  @Override
  public String toString() {
    return "StoredArray[" + (isFloat() ? "float32" : "int64") + " " + shapeString() + "]";
  }
}

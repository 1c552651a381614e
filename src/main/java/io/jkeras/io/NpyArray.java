package io.jkeras.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * An n-dimensional array as stored in a {@code .npy} file: a shape, an element type and the
 * elements in row-major (C) order in one primitive Java array.
 *
 * <p>Element types and the arrays that hold them: {@code "float32"} {@code float[]}, {@code
 * "float64"} {@code double[]}, {@code "int32"} {@code int[]}, {@code "int64"} {@code long[]},
 * {@code "bool"} {@code boolean[]} and {@code "uint8"} {@code byte[]} (read as unsigned, 0 to 255).
 * A scalar has the shape {@code []} and one element.
 *
 * <p>The factories take the array they are given without copying it, and {@link #data()} returns
 * that same array, so large arrays are never duplicated: treat them as read-only once wrapped. The
 * {@code asXxx()} accessors always return a new array, converting the element type when needed.
 *
 * <pre>{@code
 * NpyArray x = NpyArray.ofInts(new long[] {2, 3}, new int[] {1, 2, 3, 4, 5, 6});
 * NpyArray rows = NpyArray.ofInts(data.xTrain());        // int[25000][100] -> shape (25000, 100)
 * float[] asFloat = x.asFloats();                        // {1f, 2f, ..., 6f}
 * long[] shape = x.shape();                              // {2, 3}
 * String dtype = x.dtype();                              // "int32"
 * }</pre>
 */
public final class NpyArray {

  private final long[] shape;
  private final NpyDtype dtype;
  private final Object data;

  NpyArray(long[] shape, NpyDtype dtype, Object data) {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(data, "data");
    if (!dtype.arrayClass.isInstance(data)) {
      throw new IllegalArgumentException(
          dtype.numpyName
              + " data must be a "
              + dtype.arrayClass.getSimpleName()
              + ", got a "
              + data.getClass().getSimpleName());
    }
    long count = elementCount(shape);
    int length = java.lang.reflect.Array.getLength(data);
    if (count != length) {
      throw new IllegalArgumentException(
          "shape " + formatShape(shape) + " has " + count + " elements but the data has " + length);
    }
    this.shape = shape.clone();
    this.dtype = dtype;
    this.data = data;
  }

  /** A float32 array; {@code data} is used as is, not copied. */
  public static NpyArray ofFloats(long[] shape, float[] data) {
    return new NpyArray(shape, NpyDtype.FLOAT32, data);
  }

  /** A float64 array; {@code data} is used as is, not copied. */
  public static NpyArray ofDoubles(long[] shape, double[] data) {
    return new NpyArray(shape, NpyDtype.FLOAT64, data);
  }

  /** An int32 array; {@code data} is used as is, not copied. */
  public static NpyArray ofInts(long[] shape, int[] data) {
    return new NpyArray(shape, NpyDtype.INT32, data);
  }

  /** An int64 array; {@code data} is used as is, not copied. */
  public static NpyArray ofLongs(long[] shape, long[] data) {
    return new NpyArray(shape, NpyDtype.INT64, data);
  }

  /** A bool array; {@code data} is used as is, not copied. */
  public static NpyArray ofBooleans(long[] shape, boolean[] data) {
    return new NpyArray(shape, NpyDtype.BOOL, data);
  }

  /**
   * A uint8 array: each byte is read as an unsigned value from 0 to 255; {@code data} is used as
   * is, not copied.
   */
  public static NpyArray ofUnsignedBytes(long[] shape, byte[] data) {
    return new NpyArray(shape, NpyDtype.UINT8, data);
  }

  /**
   * A 2-D int32 array of shape {@code (rows.length, rows[0].length)}, the rows copied into one
   * row-major array.
   *
   * @throws IllegalArgumentException if the rows differ in length, or there are no rows
   */
  public static NpyArray ofInts(int[][] rows) {
    if (rows.length == 0) {
      throw new IllegalArgumentException("no rows: the column count is unknown");
    }
    int cols = rows[0].length;
    long total = (long) rows.length * cols;
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          rows.length + " x " + cols + " elements do not fit in one Java array");
    }
    int[] flat = new int[(int) total];
    for (int r = 0; r < rows.length; r++) {
      if (rows[r].length != cols) {
        throw new IllegalArgumentException(
            "row " + r + " has " + rows[r].length + " elements, expected " + cols + " like row 0");
      }
      System.arraycopy(rows[r], 0, flat, r * cols, cols);
    }
    return ofInts(new long[] {rows.length, cols}, flat);
  }

  /** The dimensions; a new array each call. */
  public long[] shape() {
    return shape.clone();
  }

  /** The number of dimensions: 0 for a scalar. */
  public int rank() {
    return shape.length;
  }

  /** The number of elements: the product of the dimensions. */
  public int size() {
    return java.lang.reflect.Array.getLength(data);
  }

  /**
   * The element type: "float32", "float64", "int32", "int64", "bool", "uint8", "str" (NumPy's
   * {@code <U}) or "bytes" ({@code |S}).
   */
  public String dtype() {
    return dtype.numpyName;
  }

  NpyDtype npyDtype() {
    return dtype;
  }

  /**
   * The elements, row-major, in their own primitive array type ({@code float[]} for float32 and so
   * on). This is the array itself, not a copy.
   */
  public Object data() {
    return data;
  }

  /** The elements as floats, converted like NumPy's {@code astype(np.float32)}. A new array. */
  public float[] asFloats() {
    int n = size();
    float[] out = new float[n];
    switch (dtype) {
      case FLOAT32 -> System.arraycopy(data, 0, out, 0, n);
      case FLOAT64 -> {
        double[] d = (double[]) data;
        for (int i = 0; i < n; i++) {
          out[i] = (float) d[i];
        }
      }
      default -> {
        for (int i = 0; i < n; i++) {
          out[i] = (float) longAt(i);
        }
      }
    }
    return out;
  }

  /** The elements as doubles, converted like NumPy's {@code astype(np.float64)}. A new array. */
  public double[] asDoubles() {
    int n = size();
    double[] out = new double[n];
    switch (dtype) {
      case FLOAT64 -> System.arraycopy(data, 0, out, 0, n);
      case FLOAT32 -> {
        float[] f = (float[]) data;
        for (int i = 0; i < n; i++) {
          out[i] = f[i];
        }
      }
      default -> {
        for (int i = 0; i < n; i++) {
          out[i] = longAt(i);
        }
      }
    }
    return out;
  }

  /**
   * The elements as ints. A new array.
   *
   * @throws ArithmeticException if a value is not a whole number in the int range (an int64 above
   *     2^31 - 1, a float such as 0.5 or NaN); the message names the first such element
   */
  public int[] asInts() {
    int n = size();
    int[] out = new int[n];
    if (dtype == NpyDtype.INT32) {
      System.arraycopy(data, 0, out, 0, n);
      return out;
    }
    for (int i = 0; i < n; i++) {
      long v = exactLongAt(i);
      if (v != (int) v) {
        throw new ArithmeticException(
            "element " + i + " of " + dtype.numpyName + " array is " + v + ", outside int32");
      }
      out[i] = (int) v;
    }
    return out;
  }

  /**
   * The elements as longs. A new array.
   *
   * @throws ArithmeticException if a float value is not a whole number in the long range
   */
  public long[] asLongs() {
    int n = size();
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = exactLongAt(i);
    }
    return out;
  }

  /** The elements as booleans: true for every non-zero value, NaN included. A new array. */
  public boolean[] asBooleans() {
    int n = size();
    boolean[] out = new boolean[n];
    switch (dtype) {
      case BOOL -> System.arraycopy(data, 0, out, 0, n);
      case FLOAT32 -> {
        float[] f = (float[]) data;
        for (int i = 0; i < n; i++) {
          out[i] = f[i] != 0f;
        }
      }
      case FLOAT64 -> {
        double[] d = (double[]) data;
        for (int i = 0; i < n; i++) {
          out[i] = d[i] != 0d;
        }
      }
      default -> {
        for (int i = 0; i < n; i++) {
          out[i] = longAt(i) != 0;
        }
      }
    }
    return out;
  }

  private void requireNumbers() {
    if (dtype.isString()) {
      throw new IllegalStateException(
          "a " + dtype.numpyName + " array of strings has no numbers; use asStrings()");
    }
  }

  /**
   * The elements of a string array ({@code <U} as UTF-8, {@code |S} as stored), without NumPy's
   * trailing NUL padding. The array itself, not a copy.
   *
   * <pre>{@code byte[][] words = NpyFile.read(path).asStrings();}</pre>
   *
   * @throws IllegalStateException for a numeric array
   */
  public byte[][] asStrings() {
    if (!dtype.isString()) {
      throw new IllegalStateException("a " + dtype.numpyName + " array holds no strings");
    }
    return (byte[][]) data;
  }

  /** Whether the elements are strings ({@code <U} or {@code |S}). */
  public boolean isStrings() {
    return dtype.isString();
  }

  /** Element i of an integer or bool array as a long. */
  private long longAt(int i) {
    requireNumbers();
    return switch (dtype) {
      case INT32 -> ((int[]) data)[i];
      case INT64 -> ((long[]) data)[i];
      case BOOL -> ((boolean[]) data)[i] ? 1 : 0;
      case UINT8 -> Byte.toUnsignedInt(((byte[]) data)[i]);
      default -> throw new AssertionError(dtype);
    };
  }

  /** Element i as a long, float values only when they are whole numbers in range. */
  private long exactLongAt(int i) {
    requireNumbers();
    double v;
    if (dtype == NpyDtype.FLOAT32) {
      v = ((float[]) data)[i];
    } else if (dtype == NpyDtype.FLOAT64) {
      v = ((double[]) data)[i];
    } else {
      return longAt(i);
    }
    // 2^63 is exactly representable; anything at or above it does not fit.
    if (v != Math.rint(v) || v < -0x1p63 || v >= 0x1p63) {
      throw new ArithmeticException(
          "element "
              + i
              + " of "
              + dtype.numpyName
              + " array is "
              + v
              + ", not a whole number"
              + " in the integer range");
    }
    return (long) v;
  }

  /** Equal when shape, element type and every element are equal (NaN equals NaN). */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof NpyArray other)) {
      return false;
    }
    if (dtype != other.dtype || !Arrays.equals(shape, other.shape)) {
      return false;
    }
    return switch (dtype) {
      case FLOAT32 -> Arrays.equals((float[]) data, (float[]) other.data);
      case FLOAT64 -> Arrays.equals((double[]) data, (double[]) other.data);
      case INT32 -> Arrays.equals((int[]) data, (int[]) other.data);
      case INT64 -> Arrays.equals((long[]) data, (long[]) other.data);
      case BOOL -> Arrays.equals((boolean[]) data, (boolean[]) other.data);
      case UINT8 -> Arrays.equals((byte[]) data, (byte[]) other.data);
      case STR, BYTES -> Arrays.deepEquals((byte[][]) data, (byte[][]) other.data);
    };
  }

  @Override
  public int hashCode() {
    int h = 31 * dtype.hashCode() + Arrays.hashCode(shape);
    int content =
        switch (dtype) {
          case FLOAT32 -> Arrays.hashCode((float[]) data);
          case FLOAT64 -> Arrays.hashCode((double[]) data);
          case INT32 -> Arrays.hashCode((int[]) data);
          case INT64 -> Arrays.hashCode((long[]) data);
          case BOOL -> Arrays.hashCode((boolean[]) data);
          case UINT8 -> Arrays.hashCode((byte[]) data);
          case STR, BYTES -> Arrays.deepHashCode((byte[][]) data);
        };
    return 31 * h + content;
  }

  /** For example {@code NpyArray[int32 (25000, 100)]}. */
  @Override
  public String toString() {
    return "NpyArray[" + dtype.numpyName + " " + formatShape(shape) + "]";
  }

  /**
   * The number of elements of a shape.
   *
   * @throws IllegalArgumentException for a negative dimension, or a count above what a Java array
   *     holds
   */
  static long elementCount(long[] shape) {
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + formatShape(shape));
      }
      if (d == 0) {
        return 0;
      }
    }
    long count = 1;
    for (long d : shape) {
      try {
        count = Math.multiplyExact(count, d);
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException(
            "shape " + formatShape(shape) + " has more elements than a Java array holds");
      }
    }
    if (count > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "shape "
              + formatShape(shape)
              + " has "
              + count
              + " elements, more than a Java array holds ("
              + (Integer.MAX_VALUE - 8)
              + ")");
    }
    return count;
  }

  /** A shape as Python prints a tuple: {@code ()}, {@code (3,)}, {@code (2, 3)}. */
  static String formatShape(long[] shape) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(shape[i]);
    }
    if (shape.length == 1) {
      sb.append(',');
    }
    return sb.append(')').toString();
  }
}

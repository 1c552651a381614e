package io.jkeras.serving;

import java.util.Arrays;
import java.util.List;

/**
 * A dense tensor on the Java heap: a dtype, a shape and the elements in row-major order in a
 * primitive array ({@code float[]} for {@code DT_FLOAT}, {@code double[]} for {@code DT_DOUBLE},
 * {@code int[]} for {@code DT_INT32}, {@code long[]} for {@code DT_INT64}, {@code boolean[]} for
 * {@code DT_BOOL}, {@code byte[]} for {@code DT_UINT8} (unsigned: {@code b & 0xff}), {@code
 * byte[][]} for {@code DT_STRING}: byte strings, UTF-8 for JSON text). Dimension 0 is the batch
 * when the tensor feeds or comes from a signature.
 *
 * <pre>{@code
 * TensorData x = TensorData.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3); // 2 rows of 3
 * float[] flat = x.floats();          // the backing array, not a copy
 * TensorData second = x.rows(1, 2);   // shape [1, 3]
 * }</pre>
 *
 * <p>Instances are not copied defensively: treat the arrays as read-only once wrapped.
 */
public final class TensorData {

  /** TensorFlow's 32-bit float dtype, held in a {@code float[]}. */
  public static final String DT_FLOAT = "DT_FLOAT";

  /** TensorFlow's 64-bit float dtype, held in a {@code double[]}. */
  public static final String DT_DOUBLE = "DT_DOUBLE";

  /** TensorFlow's 32-bit integer dtype, held in an {@code int[]}. */
  public static final String DT_INT32 = "DT_INT32";

  /** TensorFlow's 64-bit integer dtype, held in a {@code long[]}. */
  public static final String DT_INT64 = "DT_INT64";

  /** TensorFlow's boolean dtype, held in a {@code boolean[]}. */
  public static final String DT_BOOL = "DT_BOOL";

  /** TensorFlow's unsigned 8-bit dtype (images), held in a {@code byte[]} read as unsigned. */
  public static final String DT_UINT8 = "DT_UINT8";

  /** TensorFlow's string dtype, for string inputs and outputs. */
  public static final String DT_STRING = "DT_STRING";

  private final String dtype;
  private final long[] shape;
  private final Object data;

  private TensorData(String dtype, long[] shape, Object data, int length) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      n *= d;
    }
    if (n != length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + n + " elements, got " + length);
    }
    this.dtype = dtype;
    this.shape = shape.clone();
    this.data = data;
  }

  /**
   * A {@code DT_FLOAT} tensor over {@code data} (not copied), row-major.
   *
   * @throws IllegalArgumentException if a dimension is negative or the shape does not hold exactly
   *     {@code data.length} elements
   */
  public static TensorData ofFloats(float[] data, long... shape) {
    return new TensorData(DT_FLOAT, shape, data, data.length);
  }

  /**
   * A {@code DT_DOUBLE} tensor over {@code data} (not copied), row-major.
   *
   * @throws IllegalArgumentException if a dimension is negative or the shape does not hold exactly
   *     {@code data.length} elements
   */
  public static TensorData ofDoubles(double[] data, long... shape) {
    return new TensorData(DT_DOUBLE, shape, data, data.length);
  }

  /**
   * A {@code DT_INT32} tensor over {@code data} (not copied), row-major.
   *
   * @throws IllegalArgumentException if a dimension is negative or the shape does not hold exactly
   *     {@code data.length} elements
   */
  public static TensorData ofInts(int[] data, long... shape) {
    return new TensorData(DT_INT32, shape, data, data.length);
  }

  /**
   * A {@code DT_INT64} tensor over {@code data} (not copied), row-major.
   *
   * @throws IllegalArgumentException if a dimension is negative or the shape does not hold exactly
   *     {@code data.length} elements
   */
  public static TensorData ofLongs(long[] data, long... shape) {
    return new TensorData(DT_INT64, shape, data, data.length);
  }

  /**
   * A {@code DT_BOOL} tensor over {@code data} (not copied), row-major.
   *
   * @throws IllegalArgumentException if a dimension is negative or the shape does not hold exactly
   *     {@code data.length} elements
   */
  public static TensorData ofBooleans(boolean[] data, long... shape) {
    return new TensorData(DT_BOOL, shape, data, data.length);
  }

  /**
   * A {@code DT_UINT8} tensor over {@code data} (not copied), row-major; each byte is read as
   * unsigned, so {@code (byte) 255} is 255.
   *
   * <pre>{@code TensorData.ofUint8s(new byte[] {0, (byte) 255}, 1, 2);}</pre>
   *
   * @throws IllegalArgumentException if a dimension is negative or the shape does not hold exactly
   *     {@code data.length} elements
   */
  public static TensorData ofUint8s(byte[] data, long... shape) {
    return new TensorData(DT_UINT8, shape, data, data.length);
  }

  /**
   * A string tensor: byte strings (UTF-8 for text), not copied.
   *
   * <pre>{@code TensorData.ofStrings(new byte[][] {"red".getBytes(UTF_8)}, 1);}</pre>
   */
  public static TensorData ofStrings(byte[][] data, long... shape) {
    return new TensorData(DT_STRING, shape, data, data.length);
  }

  /** True for the dtypes this class can hold. */
  public static boolean isSupported(String dtype) {
    return switch (dtype) {
      case DT_FLOAT, DT_DOUBLE, DT_INT32, DT_INT64, DT_BOOL, DT_UINT8, DT_STRING -> true;
      default -> false;
    };
  }

  /** A zero-filled tensor (empty strings for DT_STRING), or throws for an unsupported dtype. */
  static TensorData zeros(String dtype, long[] shape) {
    int n = Math.toIntExact(Arrays.stream(shape).reduce(1, (a, b) -> a * b));
    Object data = newArray(dtype, n);
    if (data instanceof byte[][] strings) {
      Arrays.fill(strings, new byte[0]);
    }
    return new TensorData(dtype, shape, data, n);
  }

  private static Object newArray(String dtype, int n) {
    return switch (dtype) {
      case DT_FLOAT -> new float[n];
      case DT_DOUBLE -> new double[n];
      case DT_INT32 -> new int[n];
      case DT_INT64 -> new long[n];
      case DT_BOOL -> new boolean[n];
      case DT_UINT8 -> new byte[n];
      case DT_STRING -> new byte[n][];
      default -> throw new IllegalArgumentException("unsupported dtype " + dtype);
    };
  }

  /** The dtype: one of the {@code DT_} constants of this class. */
  public String dtype() {
    return dtype;
  }

  /** A copy of the shape. */
  public long[] shape() {
    return shape.clone();
  }

  /** The number of dimensions (0 for a scalar). */
  public int rank() {
    return shape.length;
  }

  /** Size of dimension {@code i}. */
  public long dim(int i) {
    return shape[i];
  }

  /** Number of elements. */
  public int size() {
    return java.lang.reflect.Array.getLength(data);
  }

  /** The backing array: float[], double[], int[], long[], boolean[], byte[] or byte[][]. */
  public Object data() {
    return data;
  }

  /**
   * The backing {@code float[]} (not a copy).
   *
   * @throws IllegalStateException if the dtype is not {@code DT_FLOAT}
   */
  public float[] floats() {
    return (float[]) typed(DT_FLOAT);
  }

  /**
   * The backing {@code double[]} (not a copy).
   *
   * @throws IllegalStateException if the dtype is not {@code DT_DOUBLE}
   */
  public double[] doubles() {
    return (double[]) typed(DT_DOUBLE);
  }

  /**
   * The backing {@code int[]} (not a copy).
   *
   * @throws IllegalStateException if the dtype is not {@code DT_INT32}
   */
  public int[] ints() {
    return (int[]) typed(DT_INT32);
  }

  /**
   * The backing {@code long[]} (not a copy).
   *
   * @throws IllegalStateException if the dtype is not {@code DT_INT64}
   */
  public long[] longs() {
    return (long[]) typed(DT_INT64);
  }

  /**
   * The backing {@code boolean[]} (not a copy).
   *
   * @throws IllegalStateException if the dtype is not {@code DT_BOOL}
   */
  public boolean[] booleans() {
    return (boolean[]) typed(DT_BOOL);
  }

  /**
   * The backing {@code byte[]} of a {@code DT_UINT8} tensor (not a copy; read each as {@code b &
   * 0xff}).
   *
   * @throws IllegalStateException if the dtype is not {@code DT_UINT8}
   */
  public byte[] uint8s() {
    return (byte[]) typed(DT_UINT8);
  }

  /** The byte strings of a DT_STRING tensor (the backing array). */
  public byte[][] strings() {
    return (byte[][]) typed(DT_STRING);
  }

  private Object typed(String wanted) {
    if (!dtype.equals(wanted)) {
      throw new IllegalStateException("tensor is " + dtype + ", not " + wanted);
    }
    return data;
  }

  /** Elements per row (product of the dimensions after the first). */
  long rowSize() {
    long n = 1;
    for (int i = 1; i < shape.length; i++) {
      n *= shape[i];
    }
    return n;
  }

  /** Rows {@code from} (inclusive) to {@code to} (exclusive) along dimension 0, copied. */
  public TensorData rows(int from, int to) {
    if (shape.length == 0 || from < 0 || to > shape[0] || from > to) {
      throw new IndexOutOfBoundsException(
          "rows " + from + ".." + to + " of shape " + Arrays.toString(shape));
    }
    int rs = Math.toIntExact(rowSize());
    long[] s = shape.clone();
    s[0] = to - from;
    Object out = newArray(dtype, (to - from) * rs);
    System.arraycopy(data, from * rs, out, 0, (to - from) * rs);
    return new TensorData(dtype, s, out, (to - from) * rs);
  }

  /**
   * Concatenates tensors along dimension 0. All must have the same dtype and the same dimensions
   * after the first.
   */
  public static TensorData concatRows(List<TensorData> parts) {
    TensorData first = parts.get(0);
    if (parts.size() == 1) {
      return first;
    }
    long rows = 0;
    int total = 0;
    for (TensorData p : parts) {
      if (!p.dtype.equals(first.dtype)
          || p.rank() == 0
          || p.rank() != first.rank()
          || !Arrays.equals(p.shape, 1, p.rank(), first.shape, 1, first.rank())) {
        throw new IllegalArgumentException("cannot concatenate " + p + " to " + first);
      }
      rows += p.shape[0];
      total += p.size();
    }
    Object out = newArray(first.dtype, total);
    int at = 0;
    for (TensorData p : parts) {
      System.arraycopy(p.data, 0, out, at, p.size());
      at += p.size();
    }
    long[] s = first.shape.clone();
    s[0] = rows;
    return new TensorData(first.dtype, s, out, total);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorData t
        && t.dtype.equals(dtype)
        && Arrays.equals(t.shape, shape)
        && java.util.Objects.deepEquals(t.data, data);
  }

  @Override
  public int hashCode() {
    return dtype.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return "TensorData[" + dtype + " " + Arrays.toString(shape) + "]";
  }
}

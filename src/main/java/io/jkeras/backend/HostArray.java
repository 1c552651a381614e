package io.jkeras.backend;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.DoubleNdArray;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.IntNdArray;
import org.tensorflow.ndarray.LongNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * A batch-first array of samples on the Java heap, flat and row-major, as float32, int32, int64 or
 * strings (byte strings, UTF-8 for Java text). Models turn inputs into these once, then copy
 * batches (consecutive rows, or rows picked by index when shuffling) into tensors for each step.
 *
 * <pre>{@code
 * HostArray x = HostArray.of(new int[][] {{1, 2}, {3, 4}});
 * try (Tensor batch = x.rows(0, 1, "int32")) { ... }
 * HostArray words = HostArray.of(new String[][] {{"a", "b"}, {"c", ""}}); // dtype "string"
 * }</pre>
 */
public final class HostArray {

  private final Shape shape;
  private final float[] floats;
  private final int[] ints;
  private final long[] longs;
  private final byte[][] strings;
  private final int rowSize;

  private HostArray(Shape shape, float[] floats, int[] ints, long[] longs) {
    this(shape, floats, ints, longs, null);
  }

  private HostArray(Shape shape, float[] floats, int[] ints, long[] longs, byte[][] strings) {
    if (shape.numDimensions() < 1) {
      throw new IllegalArgumentException(
          "Expected an array with a batch axis (rank >= 1), got a scalar");
    }
    this.shape = shape;
    this.floats = floats;
    this.ints = ints;
    this.longs = longs;
    this.strings = strings;
    long rs = shape.numDimensions() == 1 ? 1 : shape.size() / Math.max(1, shape.size(0));
    if (shape.size(0) == 0) {
      rs = 1;
      for (int i = 1; i < shape.numDimensions(); i++) {
        rs *= shape.size(i);
      }
    }
    this.rowSize = (int) rs;
  }

  /**
   * Float32 samples of {@code shape} (batch axis first) over {@code values}, row-major; the array
   * is used as is, not copied.
   *
   * @throws IllegalArgumentException if {@code values} does not hold exactly {@code shape.size()}
   *     values or the shape has no batch axis
   */
  public static HostArray ofFloats(Shape shape, float[] values) {
    check(shape, values.length);
    return new HostArray(shape, values, null, null);
  }

  /**
   * Int32 samples of {@code shape} (batch axis first) over {@code values}, row-major; the array is
   * used as is, not copied.
   *
   * @throws IllegalArgumentException if {@code values} does not hold exactly {@code shape.size()}
   *     values or the shape has no batch axis
   */
  public static HostArray ofInts(Shape shape, int[] values) {
    check(shape, values.length);
    return new HostArray(shape, null, values, null);
  }

  /**
   * Int64 samples of {@code shape} (batch axis first) over {@code values}, row-major; the array is
   * used as is, not copied.
   *
   * @throws IllegalArgumentException if {@code values} does not hold exactly {@code shape.size()}
   *     values or the shape has no batch axis
   */
  public static HostArray ofLongs(Shape shape, long[] values) {
    check(shape, values.length);
    return new HostArray(shape, null, null, values);
  }

  /**
   * Byte strings, row-major; no element may be null.
   *
   * <pre>{@code HostArray.ofStrings(Shape.of(2), new byte[][] {"a".getBytes(UTF_8), new byte[0]})}
   * </pre>
   */
  public static HostArray ofStrings(Shape shape, byte[][] values) {
    check(shape, values.length);
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) {
        throw new IllegalArgumentException("String data: element " + i + " is null");
      }
    }
    return new HostArray(shape, null, null, null, values);
  }

  /**
   * One string per sample, encoded as UTF-8 (as TensorFlow's Python API encodes str).
   *
   * <pre>{@code model.predict(HostArray.of(new String[] {"red", "blue"}));}</pre>
   */
  public static HostArray of(String[] samples) {
    return ofStrings(
        Shape.of(samples.length), utf8(samples, 0, samples.length, new byte[samples.length][], 0));
  }

  /**
   * Rows of strings of equal length, encoded as UTF-8.
   *
   * <pre>{@code model.predict(HostArray.of(new String[][] {{"a", "b"}, {"c", "d"}}));}</pre>
   */
  public static HostArray of(String[][] samples) {
    int width = samples.length == 0 ? 0 : samples[0].length;
    byte[][] flat = new byte[samples.length * width][];
    for (int i = 0; i < samples.length; i++) {
      if (samples[i].length != width) {
        throw new IllegalArgumentException(
            "Ragged array: row 0 has " + width + " values, row " + i + " has " + samples[i].length);
      }
      utf8(samples[i], 0, width, flat, i * width);
    }
    return ofStrings(Shape.of(samples.length, width), flat);
  }

  private static byte[][] utf8(String[] in, int from, int to, byte[][] out, int at) {
    for (int i = from; i < to; i++) {
      if (in[i] == null) {
        throw new IllegalArgumentException("String data: element " + (at + i - from) + " is null");
      }
      out[at + i - from] = in[i].getBytes(StandardCharsets.UTF_8);
    }
    return out;
  }

  private static void check(Shape shape, int length) {
    if (shape.size() != length) {
      throw new IllegalArgumentException(
          "Array data: shape " + shape + " needs " + shape.size() + " values, got " + length);
    }
  }

  /** One float32 scalar per sample: a copy of {@code samples}, shape {@code (n,)}. */
  public static HostArray of(float[] samples) {
    return ofFloats(Shape.of(samples.length), samples.clone());
  }

  /**
   * A copy of float32 rows (one feature vector per sample), shape {@code (n, width)}; the rows must
   * all have the same length.
   */
  public static HostArray of(float[][] samples) {
    return of(StdArrays.ndCopyOf(samples));
  }

  /**
   * A copy of float32 samples of shape {@code (n, d1, d2)}, for example sequences of vectors; the
   * nested arrays must not be ragged.
   */
  public static HostArray of(float[][][] samples) {
    return of(StdArrays.ndCopyOf(samples));
  }

  /**
   * One int32 value per sample (for example class ids): a copy of {@code samples}, shape {@code
   * (n,)}.
   */
  public static HostArray of(int[] samples) {
    return ofInts(Shape.of(samples.length), samples.clone());
  }

  /**
   * A copy of int32 rows (for example token or feature ids), shape {@code (n, width)}.
   *
   * @throws IllegalArgumentException if the rows differ in length
   */
  public static HostArray of(int[][] samples) {
    if (samples.length == 0) {
      return ofInts(Shape.of(0, 0), new int[0]);
    }
    int width = samples[0].length;
    int[] flat = new int[samples.length * width];
    for (int i = 0; i < samples.length; i++) {
      if (samples[i].length != width) {
        throw new IllegalArgumentException(
            "Ragged array: row 0 has " + width + " values, row " + i + " has " + samples[i].length);
      }
      System.arraycopy(samples[i], 0, flat, i * width, width);
    }
    return ofInts(Shape.of(samples.length, width), flat);
  }

  /** Copies any float, double, int or long NdArray (doubles become float32). */
  public static HostArray of(NdArray<?> array) {
    Shape s = array.shape();
    int n = Math.toIntExact(s.size());
    if (array instanceof FloatNdArray) {
      float[] v = new float[n];
      ((FloatNdArray) array).copyTo(DataBuffers.of(v, false, false));
      return ofFloats(s, v);
    }
    if (array instanceof IntNdArray) {
      int[] v = new int[n];
      ((IntNdArray) array).copyTo(DataBuffers.of(v, false, false));
      return ofInts(s, v);
    }
    if (array instanceof LongNdArray) {
      long[] v = new long[n];
      ((LongNdArray) array).copyTo(DataBuffers.of(v, false, false));
      return ofLongs(s, v);
    }
    if (array instanceof DoubleNdArray) {
      double[] d = new double[n];
      ((DoubleNdArray) array).copyTo(DataBuffers.of(d, false, false));
      float[] v = new float[n];
      for (int i = 0; i < n; i++) {
        v[i] = (float) d[i];
      }
      return ofFloats(s, v);
    }
    throw new IllegalArgumentException(
        "Unsupported array type "
            + array.getClass().getSimpleName()
            + ": expected float, double, int or long values");
  }

  /** The full shape, batch axis first. */
  public Shape shape() {
    return shape;
  }

  /** The number of samples (the batch axis). */
  public int count() {
    return (int) shape.size(0);
  }

  /** The Keras dtype of the stored values. */
  public String dtype() {
    return floats != null ? "float32" : ints != null ? "int32" : longs != null ? "int64" : "string";
  }

  /** The shape of one sample. */
  public Shape sampleShape() {
    long[] dims = Arrays.copyOfRange(shape.asArray(), 1, shape.numDimensions());
    return Shape.of(dims);
  }

  /** Rows {@code [from, to)} as a tensor of Keras dtype {@code dtype} (converting if needed). */
  public Tensor rows(int from, int to, String dtype) {
    int[] idx = new int[to - from];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = from + i;
    }
    return gather(idx, 0, idx.length, dtype);
  }

  /** Rows {@code order[from..to)} as a tensor of Keras dtype {@code dtype}. */
  public Tensor gather(int[] order, int from, int to, String dtype) {
    int n = to - from;
    Shape batch = Shape.of(n).append(sampleShape());
    if (strings != null || dtype.equals("string")) {
      if (strings == null || !dtype.equals("string")) {
        throw new IllegalArgumentException(
            "Cannot feed "
                + dtype()
                + " data to an input of dtype \""
                + dtype
                + "\": strings go only to string inputs, and string inputs take only strings");
      }
      byte[][] out = new byte[n * rowSize][];
      for (int i = 0; i < n; i++) {
        System.arraycopy(strings, order[from + i] * rowSize, out, i * rowSize, rowSize);
      }
      return TString.tensorOfBytes(batch, DataBuffers.ofObjects(out));
    }
    switch (dtype) {
      case "float32":
        {
          float[] out = new float[n * rowSize];
          for (int i = 0; i < n; i++) {
            copyRow(order[from + i], out, i * rowSize);
          }
          return TFloat32.tensorOf(batch, DataBuffers.of(out, true, false));
        }
      case "int32":
        {
          int[] out = new int[n * rowSize];
          for (int i = 0; i < n; i++) {
            copyRow(order[from + i], out, i * rowSize);
          }
          return TInt32.tensorOf(batch, DataBuffers.of(out, true, false));
        }
      case "int64":
        {
          long[] out = new long[n * rowSize];
          for (int i = 0; i < n; i++) {
            copyRow(order[from + i], out, i * rowSize);
          }
          return TInt64.tensorOf(batch, DataBuffers.of(out, true, false));
        }
      case "bool":
        {
          // As NumPy's astype(bool): nonzero is true.
          float[] values = new float[n * rowSize];
          for (int i = 0; i < n; i++) {
            copyRow(order[from + i], values, i * rowSize);
          }
          boolean[] out = new boolean[values.length];
          for (int i = 0; i < out.length; i++) {
            out[i] = values[i] != 0;
          }
          return TBool.tensorOf(batch, DataBuffers.of(out, true, false));
        }
      default:
        throw new IllegalArgumentException(
            "Cannot feed an input of dtype \""
                + dtype
                + "\": expected float32, int32, int64, bool or string");
    }
  }

  private void copyRow(int row, float[] out, int at) {
    int src = row * rowSize;
    if (floats != null) {
      System.arraycopy(floats, src, out, at, rowSize);
    } else if (ints != null) {
      for (int j = 0; j < rowSize; j++) {
        out[at + j] = ints[src + j];
      }
    } else {
      for (int j = 0; j < rowSize; j++) {
        out[at + j] = longs[src + j];
      }
    }
  }

  private void copyRow(int row, int[] out, int at) {
    int src = row * rowSize;
    if (ints != null) {
      System.arraycopy(ints, src, out, at, rowSize);
    } else if (floats != null) {
      for (int j = 0; j < rowSize; j++) {
        out[at + j] = (int) floats[src + j];
      }
    } else {
      for (int j = 0; j < rowSize; j++) {
        out[at + j] = Math.toIntExact(longs[src + j]);
      }
    }
  }

  private void copyRow(int row, long[] out, int at) {
    int src = row * rowSize;
    if (longs != null) {
      System.arraycopy(longs, src, out, at, rowSize);
    } else if (ints != null) {
      for (int j = 0; j < rowSize; j++) {
        out[at + j] = ints[src + j];
      }
    } else {
      for (int j = 0; j < rowSize; j++) {
        out[at + j] = (long) floats[src + j];
      }
    }
  }

  /** The value at flat index {@code i}, as a double (numbers only). */
  public double valueAt(long i) {
    int k = Math.toIntExact(i);
    if (strings != null) {
      throw new IllegalStateException("String data has no numeric values");
    }
    return floats != null ? floats[k] : ints != null ? ints[k] : longs[k];
  }
}

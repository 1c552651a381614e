package io.jkeras.cli;

import io.jkeras.backend.HostArray;
import io.jkeras.io.NpyArray;
import org.tensorflow.ndarray.BooleanNdArray;
import org.tensorflow.ndarray.DoubleNdArray;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.IntNdArray;
import org.tensorflow.ndarray.LongNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/** Conversions between NumPy arrays read from {@code .npy} files and jkeras/TensorFlow arrays. */
final class NpyArrays {

  private NpyArrays() {}

  /**
   * For a jkeras model input of Keras dtype {@code dtype}: an integer input takes only whole,
   * finite numbers (as Keras refuses NaN or 3.7 for an id), converted exactly; float inputs take
   * any numbers as float32.
   *
   * @throws ArithmeticException naming the first element an integer input cannot take
   */
  static HostArray toHost(NpyArray a, String dtype) {
    Shape s = Shape.of(a.shape());
    if (dtype.equals("string") || a.isStrings()) {
      return HostArray.ofStrings(s, strings(a, dtype));
    }
    switch (dtype) {
      case "int32":
        return HostArray.ofInts(s, a.asInts());
      case "int64":
        return HostArray.ofLongs(s, a.asLongs());
      default:
        if (a.dtype().equals("int32")) {
          return HostArray.ofInts(s, a.asInts());
        }
        if (a.dtype().equals("int64")) {
          return HostArray.ofLongs(s, a.asLongs());
        }
        return HostArray.ofFloats(s, a.asFloats());
    }
  }

  /** The byte strings of a NumPy {@code <U}/{@code |S} array, for a string input. */
  private static byte[][] strings(NpyArray a, String dtype) {
    if (!dtype.equals("string")) {
      throw new Arguments.UsageException(
          "the model takes dtype " + dtype + ", but the .npy file holds " + a.dtype() + " text");
    }
    if (!a.isStrings()) {
      throw new Arguments.UsageException(
          "the model takes strings, but the .npy file holds "
              + a.dtype()
              + " numbers (save text with x.astype(str) or x.astype(bytes))");
    }
    return a.asStrings();
  }

  /** For a SavedModel input of Keras dtype {@code dtype}. */
  static NdArray<?> toNd(NpyArray a, String dtype) {
    Shape s = Shape.of(a.shape());
    if (dtype.equals("string") || a.isStrings()) {
      return NdArrays.wrap(s, DataBuffers.ofObjects(strings(a, dtype)));
    }
    switch (dtype) {
      case "float32":
        return NdArrays.wrap(s, DataBuffers.of(a.asFloats(), true, false));
      case "float64":
        return NdArrays.wrap(s, DataBuffers.of(a.asDoubles(), true, false));
      case "int32":
        return NdArrays.wrap(s, DataBuffers.of(a.asInts(), true, false));
      case "int64":
        return NdArrays.wrap(s, DataBuffers.of(a.asLongs(), true, false));
      case "bool":
        return NdArrays.wrap(s, DataBuffers.of(a.asBooleans(), true, false));
      default:
        throw new Arguments.UsageException(
            "the model takes dtype " + dtype + ", which .npy input cannot feed");
    }
  }

  static NpyArray fromNd(NdArray<?> x) {
    long[] shape = x.shape().asArray();
    int n = Math.toIntExact(x.size());
    if (x instanceof FloatNdArray) {
      float[] v = new float[n];
      ((FloatNdArray) x).copyTo(DataBuffers.of(v, false, false));
      return NpyArray.ofFloats(shape, v);
    }
    if (x instanceof DoubleNdArray) {
      double[] v = new double[n];
      ((DoubleNdArray) x).copyTo(DataBuffers.of(v, false, false));
      return NpyArray.ofDoubles(shape, v);
    }
    if (x instanceof IntNdArray) {
      int[] v = new int[n];
      ((IntNdArray) x).copyTo(DataBuffers.of(v, false, false));
      return NpyArray.ofInts(shape, v);
    }
    if (x instanceof LongNdArray) {
      long[] v = new long[n];
      ((LongNdArray) x).copyTo(DataBuffers.of(v, false, false));
      return NpyArray.ofLongs(shape, v);
    }
    if (x instanceof BooleanNdArray) {
      boolean[] v = new boolean[n];
      ((BooleanNdArray) x).copyTo(DataBuffers.of(v, false, false));
      return NpyArray.ofBooleans(shape, v);
    }
    throw new IllegalStateException("Unsupported output array " + x.getClass().getSimpleName());
  }
}

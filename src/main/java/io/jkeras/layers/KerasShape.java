package io.jkeras.layers;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.ndarray.Shape;

/**
 * Shapes as Keras writes them: {@code (None, 100)} in messages and summaries, {@code [null, 100]}
 * in configs. An unknown dimension (the batch) is {@link Shape#UNKNOWN_SIZE}.
 *
 * <pre>{@code
 * KerasShape.format(Shape.of(-1, 100));     // "(None, 100)"
 * KerasShape.toConfig(Shape.of(-1, 100));   // [null, 100]
 * }</pre>
 */
public final class KerasShape {

  private KerasShape() {}

  /** {@code (None, 100, 50)}; a rank-1 shape is written {@code (5,)} as in Python. */
  public static String format(Shape shape) {
    if (shape.isUnknown()) {
      return "<unknown rank>";
    }
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.numDimensions(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      long d = shape.size(i);
      sb.append(d < 0 ? "None" : Long.toString(d));
    }
    if (shape.numDimensions() == 1) {
      sb.append(',');
    }
    return sb.append(')').toString();
  }

  /** The config form: a list with {@code null} for unknown dimensions. */
  public static List<Object> toConfig(Shape shape) {
    List<Object> out = new ArrayList<>();
    for (long d : shape.asArray()) {
      out.add(d < 0 ? null : d);
    }
    return out;
  }

  /** Reads the config form back; {@code null} entries become unknown dimensions. */
  public static Shape fromConfig(List<?> dims) {
    long[] out = new long[dims.size()];
    for (int i = 0; i < out.length; i++) {
      Object d = dims.get(i);
      out[i] = d == null ? Shape.UNKNOWN_SIZE : ((Number) d).longValue();
    }
    return Shape.of(out);
  }

  /** {@code (None, d1, d2...)}: a batch of samples of the given shape. */
  public static Shape batchOf(long... sampleShape) {
    return Shape.of(Shape.UNKNOWN_SIZE).append(Shape.of(sampleShape));
  }

  /** The shape without its first (batch) dimension. */
  public static long[] sampleDims(Shape shape) {
    long[] all = shape.asArray();
    long[] out = new long[all.length - 1];
    System.arraycopy(all, 1, out, 0, out.length);
    return out;
  }
}

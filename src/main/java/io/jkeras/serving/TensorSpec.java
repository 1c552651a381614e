package io.jkeras.serving;

import java.util.Arrays;

/**
 * What a signature expects of one input or promises of one output (TensorFlow's {@code
 * TensorInfo}).
 *
 * <pre>{@code
 * // a batch of any size of 3-vectors of floats
 * TensorSpec x = new TensorSpec("serving_default_x:0", "DT_FLOAT", new long[] {-1, 3});
 * }</pre>
 *
 * @param name the graph tensor name, for example {@code serving_default_x:0}
 * @param dtype TensorFlow's enum name: {@code DT_FLOAT}, {@code DT_DOUBLE}, {@code DT_INT32},
 *     {@code DT_INT64}, {@code DT_BOOL}, {@code DT_UINT8}, {@code DT_STRING} (others are reported
 *     in metadata but cannot be fed)
 * @param shape dimension sizes with {@code -1} for an unknown size, dimension 0 being the batch;
 *     {@code null} when even the rank is unknown
 */
public record TensorSpec(String name, String dtype, long[] shape) {

  /** True when the rank is known. */
  public boolean hasRank() {
    return shape != null;
  }

  /** A copy of the shape, or null when the rank is unknown. */
  @Override
  public long[] shape() {
    return shape == null ? null : shape.clone();
  }

  /** The shape as TensorFlow Serving prints it, e.g. {@code [-1, 3]} or {@code <unknown>}. */
  public String shapeString() {
    return shape == null ? "<unknown rank>" : Arrays.toString(shape);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorSpec t
        && t.name.equals(name)
        && t.dtype.equals(dtype)
        && Arrays.equals(t.shape, shape);
  }

  @Override
  public int hashCode() {
    return (name.hashCode() * 31 + dtype.hashCode()) * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return "TensorSpec[" + name + ", " + dtype + ", " + shapeString() + "]";
  }
}

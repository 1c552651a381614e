package io.jkeras.layers;

import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.ndarray.Shape;

/**
 * What a layer accepts as input, checked each time the layer is called (Keras's {@code InputSpec}):
 * an exact rank, a minimum or maximum rank, and fixed sizes on some axes.
 *
 * <pre>{@code
 * setInputSpec(InputSpec.minRank(2).withAxis(-1, inputDim));
 * }</pre>
 */
public final class InputSpec {

  private final Integer rank;
  private final Integer minRank;
  private final Integer maxRank;
  private final Map<Integer, Long> axes;

  private InputSpec(Integer rank, Integer minRank, Integer maxRank, Map<Integer, Long> axes) {
    this.rank = rank;
    this.minRank = minRank;
    this.maxRank = maxRank;
    this.axes = axes;
  }

  /** Inputs of exactly {@code rank} axes, batch axis included. */
  public static InputSpec rank(int rank) {
    return new InputSpec(rank, null, null, Map.of());
  }

  /** Inputs of at least {@code minRank} axes, batch axis included. */
  public static InputSpec minRank(int minRank) {
    return new InputSpec(null, minRank, null, Map.of());
  }

  /** Inputs of {@code minRank} to {@code maxRank} axes (both inclusive), batch axis included. */
  public static InputSpec rankBetween(int minRank, int maxRank) {
    return new InputSpec(null, minRank, maxRank, Map.of());
  }

  /**
   * The same spec, also requiring {@code axis} (negative counts from the end) to be {@code size}.
   */
  public InputSpec withAxis(int axis, long size) {
    Map<Integer, Long> more = new TreeMap<>(axes);
    more.put(axis, size);
    return new InputSpec(rank, minRank, maxRank, Map.copyOf(more));
  }

  /**
   * Throws {@link IllegalArgumentException} naming the layer, the expectation and the actual shape
   * when {@code shape} does not satisfy this spec.
   */
  public void check(String layerName, int inputIndex, Shape shape) {
    if (shape.isUnknown()) {
      return;
    }
    int n = shape.numDimensions();
    String prefix =
        "Input " + inputIndex + " of layer \"" + layerName + "\" is incompatible with the layer: ";
    String actual = ", but received input with shape " + KerasShape.format(shape);
    if (rank != null && n != rank) {
      throw new IllegalArgumentException(
          prefix + "expected ndim=" + rank + ", found ndim=" + n + actual);
    }
    if (minRank != null && n < minRank) {
      throw new IllegalArgumentException(
          prefix + "expected min_ndim=" + minRank + ", found ndim=" + n + actual);
    }
    if (maxRank != null && n > maxRank) {
      throw new IllegalArgumentException(
          prefix + "expected max_ndim=" + maxRank + ", found ndim=" + n + actual);
    }
    for (Map.Entry<Integer, Long> e : axes.entrySet()) {
      int axis = e.getKey() < 0 ? n + e.getKey() : e.getKey();
      if (axis < 0 || axis >= n) {
        throw new IllegalArgumentException(
            prefix + "expected an axis " + e.getKey() + " of size " + e.getValue() + actual);
      }
      long size = shape.size(axis);
      if (size >= 0 && size != e.getValue()) {
        throw new IllegalArgumentException(
            prefix
                + "expected axis "
                + e.getKey()
                + " of input shape to have value "
                + e.getValue()
                + actual);
      }
    }
  }
}

package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Joins several inputs along one axis, as Keras's {@code keras.layers.Concatenate}.
 *
 * <p>Argument: {@code axis} (-1, the last, by default). Shapes: every input has the same shape
 * except along {@code axis}; the output's size there is the sum of the inputs'.
 *
 * <pre>{@code
 * KerasTensor both = new Concatenate().apply(left, right);
 * }</pre>
 */
public class Concatenate extends Layer {

  private final int axis;

  /** Concatenates along the last axis, with an automatic name. */
  public Concatenate() {
    this(-1, null);
  }

  /**
   * Concatenates along {@code axis} (negative counts from the end).
   *
   * @param name the layer name, or null for an automatic one
   */
  public Concatenate(int axis, String name) {
    super(name);
    this.axis = axis;
  }

  /** The axis the inputs are joined along (negative counts from the end). */
  public int axis() {
    return axis;
  }

  /** A Concatenate layer from its Keras config: {@code axis} (-1 when absent). */
  public static Concatenate fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("Concatenate", config);
    String name = c.name();
    int axis = c.intOrSingleton("axis", -1);
    c.requireFloat32Dtype();
    return c.finish(new Concatenate(axis, name));
  }

  @Override
  protected void build(List<Shape> inputShapes) {
    computeOutputShape(inputShapes);
  }

  @Override
  public List<Shape> computeOutputShape(List<Shape> inputShapes) {
    if (inputShapes.size() < 2) {
      throw new IllegalArgumentException(
          "Layer \""
              + name()
              + "\" (Concatenate) needs at least 2 inputs, got "
              + inputShapes.size());
    }
    int rank = inputShapes.get(0).numDimensions();
    int a = axis < 0 ? rank + axis : axis;
    if (a < 0 || a >= rank) {
      throw new IllegalArgumentException(
          "Layer \""
              + name()
              + "\" (Concatenate): axis "
              + axis
              + " is out of range for inputs"
              + " of rank "
              + rank);
    }
    long[] out = inputShapes.get(0).asArray();
    for (int i = 1; i < inputShapes.size(); i++) {
      Shape s = inputShapes.get(i);
      boolean ok = s.numDimensions() == rank;
      for (int d = 0; ok && d < rank; d++) {
        if (d != a && s.size(d) >= 0 && out[d] >= 0 && s.size(d) != out[d]) {
          ok = false;
        }
      }
      if (!ok) {
        throw new IllegalArgumentException(
            "Layer \""
                + name()
                + "\" (Concatenate): inputs must match except on axis "
                + axis
                + "; got "
                + inputShapes.stream().map(KerasShape::format).toList());
      }
      out[a] = out[a] < 0 || s.size(a) < 0 ? Shape.UNKNOWN_SIZE : out[a] + s.size(a);
    }
    return List.of(Shape.of(out));
  }

  /** Concatenate keeps masks: see {@link #computeMask}. */
  @Override
  public boolean supportsMasking() {
    return true;
  }

  /**
   * As Keras: when any input has a mask, each input's mask broadcast over its features (all true
   * for an input without one) is concatenated along {@code axis}, then reduced with "any" over the
   * last axis.
   */
  @Override
  protected Operand<org.tensorflow.types.TBool> computeMask(
      Ops tf, List<Operand<?>> inputs, List<Operand<org.tensorflow.types.TBool>> masks) {
    if (masks.stream().allMatch(java.util.Objects::isNull)) {
      return null;
    }
    List<Operand<org.tensorflow.types.TBool>> full = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      Operand<?> x = inputs.get(i);
      Operand<org.tensorflow.types.TBool> m = masks.get(i);
      if (m == null) {
        full.add(tf.fill(tf.shape(x), tf.constant(true)));
      } else if (m.shape().numDimensions() < x.shape().numDimensions()) {
        full.add(tf.broadcastTo(tf.expandDims(m, tf.constant(-1)), tf.shape(x)));
      } else {
        full.add(m);
      }
    }
    return tf.reduceAny(tf.concat(full, tf.constant(axis)), tf.constant(-1));
  }

  @Override
  protected List<Operand<?>> call(Ops tf, List<Operand<?>> inputs, boolean training) {
    List<Operand<TFloat32>> floats = new ArrayList<>();
    for (Operand<?> x : inputs) {
      floats.add(io.jkeras.backend.DTypes.toFloat(tf, x));
    }
    return List.of(tf.concat(floats, tf.constant(axis)));
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("axis", axis);
    return config;
  }
}

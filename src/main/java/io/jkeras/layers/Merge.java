package io.jkeras.layers;

import io.jkeras.backend.DTypes;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The base of Keras's element-wise merge layers ({@link Add}, {@link Subtract}, {@link Multiply},
 * {@link Average}, {@link Maximum}, {@link Minimum}), as Keras 3's {@code Merge}: the inputs
 * broadcast against each other NumPy-style after the batch axis, and an input of lower rank is
 * first expanded at axis 1 until the ranks agree.
 *
 * <p>A subclass gives the element-wise function in {@link #merge}; its config is the base layer's.
 *
 * <pre>{@code
 * KerasTensor sum = new Add().apply(a, b);
 * }</pre>
 */
public abstract class Merge extends Layer {

  /** For subclasses: a merge layer named {@code name} (null for an automatic name). */
  protected Merge(String name) {
    super(name);
  }

  /** Combines the inputs, already brought to one rank; they broadcast element-wise. */
  protected abstract Operand<TFloat32> merge(Ops tf, List<Operand<TFloat32>> inputs);

  /** The number of inputs the layer takes, or -1 for "one or more" (checked at build time). */
  protected int requiredInputs() {
    return -1;
  }

  @Override
  protected void build(List<Shape> inputShapes) {
    computeOutputShape(inputShapes);
  }

  @Override
  public List<Shape> computeOutputShape(List<Shape> inputShapes) {
    int required = requiredInputs();
    if (required > 0 && inputShapes.size() != required) {
      throw new IllegalArgumentException(
          "Layer \""
              + name()
              + "\" ("
              + className()
              + ") should be called on exactly "
              + required
              + " inputs, got "
              + inputShapes.size());
    }
    long batch = Shape.UNKNOWN_SIZE;
    long[] out = null;
    for (Shape s : inputShapes) {
      if (s.numDimensions() < 1) {
        throw new IllegalArgumentException(
            "Layer \""
                + name()
                + "\" ("
                + className()
                + "): inputs need a batch axis, got a scalar");
      }
      long b = s.size(0);
      if (b >= 0 && batch >= 0 && b != batch) {
        throw incompatible(inputShapes);
      }
      batch = batch >= 0 ? batch : b;
      long[] sample = KerasShape.sampleDims(s);
      out = out == null ? sample : broadcast(out, sample, inputShapes);
    }
    return List.of(Shape.of(batch).append(Shape.of(out)));
  }

  /** NumPy broadcasting of two sample shapes, aligned on the right; -1 is "unknown". */
  private long[] broadcast(long[] a, long[] b, List<Shape> all) {
    long[] longer = a.length >= b.length ? a : b;
    long[] shorter = a.length >= b.length ? b : a;
    long[] out = longer.clone();
    int offset = longer.length - shorter.length;
    for (int i = 0; i < shorter.length; i++) {
      long x = longer[offset + i];
      long y = shorter[i];
      if (x < 0 || y < 0) {
        out[offset + i] = Shape.UNKNOWN_SIZE;
      } else if (x == 1) {
        out[offset + i] = y;
      } else if (y != 1 && x != y) {
        throw incompatible(all);
      }
    }
    return out;
  }

  private IllegalArgumentException incompatible(List<Shape> shapes) {
    return new IllegalArgumentException(
        "Layer \""
            + name()
            + "\" ("
            + className()
            + "): inputs have incompatible shapes "
            + shapes.stream().map(KerasShape::format).toList()
            + "; expected equal batch sizes and sample shapes that broadcast");
  }

  @Override
  protected List<Operand<?>> call(Ops tf, List<Operand<?>> inputs, boolean training) {
    int rank = 0;
    for (Operand<?> x : inputs) {
      rank = Math.max(rank, x.shape().numDimensions());
    }
    List<Operand<TFloat32>> same = new ArrayList<>();
    for (Operand<?> x : inputs) {
      Operand<TFloat32> f = DTypes.toFloat(tf, x);
      for (int r = f.shape().numDimensions(); r < rank; r++) {
        f = tf.expandDims(f, tf.constant(1));
      }
      same.add(f);
    }
    return List.of(merge(tf, same));
  }
}

package io.jkeras.layers;

import io.jkeras.backend.DTypes;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * The base of Keras's element-wise merge layers ({@link Add}, {@link Subtract}, {@link Multiply},
 * {@link Average}, {@link Maximum}, {@link Minimum}), as Keras 3's {@code Merge}: the inputs
 * broadcast against each other NumPy-style after the batch axis, and an input of lower rank is
 * first expanded at axis 1 until the ranks agree.
 *
 * <p>A subclass gives the element-wise function in {@link #merge}; its config is the base layer's.
 *
 * <p>Masks, as in Keras: the output is masked where any input is unmasked (the inputs' masks ORed)
 * when every input has a mask, and unmasked otherwise. Multiply, Maximum and Minimum also let the
 * masks change the values ({@link #merge(Ops, List, List)}).
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

  /**
   * Combines the inputs given their Keras masks (null entries: no mask), each already broadcast to
   * its input's shape; by default the masks do not change the values.
   *
   * <pre>{@code
   * @Override
   * protected Operand<TFloat32> merge(Ops tf, List<Operand<TFloat32>> xs, List<Operand<TBool>> ms) {
   *   ...
   * }
   * }</pre>
   */
  protected Operand<TFloat32> merge(
      Ops tf, List<Operand<TFloat32>> inputs, List<Operand<TBool>> masks) {
    return merge(tf, inputs);
  }

  /** Merge layers keep masks (see the class comment). */
  @Override
  public boolean supportsMasking() {
    return true;
  }

  /** The inputs' masks ORed when every input has one, else none (Keras's Merge.compute_mask). */
  @Override
  protected Operand<TBool> computeMask(
      Ops tf, List<Operand<?>> inputs, List<Operand<TBool>> masks) {
    Operand<TBool> out = null;
    for (Operand<TBool> m : masks) {
      if (m == null) {
        return null;
      }
      out = out == null ? m : tf.math.logicalOr(out, m);
    }
    return out;
  }

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
  protected List<Operand<?>> call(
      Ops tf, List<Operand<?>> inputs, List<Operand<TBool>> masks, boolean training) {
    int rank = 0;
    for (Operand<?> x : inputs) {
      rank = Math.max(rank, x.shape().numDimensions());
    }
    List<Operand<TFloat32>> same = new ArrayList<>();
    List<Operand<TBool>> fullMasks = new ArrayList<>();
    boolean anyMask = false;
    for (int i = 0; i < inputs.size(); i++) {
      Operand<TFloat32> f = DTypes.toFloat(tf, inputs.get(i));
      for (int r = f.shape().numDimensions(); r < rank; r++) {
        f = tf.expandDims(f, tf.constant(1));
      }
      same.add(f);
      Operand<TBool> m = masks.get(i);
      if (m != null && m.shape().numDimensions() == f.shape().numDimensions() - 1) {
        m = tf.broadcastTo(tf.expandDims(m, tf.constant(-1)), tf.shape(f));
        anyMask = true;
      } else {
        m = null;
      }
      fullMasks.add(m);
    }
    return List.of(anyMask ? merge(tf, same, fullMasks) : merge(tf, same));
  }

  /**
   * Keras's merge of Maximum and Minimum under masks: a masked step of one input takes the other
   * inputs' value before {@code op} applies.
   */
  static Operand<TFloat32> mergeMaskedPairwise(
      Ops tf,
      List<Operand<TFloat32>> inputs,
      List<Operand<TBool>> masks,
      java.util.function.BinaryOperator<Operand<TFloat32>> op) {
    Operand<TFloat32> out = inputs.get(0);
    Operand<TBool> outMask = masks.get(0);
    for (int i = 1; i < inputs.size(); i++) {
      Operand<TFloat32> x = inputs.get(i);
      Operand<TBool> m = masks.get(i);
      if (m != null) {
        x = tf.select(m, x, out);
      }
      if (outMask != null) {
        out = tf.select(outMask, out, x);
      }
      outMask = m != null && outMask != null ? tf.math.logicalOr(outMask, m) : null;
      out = op.apply(out, x);
    }
    return out;
  }
}

package io.jkeras.losses;

import io.jkeras.config.ConfigReader;
import java.util.List;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Shared pieces of the losses: label alignment, logits recovery, clipping, last-axis means. */
final class LossTerms {

  /** Keras's global epsilon. */
  static final float EPSILON = 1e-7f;

  private LossTerms() {}

  /**
   * {y, p} as Keras's {@code LossFunctionWrapper.call} passes them to the loss function: when the
   * ranks differ by one and the longer ends in an axis of size 1, that axis is dropped (or, against
   * a rank-1 array, the same axis is added to it); sparse labels of the predictions' rank then lose
   * a trailing axis of size 1, as Keras's {@code sparse_categorical_crossentropy} does.
   */
  static List<Operand<TFloat32>> sameRank(
      Ops tf, Operand<TFloat32> y, Operand<TFloat32> p, boolean sparse) {
    int ry = y.shape().numDimensions();
    int rp = p.shape().numDimensions();
    if (ry == rp + 1 && y.shape().size(ry - 1) == 1) {
      if (rp == 1) {
        p = tf.expandDims(p, tf.constant(-1));
      } else {
        y = squeezeLast(tf, y);
      }
    } else if (rp == ry + 1 && p.shape().size(rp - 1) == 1) {
      if (ry == 1) {
        y = tf.expandDims(y, tf.constant(-1));
      } else {
        p = squeezeLast(tf, p);
      }
    }
    ry = y.shape().numDimensions();
    if (sparse && ry == p.shape().numDimensions() && ry > 0 && y.shape().size(ry - 1) == 1) {
      y = squeezeLast(tf, y);
    }
    return List.of(y, p);
  }

  /**
   * Keras's {@code axis} argument as a config holds it: null, one axis (an integer) or a list of
   * axes.
   */
  static Object axisArgument(ConfigReader c) {
    Object v = c.raw("axis");
    Long one = ConfigReader.integral(v);
    if (one != null && one == one.intValue()) {
      return one.intValue();
    }
    return c.optionalInts("axis");
  }

  /** The axes of an {@link #axisArgument}: null for all, else a list. */
  static List<Integer> axes(Object axisArgument) {
    if (axisArgument instanceof Integer a) {
      return List.of(a);
    }
    @SuppressWarnings("unchecked")
    List<Integer> list = (List<Integer>) axisArgument;
    return list == null ? null : List.copyOf(list);
  }

  /** The sum of {@code x} over {@code axes} (negative count from the end), or over all if null. */
  static Operand<TFloat32> sumOver(Ops tf, Operand<TFloat32> x, List<Integer> axes) {
    if (axes == null) {
      return tf.sum(x, tf.range(tf.constant(0), tf.rank(x), tf.constant(1)));
    }
    int[] a = axes.stream().mapToInt(Integer::intValue).toArray();
    return tf.sum(x, tf.constant(a));
  }

  private static Operand<TFloat32> squeezeLast(Ops tf, Operand<TFloat32> x) {
    return tf.squeeze(x, Squeeze.axis(List.of((long) x.shape().numDimensions() - 1)));
  }

  /**
   * The logits behind {@code output} when it is the output of a single {@code opType} op (Sigmoid,
   * Softmax), else null: Keras's TF backend computes cross-entropy from those logits, which is
   * exact and free of clipping.
   */
  @SuppressWarnings("unchecked")
  static Operand<TFloat32> logitsOf(Operand<TFloat32> output, String opType) {
    Operation op = output.op();
    if (op instanceof GraphOperation && op.type().equals(opType)) {
      return (Operand<TFloat32>) ((GraphOperation) op).input(0);
    }
    return null;
  }

  /**
   * {@code -(y log sigmoid(x) + (1 - y) log(1 - sigmoid(x)))} computed stably from logits x as
   * {@code max(x, 0) - x y + log(1 + exp(-|x|))}.
   */
  static Operand<TFloat32> sigmoidCrossEntropy(Ops tf, Operand<TFloat32> y, Operand<TFloat32> x) {
    return tf.math.add(
        tf.math.sub(tf.math.maximum(x, tf.constant(0f)), tf.math.mul(x, y)),
        tf.math.log1p(tf.math.exp(tf.math.neg(tf.math.abs(x)))));
  }

  /**
   * {@code -sum(labels * log softmax(logits))} along {@code axis}, as TensorFlow's {@code
   * tf.nn.softmax_cross_entropy_with_logits}: the kernel takes (rows, classes), so the class axis
   * is moved last, the other axes are flattened into rows, and the losses take their shape back.
   */
  static Operand<TFloat32> softmaxCrossEntropy(
      Ops tf, Operand<TFloat32> labels, Operand<TFloat32> logits, int axis) {
    int rank = logits.shape().numDimensions();
    int classAxis = axis < 0 ? axis + rank : axis;
    if (rank < 1 || (rank == 2 && classAxis == 1)) {
      return tf.nn.softmaxCrossEntropyWithLogits(logits, labels).loss();
    }
    if (classAxis != rank - 1) {
      int[] order = new int[rank];
      for (int i = 0, j = 0; i < rank; i++) {
        if (i != classAxis) {
          order[j++] = i;
        }
      }
      order[rank - 1] = classAxis;
      logits = tf.linalg.transpose(logits, tf.constant(order));
      labels = tf.linalg.transpose(labels, tf.constant(order));
    }
    Operand<TInt32> shape = tf.shape(logits);
    Operand<TInt32> classes = tf.gather(shape, tf.constant(new int[] {rank - 1}), tf.constant(0));
    Operand<TInt32> rows = tf.concat(List.of(tf.constant(new int[] {-1}), classes), tf.constant(0));
    Operand<TFloat32> loss =
        tf.nn
            .softmaxCrossEntropyWithLogits(tf.reshape(logits, rows), tf.reshape(labels, rows))
            .loss();
    Operand<TInt32> leading =
        tf.slice(shape, tf.constant(new int[] {0}), tf.constant(new int[] {rank - 1}));
    return tf.reshape(loss, leading);
  }

  static Operand<TFloat32> clip(Ops tf, Operand<TFloat32> p) {
    return tf.clipByValue(p, tf.constant(EPSILON), tf.constant(1f - EPSILON));
  }

  static Operand<TFloat32> meanLastAxis(Ops tf, Operand<TFloat32> x) {
    return tf.math.mean(x, tf.constant(-1), Mean.keepDims(false));
  }

  /** Labels for hinge losses: when every label is 0 or 1, {@code 2y - 1}; else unchanged. */
  static Operand<TFloat32> hingeLabels(Ops tf, Operand<TFloat32> y) {
    Operand<org.tensorflow.types.TBool> binary =
        tf.reduceAll(
            tf.math.logicalOr(tf.math.equal(y, tf.constant(0f)), tf.math.equal(y, tf.constant(1f))),
            tf.range(tf.constant(0), tf.rank(y), tf.constant(1)));
    return tf.select(binary, tf.math.sub(tf.math.mul(tf.constant(2f), y), tf.constant(1f)), y);
  }

  /** Categorical label smoothing: {@code y (1 - s) + s / classes}, classes the last dimension. */
  static Operand<TFloat32> smoothCategorical(Ops tf, Operand<TFloat32> y, double smoothing) {
    if (smoothing == 0) {
      return y;
    }
    Operand<TFloat32> classes =
        tf.dtypes.cast(
            tf.gather(tf.shape(y), tf.math.sub(tf.rank(y), tf.constant(1)), tf.constant(0)),
            TFloat32.class);
    return tf.math.add(
        tf.math.mul(y, tf.constant((float) (1 - smoothing))),
        tf.math.div(tf.constant((float) smoothing), classes));
  }

  /** Softmax along {@code axis}. */
  static Operand<TFloat32> softmax(Ops tf, Operand<TFloat32> logits, int axis) {
    Operand<TFloat32> shifted =
        tf.math.sub(
            logits,
            tf.reduceMax(
                logits, tf.constant(axis), org.tensorflow.op.core.ReduceMax.keepDims(true)));
    Operand<TFloat32> e = tf.math.exp(shifted);
    return tf.math.div(
        e, tf.reduceSum(e, tf.constant(axis), org.tensorflow.op.core.ReduceSum.keepDims(true)));
  }
}

package io.jkeras.backend;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.op.RawCustomGradient;
import org.tensorflow.op.core.BroadcastGradientArgs;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TInt32;

/**
 * Gradients jkeras registers with TensorFlow for ops that layers and losses emit and that
 * TensorFlow Java 1.1.0's C++ gradient registry lacks: {@code Erfc}, {@code Digamma}, {@code
 * MulNoNan}, {@code Xlogy}, {@code Xdivy}, {@code EuclideanNorm}, {@code
 * SparseSoftmaxCrossEntropyWithLogits}, {@code EnsureShape}, {@code IdentityN}, {@code
 * MatrixInverse}. Each is checked against finite differences by {@code GradientSweepTest}, on
 * weights and on inputs.
 *
 * <p>The formulas are the standard derivatives; inputs that carry no gradient (integer labels,
 * reduction axes) get zeros, since TensorFlow Java's adapter cannot pass "no gradient" back.
 * TensorFlow Java does not support registering gradients on Windows; there these ops keep having no
 * gradient and training through them throws {@link MissingGradientException}.
 */
@SuppressWarnings({"unchecked", "rawtypes"})
final class JkerasGradients {

  private static boolean registered;

  /**
   * How many custom gradients TensorFlow Java 1.1.0 holds: an eleventh registers without error and
   * then crashes the JVM (SIGSEGV in its native {@code CustomGradFunc}) the first time a graph
   * takes it (seen with a Conv3D gradient and with a fused-kernel gradient, docs/gradients.md).
   * jkeras uses all ten; a new one must replace one of them.
   */
  static final int SLOTS = 10;

  /** The custom gradients registered so far. */
  private static int slotsUsed;

  private JkerasGradients() {}

  static synchronized void registerOnce() {
    if (registered) {
      return;
    }
    registered = true;
    try {
      // registerCustomGradient returns false when TensorFlow already has a gradient for the op
      // (a later TensorFlow Java): its own is used then.
      register("Erfc", JkerasGradients::erfc);
      register("Digamma", JkerasGradients::digamma);
      register("MulNoNan", JkerasGradients::mulNoNan);
      register("Xlogy", JkerasGradients::xlogy);
      register("Xdivy", JkerasGradients::xdivy);
      register("EuclideanNorm", JkerasGradients::euclideanNorm);
      register("SparseSoftmaxCrossEntropyWithLogits", JkerasGradients::sparseSoftmaxCrossEntropy);
      register("EnsureShape", (tf, op, dy) -> List.of(dy.get(0)));
      register("IdentityN", (tf, op, dy) -> List.copyOf(dy));
      register("MatrixInverse", JkerasGradients::matrixInverse);
    } catch (UnsupportedOperationException e) {
      // Windows: no custom gradients; GraphGradients reports the missing gradient when needed.
    }
  }

  /**
   * The error of the last jkeras gradient that failed on this thread, reported by GraphGradients.
   */
  private static final ThreadLocal<RuntimeException> FAILURE = new ThreadLocal<>();

  /**
   * Registers {@code gradient} for {@code opType}, guarded: an exception thrown inside a gradient
   * function would unwind through TensorFlow's native code and kill the JVM, so it is caught, the
   * op's inputs get zeros (a well-formed answer for the native side) and {@link #takeFailure} hands
   * the error to {@link GraphGradients}, which throws it.
   */
  static synchronized void register(String opType, RawCustomGradient gradient) {
    if (slotsUsed == SLOTS) {
      throw new IllegalStateException(
          "cannot register a gradient for "
              + opType
              + ": TensorFlow Java 1.1.0 holds "
              + SLOTS
              + " custom gradients and jkeras uses all of them (an eleventh crashes the JVM when"
              + " used); replace one of JkerasGradients' instead");
    }
    boolean added =
        TensorFlow.registerCustomGradient(
            opType,
            (tf, op, dy) -> {
              try {
                return gradient.call(tf, op, dy);
              } catch (RuntimeException e) {
                if (FAILURE.get() == null) {
                  FAILURE.set(
                      new IllegalStateException(
                          "jkeras's gradient of op \""
                              + op.name()
                              + "\" ("
                              + opType
                              + ") failed: "
                              + e,
                          e));
                }
                List<Operand<?>> zeros = new ArrayList<>();
                for (int i = 0; i < op.numInputs(); i++) {
                  zeros.add(tf.zerosLike(op.input(i)));
                }
                return zeros;
              }
            });
    if (added) {
      slotsUsed++; // false: TensorFlow has its own gradient for the op, which takes no slot
    }
  }

  /** The failure of a jkeras gradient since the last call on this thread, or null; clears it. */
  static RuntimeException takeFailure() {
    RuntimeException e = FAILURE.get();
    FAILURE.remove();
    return e;
  }

  private static Operand scalar(Ops tf, double value, Operand like) {
    return tf.dtypes.cast(tf.constant(value), like.type());
  }

  /** d erfc(x) = -2 / sqrt(pi) * exp(-x^2) dx. */
  private static List<Operand<?>> erfc(Ops tf, GraphOperation op, List<Output<?>> dy) {
    Operand x = op.input(0);
    Operand slope =
        tf.math.mul(
            scalar(tf, -2 / Math.sqrt(Math.PI), x), tf.math.exp(tf.math.neg(tf.math.mul(x, x))));
    return List.of(tf.math.mul((Operand) dy.get(0), slope));
  }

  /** d digamma(x) = trigamma(x) dx = polygamma(1, x) dx. */
  private static List<Operand<?>> digamma(Ops tf, GraphOperation op, List<Output<?>> dy) {
    Operand x = op.input(0);
    return List.of(tf.math.mul((Operand) dy.get(0), tf.math.polygamma(scalar(tf, 1, x), x)));
  }

  /** z = x * y, 0 where y is 0: dz/dx = y (0 where y is 0), dz/dy = x (0 where the grad is 0). */
  private static List<Operand<?>> mulNoNan(Ops tf, GraphOperation op, List<Output<?>> dy) {
    Operand x = op.input(0);
    Operand y = op.input(1);
    Operand g = dy.get(0);
    return reduceToInputs(tf, x, y, tf.math.mulNoNan(g, y), tf.math.mulNoNan(x, g));
  }

  /** z = x * log(y), 0 where x is 0: dz/dx = log(y) where x != 0, dz/dy = x / y. */
  private static List<Operand<?>> xlogy(Ops tf, GraphOperation op, List<Output<?>> dy) {
    Operand x = op.input(0);
    Operand y = op.input(1);
    Operand g = dy.get(0);
    Operand nonZeroX = tf.dtypes.cast(tf.math.notEqual(x, scalar(tf, 0, x)), x.type());
    Operand dx = tf.math.mul(tf.math.mul(nonZeroX, tf.math.log(y)), g);
    Operand dyArg = tf.math.mul(tf.math.xdivy(x, y), g);
    return reduceToInputs(tf, x, y, dx, dyArg);
  }

  /** z = x / y, 0 where x is 0: dz/dx = 1 / y where x != 0, dz/dy = -x / y^2. */
  private static List<Operand<?>> xdivy(Ops tf, GraphOperation op, List<Output<?>> dy) {
    Operand x = op.input(0);
    Operand y = op.input(1);
    Operand g = dy.get(0);
    Operand nonZeroX = tf.dtypes.cast(tf.math.notEqual(x, scalar(tf, 0, x)), x.type());
    Operand dx = tf.math.mul(tf.math.div(nonZeroX, y), g);
    Operand dyArg = tf.math.mul(tf.math.xdivy(tf.math.neg(x), tf.math.mul(y, y)), g);
    return reduceToInputs(tf, x, y, dx, dyArg);
  }

  /** Sums each broadcast gradient over the axes its input was broadcast along. */
  private static List<Operand<?>> reduceToInputs(
      Ops tf, Operand x, Operand y, Operand gradX, Operand gradY) {
    Operand<TInt32> sx = tf.shape(x);
    Operand<TInt32> sy = tf.shape(y);
    BroadcastGradientArgs<TInt32> axes = tf.broadcastGradientArgs(sx, sy);
    return List.of(
        tf.reshape(tf.sum(gradX, axes.r0()), sx), tf.reshape(tf.sum(gradY, axes.r1()), sy));
  }

  /** n = sqrt(sum(x^2, axes)): dn/dx = x / n (0 where n is 0), broadcast back over the axes. */
  private static List<Operand<?>> euclideanNorm(Ops tf, GraphOperation op, List<Output<?>> dy) {
    Operand x = op.input(0);
    Operand axesIn = op.input(1);
    Operand norm = op.output(0);
    Operand<TInt32> shape = tf.shape(x);
    Operand<TInt32> rank = tf.rank(x);
    Operand<TInt32> axes =
        tf.reshape(
            tf.math.floorMod(
                tf.math.add(tf.dtypes.cast(axesIn, TInt32.class), rank), (Operand) rank),
            tf.constant(new int[] {-1, 1}));
    // The shape of the norm with the reduced axes kept as size 1.
    Operand<TInt32> kept =
        tf.tensorScatterNdUpdate(
            shape, axes, tf.onesLike(tf.reshape(axes, tf.constant(new int[] {-1}))));
    Operand slope = tf.math.divNoNan(x, tf.reshape(norm, kept));
    return List.of(tf.math.mul(tf.reshape((Operand) dy.get(0), kept), slope), tf.zerosLike(axesIn));
  }

  /**
   * The loss output's gradient is its upstream gradient times the op's own {@code backprop} output
   * (softmax minus one-hot labels); labels get none.
   */
  private static List<Operand<?>> sparseSoftmaxCrossEntropy(
      Ops tf, GraphOperation op, List<Output<?>> dy) {
    Operand backprop = op.output(1);
    Operand g = tf.expandDims((Operand) dy.get(0), tf.constant(-1));
    return List.of(tf.math.mul(g, backprop), tf.zerosLike(op.input(1)));
  }

  /** Y = A^-1: dA = -Y^T dY Y^T. */
  private static List<Operand<?>> matrixInverse(Ops tf, GraphOperation op, List<Output<?>> dy) {
    Operand inv = op.output(0);
    Operand left =
        tf.train.batchMatMul(inv, (Operand) dy.get(0), inv.type(), BatchMatMul.adjX(true));
    return List.of(
        tf.math.neg(tf.train.batchMatMul(left, inv, inv.type(), BatchMatMul.adjY(true))));
  }
}

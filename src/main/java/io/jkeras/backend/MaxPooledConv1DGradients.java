package io.jkeras.backend;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.op.sparse.SparseTensorDenseMatMul;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The gradients of a 1-D convolution whose only reader is a max over its steps (Conv1D, then
 * GlobalMaxPooling1D), computed from the steps that hold the maxima instead of from a dense output
 * gradient.
 *
 * <p>TensorFlow's gradient of {@code y[b, c] = max_t z[b, t, c]} is {@code dz[b, t, c] = dy[b, c] *
 * [z[b, t, c] == y[b, c]] / count[b, c]}, {@code count} the number of steps holding the maximum
 * (ties share the gradient). Written densely, that is a {@code (batch, steps, channels)} tensor of
 * which one value in {@code steps} is not zero, and the convolution's two gradients are then full
 * products over it. Here the steps holding each maximum are listed ({@code Where} of the equality,
 * ties included), and both gradients are products of that sparse {@code dz} with a dense matrix:
 * with {@code A[(b, t * stride + j), (j, c)] = dz[b, t, c]} over the taps {@code j},
 *
 * <ul>
 *   <li>the input gradient is {@code A . W'}, {@code W'[(j, c), i] = w[0, j, i, c]};
 *   <li>the filter gradient is {@code A^T . x'}, {@code x'} the input's rows {@code (b, p)}.
 * </ul>
 *
 * <p>Same sums as TensorFlow's, in another order. Where TensorFlow's dense form gives a non-finite
 * value (a NaN maximum, a non-finite output gradient, or a non-finite input or kernel that its
 * products multiply by zero), the form here gives NaN for the same sample's input gradient and the
 * same channel's filter gradient (every channel's for a non-finite input, every sample's for a
 * non-finite kernel), so a diverged step stays visibly diverged. Its size follows the number of
 * steps holding a maximum: when they average more than two per maximum (long tied stretches, such
 * as padding without dropout), TensorFlow's dense gradient runs instead, chosen per step by a
 * {@code Switch} and {@code Merge}, so a step never holds more than the {@code Where} list (three
 * indices per tied step) on top of what TensorFlow's form holds.
 *
 * <p>Measured on the IMDB convolution ((batch, 1, 100, 50) * (1, 3, 50, 250), the forward
 * convolution and max included, median of 15): 99-101 against 52-59 ms at batch 1024, 28 against
 * 14-16 ms at 256, 4.6-6.0 against 3.3-3.6 ms at 32. Whole IMDB epochs (10,240 reviews, 2,560
 * validated; both forms built in one process, epochs in turn, median of 6): FM 1.49 against 1.06 s
 * at batch 1024, 1.59 against 1.22 s at 256, 1.03 against 0.82 s at 32 (4,096 reviews); baseline
 * 1.45 against 1.01 s at 1024.
 *
 * <p>Matches a path {@code Conv2D} over one row (input {@code (batch, 1, steps, c)}, VALID, a step
 * stride no larger than the kernel, no dilation, float) read on the path only by a {@code Squeeze}
 * of that row, itself read on the path only by a {@code Max} over the steps, whose gradient
 * TensorFlow built in its usual form; anything else keeps TensorFlow's gradients. CPU builds only.
 */
final class MaxPooledConv1DGradients {

  private MaxPooledConv1DGradients() {}

  /** Replaces the gradients of every matching convolution of {@code path}. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static void rewrite(GraphSession g, Set<GraphOperation> path, Output<?>[] grads) {
    if (!GraphGradients.CpuBuild.AVAILABLE) {
      return;
    }
    for (GraphOperation conv : List.copyOf(path)) {
      GraphOperation max = maxOverSteps(conv, path);
      if (max == null) {
        continue;
      }
      // Matched before any is rewired: building a sparse form reroutes TensorFlow's.
      Map<GraphOperation, MaxGradient> matched = new LinkedHashMap<>();
      for (int index = 0; index < 2; index++) {
        String type = index == 0 ? "Conv2DBackpropFilter" : "Conv2DBackpropInput";
        for (GraphOperation grad : GraphGradients.convolutionGradients(conv, index, type, grads)) {
          MaxGradient dense = maxGradient(grad.input(2), (GraphOperation) max.input(0).op());
          if (dense != null) {
            matched.put(grad, dense);
          }
        }
      }
      // One sparse form per output gradient: a graph can hold the gradients of several losses.
      Map<Output<?>, Output<?>[]> forms = new HashMap<>();
      for (Map.Entry<GraphOperation, MaxGradient> e : matched.entrySet()) {
        GraphOperation grad = e.getKey();
        MaxGradient dense = e.getValue();
        Output<?>[] sparse =
            forms.computeIfAbsent(dense.dy(), d -> sparseGradients(g, conv, max, dense));
        // The sparse form or TensorFlow's, whichever branch ran.
        Ops tf = g.tf().withSubScope(g.uniqueScope(grad.name().replace('/', '_') + "_merge"));
        Output<?> mine = sparse[grad.type().equals("Conv2DBackpropInput") ? 0 : 1];
        Output<?> merged = tf.merge(List.of((Operand) mine, (Operand) grad.output(0))).output();
        GraphGradients.replace(g, grad.output(0), merged, grads);
      }
    }
  }

  /**
   * The path {@code Max} over the steps of {@code conv}'s output, or null when it does not match.
   */
  private static GraphOperation maxOverSteps(GraphOperation conv, Set<GraphOperation> path) {
    if (!conv.type().equals("Conv2D")
        || !conv.device().isEmpty()
        || conv.attributes().getAttrType("T") != DataType.DT_FLOAT
        || !conv.attributes().getAttrString("padding").equals("VALID")
        || !conv.attributes().getAttrString("data_format").equals("NHWC")) {
      return null;
    }
    long[] x = conv.input(0).shape().asArray();
    long[] w = conv.input(1).shape().asArray();
    long[] strides = conv.attributes().getAttrIntList("strides");
    if (x == null
        || w == null
        || x.length != 4
        || x[1] != 1
        || x[2] <= 0
        || x[3] <= 0
        || w[0] != 1
        || w[1] <= 0
        || w[3] <= 0
        || strides[0] != 1
        || strides[1] != 1
        || strides[2] > w[1]
        || strides[3] != 1) {
      return null;
    }
    for (long d : conv.attributes().getAttrIntList("dilations")) {
      if (d != 1) {
        return null;
      }
    }
    GraphOperation squeeze = onlyPathReader(conv, path, "Squeeze");
    if (squeeze == null
        || !List.of(1L).equals(axes(squeeze.attributes().getAttrIntList("squeeze_dims")))) {
      return null;
    }
    GraphOperation max = onlyPathReader(squeeze, path, "Max");
    if (max == null || !max.input(0).equals(squeeze.output(0)) || !reducesStepsOnly(max)) {
      return null;
    }
    return max;
  }

  private static List<Long> axes(long[] dims) {
    return Arrays.stream(dims).map(d -> Math.floorMod(d, 4)).boxed().toList();
  }

  /** The single path reader of {@code op}'s output, when it has type {@code type}. */
  private static GraphOperation onlyPathReader(
      GraphOperation op, Set<GraphOperation> path, String type) {
    GraphOperation found = null;
    for (GraphOperation reader : op.consumers(0)) {
      if (path.contains(reader)) {
        if (found != null && found != reader) {
          return null;
        }
        found = reader;
      }
    }
    return found != null && found.type().equals(type) && found.device().isEmpty() ? found : null;
  }

  /** Whether a {@code Max} of a (batch, steps, channels) tensor reduces exactly axis 1. */
  private static boolean reducesStepsOnly(GraphOperation max) {
    GraphOperation axes = (GraphOperation) max.input(1).op();
    if (!axes.type().equals("Const") || max.input(0).shape().numDimensions() != 3) {
      return false;
    }
    try (org.tensorflow.Tensor t = axes.attributes().getAttrTensor("value")) {
      if (t.shape().size() != 1) {
        return false;
      }
      var bytes = t.asRawTensor().data();
      long axis =
          t.dataType() == DataType.DT_INT64 ? bytes.asLongs().getLong(0) : bytes.asInts().getInt(0);
      return Math.floorMod(axis, 3) == 1;
    }
  }

  /** TensorFlow's gradient of a {@code Max}: the gradient of its output, and its first op. */
  private record MaxGradient(Output<?> dy, GraphOperation equal) {}

  /**
   * TensorFlow's gradient of the {@code Max}, when {@code dz} has the form its gradient of {@code
   * Max} then {@code Squeeze} gives: {@code Reshape(Mul(Div(Cast(Equal(y, z)), count),
   * Reshape(dy)))}, with {@code z} the output of {@code squeeze}. Null for any other form.
   */
  private static MaxGradient maxGradient(Output<?> dz, GraphOperation squeeze) {
    GraphOperation reshape = (GraphOperation) dz.op();
    if (!reshape.type().equals("Reshape")) {
      return null;
    }
    GraphOperation mul = (GraphOperation) reshape.input(0).op();
    if (!mul.type().equals("Mul")) {
      return null;
    }
    for (int s = 0; s < 2; s++) {
      GraphOperation div = (GraphOperation) mul.input(s).op();
      GraphOperation cast = div.type().equals("Div") ? (GraphOperation) div.input(0).op() : null;
      GraphOperation equal =
          cast != null && cast.type().equals("Cast") ? (GraphOperation) cast.input(0).op() : null;
      if (equal != null
          && equal.type().equals("Equal")
          && (equal.input(0).equals(squeeze.output(0))
              || equal.input(1).equals(squeeze.output(0)))) {
        return new MaxGradient(mul.input(1 - s), equal);
      }
    }
    return null;
  }

  /** The input and filter gradients of {@code conv} from the steps holding {@code max}'s values. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Output<?>[] sparseGradients(
      GraphSession g, GraphOperation conv, GraphOperation max, MaxGradient dense) {
    Output<?> dy = dense.dy();
    long[] xShape = conv.input(0).shape().asArray();
    long[] wShape = conv.input(1).shape().asArray();
    long steps = xShape[2];
    long in = xShape[3];
    long k = wShape[1];
    long f = wShape[3];
    long stride = conv.attributes().getAttrIntList("strides")[2];
    Ops tf = g.tf().withSubScope(g.uniqueScope(conv.name().replace('/', '_') + "_maxgrad"));
    Operand<TFloat32> x = (Operand) conv.input(0);
    Operand<TFloat32> w = (Operand) conv.input(1);
    Operand<TFloat32> z = (Operand) max.input(0);
    Operand<TFloat32> y = tf.reshape((Operand) max.output(0), tf.constant(new long[] {-1, 1, f}));

    // The (b, t, c) of every step holding its maximum, ties included, and dz there. Where runs on
    // one thread: two, one per half of the batch, run side by side.
    Operand<TInt64> batch = tf.gather(tf.shape(x, TInt64.class), tf.constant(0), tf.constant(0));
    Operand<TInt64> half = tf.math.floorDiv(batch, tf.constant(2L));
    List<Output<TBool>> halves =
        tf.splitV(
                tf.math.equal(z, y),
                tf.stack(List.of(half, tf.math.sub(batch, half))),
                tf.constant(0),
                2L)
            .output();
    Operand<TInt64> at =
        tf.concat(
            List.of(
                tf.where(halves.get(0)),
                tf.math.add(
                    tf.where(halves.get(1)),
                    tf.pad(
                        tf.reshape(half, tf.constant(new long[] {1, 1})),
                        tf.constant(new long[][] {{0, 0}, {0, 2}}),
                        tf.constant(0L)))),
            tf.constant(0));
    // Many tied steps (a constant stretch of input, such as padding, without dropout) make the
    // sparse form larger and slower than the dense one: past two steps per maximum on average,
    // TensorFlow's gradient runs instead. Switch passes a tensor to one branch; the other's ops do
    // not run.
    Operand<TBool> sparse =
        tf.math.lessEqual(
            tf.gather(tf.shape(at, TInt64.class), tf.constant(0), tf.constant(0)),
            tf.math.mul(batch, tf.constant(2 * f)));
    at = tf.switchCond(at, sparse).outputTrue();
    for (int i = 0; i < 2; i++) {
      GraphGradients.updateEdge(
          g.graph(),
          tf.switchCond((Operand) dense.equal().input(i), sparse).outputFalse(),
          dense.equal(),
          i);
    }
    List<Output<TInt64>> btc = tf.unstack(at, 3L, Unstack.axis(1L)).output();
    Operand<TInt64> bc = tf.math.add(tf.math.mul(btc.get(0), tf.constant(f)), btc.get(2));
    Operand<TFloat32> count =
        tf.math.unsortedSegmentSum(
            tf.fill(tf.shape(bc, TInt64.class), tf.constant(1f)),
            bc,
            tf.math.mul(batch, tf.constant(f)));
    // As TensorFlow: dy times the reciprocal of the count.
    Operand<TFloat32> scaled =
        tf.math.mul(
            tf.math.div(tf.constant(1f), count),
            tf.reshape((Operand) dy, tf.constant(new long[] {-1})));
    Operand<TFloat32> values = tf.gather(scaled, bc, tf.constant(0));

    // A: row b * steps + t * stride + j, column j * f + c, for each tap j.
    long[] taps = new long[(int) k];
    long[] tapColumns = new long[(int) k];
    for (int j = 0; j < k; j++) {
      taps[j] = j;
      tapColumns[j] = j * f;
    }
    Operand<TInt64> row =
        tf.math.add(
            tf.math.mul(btc.get(0), tf.constant(steps)),
            tf.math.mul(btc.get(1), tf.constant(stride)));
    Operand<TInt64> rows =
        tf.reshape(
            tf.math.add(tf.expandDims(row, tf.constant(1)), tf.constant(new long[][] {taps})),
            tf.constant(new long[] {-1}));
    Operand<TInt64> columns =
        tf.reshape(
            tf.math.add(
                tf.expandDims(btc.get(2), tf.constant(1)), tf.constant(new long[][] {tapColumns})),
            tf.constant(new long[] {-1}));
    Operand<TInt64> indices =
        tf.stack(List.of(rows, columns), org.tensorflow.op.core.Stack.axis(1L));
    Operand<TFloat32> a =
        tf.reshape(
            tf.tile(tf.expandDims(values, tf.constant(1)), tf.constant(new long[] {1, k})),
            tf.constant(new long[] {-1}));
    Operand<TInt64> aShape =
        tf.concat(
            List.of(
                tf.reshape(tf.math.mul(batch, tf.constant(steps)), tf.constant(new long[] {1})),
                tf.constant(new long[] {k * f})),
            tf.constant(0));

    // W'[(j, c), i] = w[0, j, i, c]; x'[(b, p), i] = x[b, 0, p, i].
    Operand<TFloat32> wRows =
        tf.reshape(
            tf.linalg.transpose(
                tf.reshape(w, tf.constant(new long[] {k, in, f})),
                tf.constant(new int[] {0, 2, 1})),
            tf.constant(new long[] {k * f, in}));
    Operand<TFloat32> xRows = tf.reshape(x, tf.constant(new long[] {-1, in}));
    Operand<TFloat32> dx = tf.sparse.sparseTensorDenseMatMul(indices, a, aShape, wRows);
    Operand<TFloat32> dwRows =
        tf.sparse.sparseTensorDenseMatMul(
            indices, a, aShape, xRows, SparseTensorDenseMatMul.adjointA(true));
    Operand<TFloat32> dw =
        tf.linalg.transpose(
            tf.reshape(dwRows, tf.constant(new long[] {k, f, in})),
            tf.constant(new int[] {0, 2, 1}));

    // NaN where TensorFlow's dense form is not finite: a sample's input gradient when a scaled
    // gradient of one of its channels is not finite (a NaN maximum has no step equal to it, so its
    // count is 0) or the kernel is not; a channel's filter gradient likewise, or the input.
    Operand<TBool> finite = tf.math.isFinite(tf.reshape(scaled, tf.constant(new long[] {-1, f})));
    Operand<TBool> kernelFinite = tf.all(tf.math.isFinite(w), tf.constant(new int[] {0, 1, 2, 3}));
    Operand<TBool> inputFinite = tf.all(tf.math.isFinite(x), tf.constant(new int[] {0, 1, 2, 3}));
    Operand<TBool> sampleFinite =
        tf.math.logicalAnd(
            tf.all(finite, tf.constant(new int[] {1}), org.tensorflow.op.core.All.keepDims(true)),
            kernelFinite);
    Operand<TBool> channelFinite = tf.math.logicalAnd(tf.all(finite, tf.constant(0)), inputFinite);
    Operand<TFloat32> nan = tf.constant(Float.NaN);
    dx =
        tf.select(
            sampleFinite, tf.reshape(dx, tf.stack(List.of(batch, tf.constant(steps * in)))), nan);
    dw = tf.select(channelFinite, dw, nan);
    return new Output<?>[] {
      tf.reshape(dx, tf.shape(x, TInt64.class)).asOutput(),
      tf.reshape(dw, tf.constant(wShape)).asOutput()
    };
  }
}

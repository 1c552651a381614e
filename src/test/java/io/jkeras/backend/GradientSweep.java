package io.jkeras.backend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.op.nn.SpaceToDepth;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * Takes the gradient of one op at a time, on a layer weight (a reference-typed variable, as jkeras
 * weights are) or on a model input, and compares it with central finite differences computed in
 * double precision. Run as a child process by {@link GradientSweepTest}: a native crash ends the
 * child, not the test JVM.
 *
 * <p>Arguments: {@code guarded|raw} (jkeras's {@link GraphGradients} or TensorFlow's bare {@code
 * Graph.addGradients}), then case names of the form {@code weight:op} or {@code input:op}. For each
 * case it prints {@code START case} before and {@code RESULT case status detail} after, flushed, so
 * the parent knows which case a crash interrupted.
 */
@SuppressWarnings({"unchecked", "rawtypes"})
public final class GradientSweep {

  /** An op under test: {@code a} is the operand differentiated, {@code b} a constant like it. */
  interface OpCase {
    Operand apply(Ops tf, Operand a, Operand b, Consts k);
  }

  /** Deterministic constants, the same in the float32 graph and its float64 reference. */
  static final class Consts {
    private final Random random = new Random(7);
    private final Class<? extends TNumber> type;

    Consts(Class<? extends TNumber> type) {
      this.type = type;
    }

    /** A constant of the operand type with values in [lo, hi). */
    Operand values(Ops tf, double lo, double hi, long... shape) {
      double[] v = new double[Math.toIntExact(Shape.of(shape).size())];
      for (int i = 0; i < v.length; i++) {
        v[i] = lo + (hi - lo) * random.nextDouble();
      }
      return tf.dtypes.cast(tf.constant(Shape.of(shape), DataBuffers.of(v)), type);
    }

    Operand scalar(Ops tf, double v) {
      return tf.dtypes.cast(tf.constant(v), type);
    }
  }

  record Spec(long[] shape, double lo, double hi, boolean floatOnly, OpCase op) {}

  static final Map<String, Spec> CASES = new LinkedHashMap<>();

  private static void add(String name, OpCase op) {
    CASES.put(name, new Spec(new long[] {2, 3}, 0.2, 0.8, false, op));
  }

  private static void add(String name, long[] shape, double lo, double hi, OpCase op) {
    CASES.put(name, new Spec(shape, lo, hi, false, op));
  }

  private static void addFloatOnly(String name, long[] shape, OpCase op) {
    CASES.put(name, new Spec(shape, 0.2, 0.8, true, op));
  }

  /** An int32 constant: a scalar for one value, else a vector. */
  private static Operand i32(Ops tf, int... v) {
    return v.length == 1 ? tf.constant(v[0]) : tf.constant(v);
  }

  static {
    // math, unary
    add("abs", (tf, a, b, k) -> tf.math.abs(a));
    add("neg", (tf, a, b, k) -> tf.math.neg(a));
    add("reciprocal", (tf, a, b, k) -> tf.math.reciprocal(a));
    add("square", (tf, a, b, k) -> tf.math.square(a));
    add("sqrt", (tf, a, b, k) -> tf.math.sqrt(a));
    add("rsqrt", (tf, a, b, k) -> tf.math.rsqrt(a));
    add("exp", (tf, a, b, k) -> tf.math.exp(a));
    add("expm1", (tf, a, b, k) -> tf.math.expm1(a));
    add("log", (tf, a, b, k) -> tf.math.log(a));
    add("log1p", (tf, a, b, k) -> tf.math.log1p(a));
    add("sinh", (tf, a, b, k) -> tf.math.sinh(a));
    add("cosh", (tf, a, b, k) -> tf.math.cosh(a));
    add("tanh", (tf, a, b, k) -> tf.math.tanh(a));
    add("asinh", (tf, a, b, k) -> tf.math.asinh(a));
    add("acosh", new long[] {2, 3}, 1.2, 1.8, (tf, a, b, k) -> tf.math.acosh(a));
    add("atanh", (tf, a, b, k) -> tf.math.atanh(a));
    add("sigmoid", (tf, a, b, k) -> tf.math.sigmoid(a));
    add("sin", (tf, a, b, k) -> tf.math.sin(a));
    add("cos", (tf, a, b, k) -> tf.math.cos(a));
    add("tan", (tf, a, b, k) -> tf.math.tan(a));
    add("asin", (tf, a, b, k) -> tf.math.asin(a));
    add("acos", (tf, a, b, k) -> tf.math.acos(a));
    add("atan", (tf, a, b, k) -> tf.math.atan(a));
    add("erf", (tf, a, b, k) -> tf.math.erf(a));
    add("erfc", (tf, a, b, k) -> tf.math.erfc(a));
    add("erfinv", (tf, a, b, k) -> tf.math.erfinv(a));
    add("ndtri", (tf, a, b, k) -> tf.math.ndtri(a));
    add("lgamma", (tf, a, b, k) -> tf.math.lgamma(a));
    add("digamma", (tf, a, b, k) -> tf.math.digamma(a));
    add("sign", (tf, a, b, k) -> tf.math.sign(a));
    add("floor", (tf, a, b, k) -> tf.math.floor(a));
    add("round", (tf, a, b, k) -> tf.math.round(a));
    add("cumsum", (tf, a, b, k) -> tf.math.cumsum(a, tf.constant(1)));
    add("cumprod", (tf, a, b, k) -> tf.math.cumprod(a, tf.constant(1)));
    add("cumulative_logsumexp", (tf, a, b, k) -> tf.math.cumulativeLogsumexp(a, tf.constant(1)));
    add("cast", (tf, a, b, k) -> tf.dtypes.cast(tf.dtypes.cast(a, TFloat64.class), a.type()));
    // math, binary
    add("add", (tf, a, b, k) -> tf.math.add(a, b));
    add("add_n", (tf, a, b, k) -> tf.math.addN(List.of(a, b, a)));
    add("sub", (tf, a, b, k) -> tf.math.sub(a, b));
    add("sub_rhs", (tf, a, b, k) -> tf.math.sub(b, a));
    add("mul", (tf, a, b, k) -> tf.math.mul(a, b));
    add("mul_self", (tf, a, b, k) -> tf.math.mul(a, a));
    add("div", (tf, a, b, k) -> tf.math.div(a, b));
    add("div_rhs", (tf, a, b, k) -> tf.math.div(b, a));
    add("real_div", (tf, a, b, k) -> tf.math.realDiv(a, b));
    add("div_no_nan", (tf, a, b, k) -> tf.math.divNoNan(b, a));
    add("mul_no_nan", (tf, a, b, k) -> tf.math.mulNoNan(a, b));
    add("squared_difference", (tf, a, b, k) -> tf.math.squaredDifference(a, b));
    add("pow", (tf, a, b, k) -> tf.math.pow(a, b));
    add("pow_exponent", (tf, a, b, k) -> tf.math.pow(b, a));
    add("maximum", (tf, a, b, k) -> tf.math.maximum(a, b));
    add("minimum", (tf, a, b, k) -> tf.math.minimum(a, b));
    add("atan2", (tf, a, b, k) -> tf.math.atan2(a, b));
    add("xlogy", (tf, a, b, k) -> tf.math.xlogy(b, a));
    add("xdivy", (tf, a, b, k) -> tf.math.xdivy(b, a));
    add("broadcast_add", (tf, a, b, k) -> tf.math.add(a, k.values(tf, 0.2, 0.8, 3)));
    add(
        "broadcast_mul_bias",
        new long[] {3},
        0.2,
        0.8,
        (tf, a, b, k) -> tf.math.mul(k.values(tf, 0.2, 0.8, 2, 3), a));
    // reductions
    add("sum", (tf, a, b, k) -> tf.sum(a, i32(tf, 1)));
    add("mean", (tf, a, b, k) -> tf.math.mean(a, i32(tf, 0)));
    add("max", (tf, a, b, k) -> tf.max(a, i32(tf, 1)));
    add("min", (tf, a, b, k) -> tf.min(a, i32(tf, 1)));
    add("prod", (tf, a, b, k) -> tf.prod(a, i32(tf, 1)));
    add("euclidean_norm", (tf, a, b, k) -> tf.linalg.euclideanNorm(a, i32(tf, 1)));
    add("top_k", (tf, a, b, k) -> tf.nn.topK(a, tf.constant(2), TInt32.class).values());
    // nn
    add("relu", (tf, a, b, k) -> tf.nn.relu(tf.math.sub(a, k.scalar(tf, 0.5))));
    add("relu6", (tf, a, b, k) -> tf.nn.relu6(a));
    add("elu", (tf, a, b, k) -> tf.nn.elu(tf.math.sub(a, k.scalar(tf, 0.5))));
    add("selu", (tf, a, b, k) -> tf.nn.selu(tf.math.sub(a, k.scalar(tf, 0.5))));
    add(
        "leaky_relu",
        (tf, a, b, k) -> tf.nn.leakyRelu(tf.math.sub(a, k.scalar(tf, 0.5)), LeakyRelu.alpha(0.2f)));
    add("softplus", (tf, a, b, k) -> tf.math.softplus(a));
    add("softsign", (tf, a, b, k) -> tf.nn.softsign(a));
    add("softmax", (tf, a, b, k) -> tf.nn.softmax(a));
    add("log_softmax", (tf, a, b, k) -> tf.nn.logSoftmax(a));
    add("l2_loss", (tf, a, b, k) -> tf.nn.l2Loss(a));
    add("bias_add", (tf, a, b, k) -> tf.nn.biasAdd(a, k.values(tf, 0.2, 0.8, 3)));
    add(
        "bias_add_bias",
        new long[] {3},
        0.2,
        0.8,
        (tf, a, b, k) -> tf.nn.biasAdd(k.values(tf, 0.2, 0.8, 2, 3), a));
    add(
        "softmax_cross_entropy",
        (tf, a, b, k) -> tf.nn.softmaxCrossEntropyWithLogits(a, tf.nn.softmax(b)).loss());
    add(
        "sparse_softmax_cross_entropy",
        (tf, a, b, k) -> tf.nn.sparseSoftmaxCrossEntropyWithLogits(a, i32(tf, 2, 0)).loss());
    long[] image = {1, 4, 4, 2};
    add(
        "conv2d",
        image,
        0.2,
        0.8,
        (tf, a, b, k) ->
            tf.nn.conv2d(a, k.values(tf, -0.5, 0.5, 2, 2, 2, 3), List.of(1L, 1L, 1L, 1L), "VALID"));
    add(
        "conv2d_filter",
        new long[] {2, 2, 2, 3},
        -0.5,
        0.5,
        (tf, a, b, k) ->
            tf.nn.conv2d(k.values(tf, 0.2, 0.8, 1, 4, 4, 2), a, List.of(1L, 1L, 1L, 1L), "SAME"));
    add(
        "conv2d_strided",
        image,
        0.2,
        0.8,
        (tf, a, b, k) ->
            tf.nn.conv2d(a, k.values(tf, -0.5, 0.5, 2, 2, 2, 3), List.of(1L, 2L, 2L, 1L), "SAME"));
    add(
        "conv2d_dilated",
        image,
        0.2,
        0.8,
        (tf, a, b, k) ->
            tf.nn.conv2d(
                a,
                k.values(tf, -0.5, 0.5, 2, 2, 2, 3),
                List.of(1L, 1L, 1L, 1L),
                "VALID",
                org.tensorflow.op.nn.Conv2d.dilations(List.of(1L, 2L, 2L, 1L))));
    add(
        "depthwise_conv2d",
        image,
        0.2,
        0.8,
        (tf, a, b, k) ->
            tf.nn.depthwiseConv2dNative(
                a, k.values(tf, -0.5, 0.5, 2, 2, 2, 2), List.of(1L, 1L, 1L, 1L), "VALID"));
    add(
        "max_pool",
        image,
        0.2,
        0.8,
        (tf, a, b, k) -> tf.nn.maxPool(a, i32(tf, 1, 2, 2, 1), i32(tf, 1, 2, 2, 1), "VALID"));
    add(
        "avg_pool",
        image,
        0.2,
        0.8,
        (tf, a, b, k) ->
            tf.nn.avgPool(a, List.of(1L, 2L, 2L, 1L), List.of(1L, 2L, 2L, 1L), "VALID"));
    add(
        "conv3d",
        new long[] {1, 3, 3, 3, 1},
        0.2,
        0.8,
        (tf, a, b, k) ->
            tf.nn.conv3d(
                a, k.values(tf, -0.5, 0.5, 2, 2, 2, 1, 2), List.of(1L, 1L, 1L, 1L, 1L), "VALID"));
    addFloatOnly(
        "max_pool3d",
        new long[] {1, 2, 2, 2, 1},
        (tf, a, b, k) ->
            tf.nn.maxPool3d(a, List.of(1L, 2L, 2L, 2L, 1L), List.of(1L, 1L, 1L, 1L, 1L), "VALID"));
    addFloatOnly(
        "avg_pool3d",
        new long[] {1, 2, 2, 2, 1},
        (tf, a, b, k) ->
            tf.nn.avgPool3d(a, List.of(1L, 2L, 2L, 2L, 1L), List.of(1L, 1L, 1L, 1L, 1L), "VALID"));
    addFloatOnly(
        "fused_batch_norm",
        image,
        (tf, a, b, k) ->
            tf.nn
                .fusedBatchNorm(
                    a,
                    k.values(tf, 0.5, 1.5, 2),
                    k.values(tf, -0.5, 0.5, 2),
                    tf.dtypes.cast(tf.constant(new float[0]), a.type()),
                    tf.dtypes.cast(tf.constant(new float[0]), a.type()),
                    FusedBatchNorm.isTraining(true))
                .y());
    addFloatOnly(
        "local_response_normalization",
        image,
        (tf, a, b, k) -> tf.nn.localResponseNormalization(a));
    add(
        "space_to_depth",
        image,
        0.2,
        0.8,
        (tf, a, b, k) -> tf.nn.spaceToDepth(a, 2L, SpaceToDepth.dataFormat("NHWC")));
    add(
        "depth_to_space",
        new long[] {1, 2, 2, 4},
        0.2,
        0.8,
        (tf, a, b, k) -> tf.nn.depthToSpace(a, 2L));
    add(
        "resize_bilinear",
        image,
        0.2,
        0.8,
        (tf, a, b, k) -> tf.image.resizeBilinear(a, i32(tf, 6, 6)));
    add(
        "resize_nearest",
        image,
        0.2,
        0.8,
        (tf, a, b, k) -> tf.image.resizeNearestNeighbor(a, i32(tf, 8, 8)));
    // linalg
    long[] square = {3, 3};
    add("mat_mul", (tf, a, b, k) -> tf.linalg.matMul(a, k.values(tf, 0.2, 0.8, 3, 4)));
    add("mat_mul_rhs", (tf, a, b, k) -> tf.linalg.matMul(k.values(tf, 0.2, 0.8, 4, 2), a));
    add("mat_mul_transposed", (tf, a, b, k) -> tf.linalg.matMul(a, b, MatMul.transposeB(true)));
    add(
        "batch_mat_mul",
        new long[] {2, 2, 3},
        0.2,
        0.8,
        (tf, a, b, k) -> tf.train.batchMatMul(a, k.values(tf, 0.2, 0.8, 2, 3, 2), a.type()));
    add(
        "einsum",
        (tf, a, b, k) -> tf.linalg.einsum(List.of(a, k.values(tf, 0.2, 0.8, 3, 4)), "ij,jk->ik"));
    add("transpose", (tf, a, b, k) -> tf.linalg.transpose(a, i32(tf, 1, 0)));
    add("det", square, 0.2, 0.8, (tf, a, b, k) -> tf.linalg.det(a));
    add("inv", square, 0.2, 0.8, (tf, a, b, k) -> tf.linalg.inv(tf.math.add(a, spd(tf, k))));
    add(
        "cholesky",
        square,
        0.2,
        0.8,
        (tf, a, b, k) ->
            tf.linalg.cholesky(
                tf.math.add(tf.linalg.matMul(a, a, MatMul.transposeB(true)), spd(tf, k))));
    add(
        "log_matrix_determinant",
        square,
        0.2,
        0.8,
        (tf, a, b, k) ->
            tf.linalg.logMatrixDeterminant(tf.math.add(a, spd(tf, k))).logAbsDeterminant());
    add(
        "solve",
        square,
        0.2,
        0.8,
        (tf, a, b, k) -> tf.linalg.solve(tf.math.add(a, spd(tf, k)), k.values(tf, 0.2, 0.8, 3, 2)));
    add(
        "triangular_solve",
        square,
        0.2,
        0.8,
        (tf, a, b, k) ->
            tf.linalg.triangularSolve(tf.math.add(a, spd(tf, k)), k.values(tf, 0.2, 0.8, 3, 2)));
    add(
        "band_part",
        square,
        0.2,
        0.8,
        (tf, a, b, k) -> tf.linalg.bandPart(a, i32(tf, 0), i32(tf, -1)));
    add("tensor_diag_part", square, 0.2, 0.8, (tf, a, b, k) -> tf.linalg.tensorDiagPart(a));
    add("tensor_diag", new long[] {3}, 0.2, 0.8, (tf, a, b, k) -> tf.linalg.tensorDiag(a));
    add(
        "matrix_set_diag",
        square,
        0.2,
        0.8,
        (tf, a, b, k) -> tf.linalg.matrixSetDiag(a, k.values(tf, 0.2, 0.8, 3), i32(tf, 0)));
    add("cross", (tf, a, b, k) -> tf.linalg.cross(a, b));
    add(
        "self_adjoint_eig",
        square,
        0.2,
        0.8,
        (tf, a, b, k) ->
            tf.linalg.selfAdjointEig(tf.math.add(a, tf.linalg.transpose(a, i32(tf, 1, 0)))).e());
    add("svd", square, 0.2, 0.8, (tf, a, b, k) -> tf.linalg.svd(a).s());
    add("qr", square, 0.2, 0.8, (tf, a, b, k) -> tf.linalg.qr(a).r());
    // shapes and indexing
    add("identity", (tf, a, b, k) -> tf.identity(a));
    add("identity_n", (tf, a, b, k) -> (Operand) tf.identityN(List.of(a, b)).output().get(0));
    add("stop_gradient", (tf, a, b, k) -> tf.stopGradient(a));
    add("reshape", (tf, a, b, k) -> tf.reshape(a, i32(tf, 3, 2)));
    add("expand_dims", (tf, a, b, k) -> tf.expandDims(a, i32(tf, 1)));
    add("squeeze", new long[] {2, 1, 3}, 0.2, 0.8, (tf, a, b, k) -> tf.squeeze(a));
    add("ensure_shape", (tf, a, b, k) -> tf.ensureShape(a, Shape.of(2, 3)));
    add("concat", (tf, a, b, k) -> tf.concat(List.of(a, b), i32(tf, 1)));
    add("stack", (tf, a, b, k) -> tf.stack(List.of(a, b)));
    add("unstack", (tf, a, b, k) -> tf.math.addN((List) tf.unstack(a, 2L).output()));
    add(
        "split",
        (tf, a, b, k) ->
            tf.math.mul((Operand) tf.split(i32(tf, 1), a, 3L).output().get(1), k.scalar(tf, 2)));
    add(
        "split_v",
        (tf, a, b, k) -> (Operand) tf.splitV(a, i32(tf, 1, 2), i32(tf, 1), 2L).output().get(1));
    add("slice", (tf, a, b, k) -> tf.slice(a, i32(tf, 0, 1), i32(tf, 2, 2)));
    add("strided_slice", (tf, a, b, k) -> tf.stridedSlice(a, Indices.all(), Indices.sliceFrom(1)));
    add("tile", (tf, a, b, k) -> tf.tile(a, i32(tf, 2, 1)));
    add(
        "pad",
        (tf, a, b, k) -> tf.pad(a, tf.constant(new int[][] {{1, 0}, {0, 2}}), k.scalar(tf, 0)));
    add(
        "mirror_pad",
        (tf, a, b, k) -> tf.mirrorPad(a, tf.constant(new int[][] {{1, 0}, {0, 2}}), "REFLECT"));
    add(
        "gather",
        new long[] {4, 3},
        0.2,
        0.8,
        (tf, a, b, k) -> tf.gather(a, i32(tf, 2, 0, 2), i32(tf, 0)));
    add("gather_axis1", (tf, a, b, k) -> tf.gather(a, i32(tf, 2, 0), i32(tf, 1)));
    add(
        "gather_nd",
        (tf, a, b, k) -> tf.gatherNd(a, tf.constant(new int[][] {{1, 2}, {0, 0}, {1, 2}})));
    add(
        "broadcast_to",
        new long[] {1, 3},
        0.2,
        0.8,
        (tf, a, b, k) -> tf.broadcastTo(a, i32(tf, 2, 3)));
    add("reverse", (tf, a, b, k) -> tf.reverse(a, tf.constant(new int[] {1})));
    add("roll", (tf, a, b, k) -> tf.roll(a, i32(tf, 1), i32(tf, 1)));
    add("select", (tf, a, b, k) -> tf.select(tf.math.greater(b, k.scalar(tf, 0.5)), a, b));
    add("clip_by_value", (tf, a, b, k) -> tf.clipByValue(a, k.scalar(tf, 0.3), k.scalar(tf, 0.7)));
    add("dynamic_stitch", (tf, a, b, k) -> tf.dynamicStitch(List.of(i32(tf, 1, 0)), List.of(a)));
    add(
        "scatter_nd",
        (tf, a, b, k) -> tf.scatterNd(tf.constant(new int[][] {{2}, {0}}), a, i32(tf, 4, 3)));
    add(
        "unsorted_segment_sum",
        new long[] {4, 3},
        0.2,
        0.8,
        (tf, a, b, k) -> tf.math.unsortedSegmentSum(a, i32(tf, 1, 0, 1, 2), i32(tf, 3)));
    add(
        "segment_sum",
        new long[] {4, 3},
        0.2,
        0.8,
        (tf, a, b, k) -> tf.math.segmentSum(a, i32(tf, 0, 0, 1, 2), i32(tf, 3)));
    add(
        "unsorted_segment_max",
        new long[] {4, 3},
        0.2,
        0.8,
        (tf, a, b, k) -> tf.math.unsortedSegmentMax(a, i32(tf, 1, 0, 1, 2), i32(tf, 3)));
  }

  private static Operand spd(Ops tf, Consts k) {
    return tf.math.mul(k.scalar(tf, 3), tf.linalg.tensorDiag(k.values(tf, 1, 1.0001, 3)));
  }

  public static void main(String[] args) {
    boolean guarded = args[0].equals("guarded");
    for (int i = 1; i < args.length; i++) {
      String name = args[i];
      System.out.println("START " + name);
      System.out.flush();
      String result;
      try {
        result = run(name, guarded);
      } catch (MissingGradientException e) {
        result = "NO_GRADIENT " + e.getMessage().replace('\n', ' ');
      } catch (RuntimeException e) {
        result = "ERROR " + e.toString().replace('\n', ' ');
      }
      System.out.println("RESULT " + name + " " + result);
      System.out.flush();
    }
  }

  /** Runs one case; returns {@code OK max-error}, {@code MISMATCH ...} or {@code NULL_GRADIENT}. */
  static String run(String name, boolean guarded) {
    String[] parts = name.split(":");
    boolean onWeight = parts[0].equals("weight");
    Spec spec = CASES.get(parts[1]);
    if (spec == null) {
      throw new IllegalArgumentException("no case " + parts[1]);
    }
    Shape shape = Shape.of(spec.shape());
    int n = Math.toIntExact(shape.size());
    double[] x = new double[n];
    double[] other = new double[n];
    Random random = new Random(name.hashCode());
    for (int i = 0; i < n; i++) {
      x[i] = spec.lo() + (spec.hi() - spec.lo()) * random.nextDouble();
      other[i] = spec.lo() + (spec.hi() - spec.lo()) * random.nextDouble();
    }
    float[] analytic = analyticGradient(parts[1], spec, shape, x, other, onWeight, guarded);
    if (analytic == null) {
      return "NULL_GRADIENT";
    }
    double[] reference = finiteDifferences(spec, shape, x, other);
    double worst = 0;
    for (int i = 0; i < n; i++) {
      worst = Math.max(worst, Math.abs(analytic[i] - reference[i]) / (1 + Math.abs(reference[i])));
    }
    double tolerance = spec.floatOnly() ? 3e-2 : 2e-3;
    String detail = String.format("%.2e", worst);
    if (worst > tolerance) {
      return "MISMATCH "
          + detail
          + " analytic="
          + Arrays.toString(analytic)
          + " reference="
          + Arrays.toString(reference);
    }
    return "OK " + detail;
  }

  private static float[] analyticGradient(
      String op,
      Spec spec,
      Shape shape,
      double[] x,
      double[] other,
      boolean onWeight,
      boolean guarded) {
    GraphSession g = guarded ? GraphSession.create() : null;
    Graph graph = guarded ? g.graph() : new Graph();
    Session session = guarded ? g.session() : new Session(graph);
    try {
      Ops tf = guarded ? g.tf() : Ops.create(graph);
      Ops layer = tf.withSubScope(guarded ? g.uniqueScope("layer_" + op) : "layer_" + op);
      Placeholder<TFloat32> feed = tf.placeholder(TFloat32.class, Placeholder.shape(shape));
      Operand<TFloat32> a;
      if (onWeight) {
        Variable<TFloat32> w = tf.withName("w").variable(shape, TFloat32.class);
        try (TFloat32 t = floats(shape, x)) {
          session.runner().feed(feed, t).addTarget(tf.assign(w, feed)).run().close();
        }
        a = w;
      } else {
        a = feed;
      }
      Consts k = new Consts(TFloat32.class);
      Operand b = k.values(tf, spec.lo(), spec.hi(), spec.shape());
      Operand<TFloat32> out = tf.dtypes.cast(spec.op().apply(layer, a, b, k), TFloat32.class);
      Operand<TFloat32> loss = weightedSum(tf, out, k);
      Output<?>[] grads =
          guarded
              ? GraphGradients.add(g, loss, new Output<?>[] {a.asOutput()})
              : graph.addGradients(loss.asOutput(), new Output<?>[] {a.asOutput()});
      if (grads[0] == null) {
        return null;
      }
      Session.Runner runner = session.runner().fetch(grads[0]);
      try (TFloat32 t = floats(shape, x)) {
        if (!onWeight) {
          runner.feed(feed, t);
        }
        try (Result r = runner.run()) {
          float[] dx = new float[x.length];
          ((TFloat32) r.get(0)).copyTo(DataBuffers.of(dx, false, false));
          return dx;
        }
      }
    } finally {
      if (guarded) {
        g.close();
      } else {
        session.close();
        graph.close();
      }
    }
  }

  /** The sum of {@code out} weighted by fixed random values, so every output element matters. */
  private static Operand weightedSum(Ops tf, Operand out, Consts k) {
    long[] dims = out.shape().asArray();
    Operand weights = k.values(tf, -1, 1, dims);
    int[] axes = new int[dims.length];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = i;
    }
    return tf.sum(tf.math.mul(out, weights), tf.constant(axes));
  }

  private static double[] finiteDifferences(Spec spec, Shape shape, double[] x, double[] other) {
    boolean single = spec.floatOnly();
    Class<? extends TNumber> type = single ? TFloat32.class : TFloat64.class;
    double eps = single ? 1e-2 : 1e-6;
    try (Graph graph = new Graph();
        Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat64> feed = tf.placeholder(TFloat64.class, Placeholder.shape(shape));
      Operand a = tf.dtypes.cast(feed, type);
      Consts k = new Consts(type);
      Operand b = k.values(tf, spec.lo(), spec.hi(), spec.shape());
      Operand out = tf.dtypes.cast(spec.op().apply(tf, a, b, k), type);
      Operand<TFloat64> loss = tf.dtypes.cast(weightedSum(tf, out, k), TFloat64.class);
      double[] grad = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        double[] up = x.clone();
        double[] down = x.clone();
        up[i] += eps;
        down[i] -= eps;
        grad[i] =
            (eval(session, feed, loss, shape, up) - eval(session, feed, loss, shape, down))
                / (2 * eps);
      }
      return grad;
    }
  }

  private static double eval(
      Session session,
      Placeholder<TFloat64> feed,
      Operand<TFloat64> loss,
      Shape shape,
      double[] x) {
    try (TFloat64 t = TFloat64.tensorOf(shape, DataBuffers.of(x, true, false));
        Result r = session.runner().feed(feed, t).fetch(loss).run()) {
      return ((TFloat64) r.get(0)).getDouble();
    }
  }

  private static TFloat32 floats(Shape shape, double[] x) {
    float[] f = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      f[i] = (float) x[i];
    }
    return TFloat32.tensorOf(shape, DataBuffers.of(f, true, false));
  }

  /** Every case name: each op on a weight and on an input. */
  static List<String> allCases() {
    List<String> names = new ArrayList<>();
    for (String op : CASES.keySet()) {
      names.add("weight:" + op);
      names.add("input:" + op);
    }
    return names;
  }

  private GradientSweep() {}
}

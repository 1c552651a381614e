package io.jkeras.regularizers;

import io.jkeras.config.ConfigReader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;

/**
 * Penalty that pushes the rows (or columns) of a 2-D weight towards mutual orthogonality, as Keras
 * 3's {@code keras.regularizers.OrthogonalRegularizer}.
 *
 * <p>With {@code v_1..v_n} the rows ({@code mode = "rows"}) or columns ({@code "columns"}) scaled
 * to unit L2 norm, the penalty is {@code factor * 0.5 * sum_{i != j} |v_i . v_j| / (n (n - 1) /
 * 2)}: {@code factor} times the mean absolute cosine over distinct pairs. As in Keras, a vector's
 * inverse norm is capped at 1e7 (so an all-zero row stays zero), and with {@code n = 1} the result
 * is 0/0 = NaN.
 *
 * <pre>{@code
 * Regularizer r = new OrthogonalRegularizer(0.01, "rows");
 * Operand<TFloat32> penalty = r.apply(tf, denseKernel); // kernel of shape (input_dim, units)
 * }</pre>
 */
public final class OrthogonalRegularizer implements Regularizer {

  /** Keras's default factor. */
  public static final double DEFAULT_FACTOR = 0.01;

  /** Keras's default mode. */
  public static final String DEFAULT_MODE = "rows";

  /** Keras's {@code backend.epsilon()}: the inverse norm is capped at its reciprocal. */
  private static final float EPSILON = 1e-7f;

  private final double factor;
  private final String mode;

  /** Factor 0.01 over rows. */
  public OrthogonalRegularizer() {
    this(DEFAULT_FACTOR, DEFAULT_MODE);
  }

  /**
   * @param factor the factor; non-negative and finite
   * @param mode {@code "rows"} or {@code "columns"}
   */
  public OrthogonalRegularizer(double factor, String mode) {
    this.factor = Penalties.nonNegative("factor", factor);
    if (!"rows".equals(mode) && !"columns".equals(mode)) {
      throw new IllegalArgumentException(
          "Invalid value for argument mode: expected one of \"rows\", \"columns\". Received: mode="
              + mode);
    }
    this.mode = mode;
  }

  /**
   * Reads a Keras config {@code {"factor": ..., "mode": ...}}; missing or null values take the
   * defaults.
   */
  public static OrthogonalRegularizer fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("OrthogonalRegularizer", config);
    OrthogonalRegularizer r =
        new OrthogonalRegularizer(
            c.numberOrDefault("factor", DEFAULT_FACTOR), c.string("mode", DEFAULT_MODE));
    c.rejectUnknownKeys();
    return r;
  }

  /** The factor the mean absolute cosine is multiplied by. */
  public double factor() {
    return factor;
  }

  /**
   * {@code "rows"} or {@code "columns"}: which vectors of the weight are pushed towards
   * orthogonality.
   */
  public String mode() {
    return mode;
  }

  /**
   * @throws IllegalArgumentException if {@code x} is not statically of rank 2, or the number of
   *     rows (columns in columns mode) is not known when the graph is built
   */
  @Override
  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
    Shape shape = x.shape();
    if (shape.isUnknown() || shape.numDimensions() != 2) {
      throw new IllegalArgumentException(
          "Inputs to OrthogonalRegularizer must have rank 2. Received: inputs.shape=" + shape);
    }
    boolean rows = mode.equals("rows");
    int vectorAxis = rows ? 1 : 0; // the axis along which each vector lies
    long n = shape.get(rows ? 0 : 1);
    if (n < 0) {
      throw new IllegalArgumentException(
          "OrthogonalRegularizer needs the number of "
              + mode
              + " when the graph is built. Received: inputs.shape="
              + shape);
    }
    // Unit vectors: x * min(rsqrt(sum(x * x)), 1 / epsilon) along the vector axis.
    Operand<TFloat32> sumSquares =
        tf.reduceSum(tf.math.mul(x, x), tf.constant(vectorAxis), ReduceSum.keepDims(true));
    Operand<TFloat32> invNorm =
        tf.math.minimum(tf.math.rsqrt(sumSquares), tf.constant(1f / EPSILON));
    Operand<TFloat32> unit = tf.math.mul(x, invNorm);
    // Gram matrix of the n vectors (n x n).
    Operand<TFloat32> gram =
        rows
            ? tf.linalg.matMul(unit, unit, MatMul.transposeB(true))
            : tf.linalg.matMul(unit, unit, MatMul.transposeA(true));
    Operand<TFloat32> offDiagonal = tf.math.mul(gram, tf.constant(offDiagonalMask((int) n)));
    Operand<TFloat32> total = tf.reduceSum(tf.math.abs(offDiagonal), tf.constant(new int[] {0, 1}));
    double pairs = n * (n - 1.0) / 2.0;
    return tf.math.div(
        tf.math.mul(tf.constant((float) (factor * 0.5)), total), tf.constant((float) pairs));
  }

  /** 1 - I, the n x n matrix with zeros on the diagonal and ones elsewhere. */
  private static float[][] offDiagonalMask(int n) {
    float[][] mask = new float[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        mask[i][j] = i == j ? 0f : 1f;
      }
    }
    return mask;
  }

  @Override
  public String className() {
    return "OrthogonalRegularizer";
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("factor", factor);
    config.put("mode", mode);
    return config;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OrthogonalRegularizer
        && Double.compare(((OrthogonalRegularizer) o).factor, factor) == 0
        && ((OrthogonalRegularizer) o).mode.equals(mode);
  }

  @Override
  public int hashCode() {
    return Objects.hash(factor, mode);
  }

  @Override
  public String toString() {
    return "OrthogonalRegularizer(factor=" + factor + ", mode=" + mode + ")";
  }
}

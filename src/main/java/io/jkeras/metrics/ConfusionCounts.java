package io.jkeras.metrics;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.math.Cumsum;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Weighted true/false positive/negative counts at given thresholds, as Keras's {@code
 * update_confusion_matrix_variables}: a prediction is positive when it is above the threshold, a
 * label is positive when it is not 0. Evenly spaced thresholds go through Keras's bucketed path
 * (predictions clipped to [0, 1], bucket {@code ceil(p * (n - 1)) - 1}, so counts agree with Keras
 * at the bucket edges too); other thresholds are compared one by one.
 *
 * <p>The batch statistics are four blocks, tp, fp, tn, fn, each {@code thresholds x labels}
 * row-major (labels is 1 unless {@code multiLabel}).
 */
final class ConfusionCounts {

  /**
   * Keras's {@code NEG_INF}: the default threshold with top_k and the value of filtered entries.
   */
  static final double NEG_INF = -1e10;

  private final float[] thresholds;
  private final boolean evenly;
  private final boolean withEpsilon;
  private final Integer topK;
  private final Integer classId;
  private final boolean multiLabel;
  private final float[] labelWeights;

  /**
   * @param thresholds the thresholds (float32 in the graph, as Keras's variables)
   * @param evenly whether Keras takes the bucketed path for them
   * @param topK keep only the k highest predictions of each row (others become {@link #NEG_INF})
   * @param classId count only this class (the last axis)
   * @param multiLabel keep the last axis: counts per label
   * @param labelWeights weights per label (the last axis) when not multi-label, or null
   */
  ConfusionCounts(
      double[] thresholds,
      boolean evenly,
      Integer topK,
      Integer classId,
      boolean multiLabel,
      float[] labelWeights) {
    this.thresholds = new float[thresholds.length];
    for (int i = 0; i < thresholds.length; i++) {
      this.thresholds[i] = (float) thresholds[i];
    }
    this.evenly = evenly;
    this.withEpsilon = thresholds[0] < 0 || thresholds[thresholds.length - 1] > 1;
    this.topK = topK;
    this.classId = classId;
    this.multiLabel = multiLabel;
    this.labelWeights = labelWeights;
  }

  /** The number of thresholds. */
  int size() {
    return thresholds.length;
  }

  /**
   * Keras's {@code is_evenly_distributed_thresholds}: at least 3 values, each within {@code
   * np.allclose} (atol 1e-7, rtol 1e-5) of {@code i / (n - 1)} computed in float32.
   */
  static boolean evenlyDistributed(double[] t) {
    int n = t.length;
    if (n < 3) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      double even = (float) i / (float) (n - 1);
      if (!(Math.abs(t[i] - even) <= 1e-7 + 1e-5 * Math.abs(even))) {
        return false;
      }
    }
    return true;
  }

  /** The batch's counts: [tp, fp, tn, fn], each thresholds x labels. */
  Operand<TFloat32> emit(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred, Operand<TFloat32> sampleWeight) {
    List<Operand<TFloat32>> aligned = BatchShapes.sameRank(tf, yPred, yTrue);
    Operand<TFloat32> p = aligned.get(0);
    Operand<TFloat32> y = aligned.get(1);
    if (topK != null) {
      p = keepTopK(tf, p, topK);
    }
    if (classId != null) {
      if (p.shape().numDimensions() < 2) {
        throw new IllegalArgumentException(
            "class_id "
                + classId
                + " needs predictions of shape (samples, classes), got rank "
                + p.shape().numDimensions());
      }
      Operand<TInt32> id = tf.constant(new int[] {classId});
      p = tf.gather(p, id, tf.constant(-1));
      y = tf.gather(y, id, tf.constant(-1));
    }
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> weights =
        sampleWeight == null ? tf.onesLike(p) : BatchShapes.perElement(tf, sampleWeight, p);
    if (labelWeights != null && !multiLabel) {
      weights = tf.math.mul(weights, tf.broadcastTo(tf.constant(labelWeights), tf.shape(p)));
    }
    Operand<TFloat32> label = tf.dtypes.cast(tf.math.notEqual(y, tf.constant(0f)), TFloat32.class);
    // Rows x labels: (samples, labels) for multi-label, else every element as one column.
    Operand<TInt32> table =
        multiLabel
            ? tf.constant(new int[] {-1, (int) p.shape().size(-1)})
            : tf.constant(new int[] {-1, 1});
    if (multiLabel && (p.shape().numDimensions() != 2 || p.shape().size(1) < 0)) {
      throw new IllegalArgumentException(
          "multi_label needs predictions of shape (samples, labels) with a known number of labels,"
              + " got "
              + p.shape());
    }
    p = tf.reshape(p, table);
    label = tf.reshape(label, table);
    weights = tf.reshape(weights, table);
    Operand<TFloat32> positives = tf.math.mul(label, weights);
    Operand<TFloat32> negatives = tf.math.mul(tf.math.sub(one, label), weights);
    Operand<TInt32> rowsAxis = tf.constant(0);
    if (evenly) {
      return bucketed(tf, p, positives, negatives);
    }
    int n = thresholds.length;
    // (thresholds, samples, labels): predicted positive at each threshold.
    Operand<TFloat32> above =
        tf.dtypes.cast(
            tf.math.greater(
                tf.expandDims(p, rowsAxis),
                tf.reshape(tf.constant(thresholds), tf.constant(new int[] {n, 1, 1}))),
            TFloat32.class);
    Operand<TFloat32> below = tf.math.sub(one, above);
    Operand<TFloat32> pos = tf.expandDims(positives, rowsAxis);
    Operand<TFloat32> neg = tf.expandDims(negatives, rowsAxis);
    Operand<TInt32> samplesAxis = tf.constant(1);
    return tf.concat(
        List.of(
            BatchShapes.flat(tf, tf.sum(tf.math.mul(pos, above), samplesAxis)),
            BatchShapes.flat(tf, tf.sum(tf.math.mul(neg, above), samplesAxis)),
            BatchShapes.flat(tf, tf.sum(tf.math.mul(neg, below), samplesAxis)),
            BatchShapes.flat(tf, tf.sum(tf.math.mul(pos, below), samplesAxis))),
        rowsAxis);
  }

  /**
   * Keras's bucketed counts for evenly spaced thresholds: each prediction's weight goes to bucket
   * {@code ceil(p * (n - 1)) - 1} (0 for p = 0 when the end thresholds are outside [0, 1]), and the
   * count at threshold i is the sum of the buckets from i up.
   */
  private Operand<TFloat32> bucketed(
      Ops tf, Operand<TFloat32> p, Operand<TFloat32> positives, Operand<TFloat32> negatives) {
    int n = thresholds.length;
    Operand<TFloat32> clipped = tf.clipByValue(p, tf.constant(0f), tf.constant(1f));
    Operand<TFloat32> bucket =
        tf.math.sub(
            tf.math.ceil(tf.math.mul(clipped, tf.constant((float) (n - 1)))), tf.constant(1f));
    if (withEpsilon) {
      bucket = tf.nn.relu(bucket);
    }
    Operand<TInt32> b = tf.dtypes.cast(bucket, TInt32.class);
    // Segment id bucket * labels + label; a negative bucket (p = 0 without epsilon) is dropped.
    Operand<TInt32> labels = tf.gather(tf.shape(p), tf.constant(1), tf.constant(0));
    Operand<TInt32> column = tf.range(tf.constant(0), labels, tf.constant(1));
    Operand<TInt32> ids =
        tf.select(
            tf.math.greaterEqual(b, tf.constant(0)),
            tf.math.add(tf.math.mul(b, labels), column),
            tf.math.mul(tf.onesLike(b), tf.constant(-1)));
    Operand<TInt32> segments = tf.math.mul(tf.constant(n), labels);
    Operand<TInt32> grid = tf.stack(List.of(tf.constant(n), labels));
    Operand<TFloat32> tpBuckets =
        tf.reshape(tf.math.unsortedSegmentSum(positives, ids, segments), grid);
    Operand<TFloat32> fpBuckets =
        tf.reshape(tf.math.unsortedSegmentSum(negatives, ids, segments), grid);
    Operand<TInt32> axis0 = tf.constant(0);
    Operand<TFloat32> tp = tf.math.cumsum(tpBuckets, axis0, Cumsum.reverse(true));
    Operand<TFloat32> fp = tf.math.cumsum(fpBuckets, axis0, Cumsum.reverse(true));
    Operand<TFloat32> allPositive = tf.reduceSum(positives, axis0, ReduceSum.keepDims(true));
    Operand<TFloat32> allNegative = tf.reduceSum(negatives, axis0, ReduceSum.keepDims(true));
    return tf.concat(
        List.of(
            BatchShapes.flat(tf, tp),
            BatchShapes.flat(tf, fp),
            BatchShapes.flat(tf, tf.math.sub(allNegative, fp)),
            BatchShapes.flat(tf, tf.math.sub(allPositive, tp))),
        axis0);
  }

  /** Keras's {@code _filter_top_k}: entries outside the k highest of a row become NEG_INF. */
  private static Operand<TFloat32> keepTopK(Ops tf, Operand<TFloat32> x, int k) {
    Operand<TInt32> top = tf.nn.topK(x, tf.constant(k), TInt32.class).indices();
    Operand<TInt32> classes =
        tf.gather(tf.shape(x), tf.constant(-1 + x.shape().numDimensions()), tf.constant(0));
    Operand<TFloat32> mask =
        tf.sum(tf.oneHot(top, classes, tf.constant(1f), tf.constant(0f)), tf.constant(-2));
    return tf.math.add(
        tf.math.mul(x, mask),
        tf.math.mul(tf.constant((float) NEG_INF), tf.math.sub(tf.constant(1f), mask)));
  }
}

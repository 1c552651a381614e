package io.jkeras.training;

import io.jkeras.backend.GraphGradients;
import io.jkeras.backend.GraphSession;
import io.jkeras.backend.HostArray;
import io.jkeras.layers.KerasShape;
import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Weight;
import io.jkeras.losses.Loss;
import io.jkeras.metrics.Metric;
import io.jkeras.metrics.Metrics;
import io.jkeras.models.ForwardGraph;
import io.jkeras.models.Model;
import io.jkeras.models.ModelRuntime;
import io.jkeras.optimizers.Optimizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.PlaceholderWithDefault;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.math.Mean;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The graph of one training step (forward in training mode, weighted loss with regularization,
 * TensorFlow gradients, optimizer update) and of one evaluation step of a compiled model, and the
 * running of either on a batch. Built once, for labels of the shapes the first data has.
 */
final class TrainingGraph {

  private final Model model;
  private final ModelRuntime runtime;
  private final List<Loss> lossPerOutput;
  private final double[] lossWeights;
  private final boolean perSampleTotal;
  private final List<Metric> metrics;
  // For each of the metrics: the output it measures, the name prefix of its logs ("ctr_" with
  // several outputs, as Keras), and whether it is a weighted metric (which takes the sample and
  // class weights; the others only the output's mask).
  private final int[] metricOutput;
  private final List<String> metricPrefix;
  private final boolean[] metricWeighted;

  private final List<Placeholder<TFloat32>> labels = new ArrayList<>();
  // Per output: the sample weights fed to the training and evaluation losses (1 when not fed), and
  // the static shape of one sample's loss, which fed weights must have.
  private final List<PlaceholderWithDefault<TFloat32>> trainWeights = new ArrayList<>();
  private final List<PlaceholderWithDefault<TFloat32>> evalWeights = new ArrayList<>();
  private final List<Shape> lossSampleShapes = new ArrayList<>();
  private final Operand<TFloat32> trainLoss;
  private final Op trainOp;
  // Copies the chief's weights and optimizer state to this replica; null when not distributed.
  private final Op broadcastFromChief;
  private final List<Op> stateUpdates;
  private final List<Operand<TFloat32>> trainStats;
  private final Operand<TFloat32> evalLoss;
  private final List<Operand<TFloat32>> evalStats;
  // With several outputs, each output's loss before its loss weight, logged as "<output>_loss" by
  // its mean over the batches run since the metrics were reset: Keras's TF trainer counts each
  // batch once (the batch size it would weigh them by is unknown in its traced step).
  private final List<Operand<TFloat32>> trainOutputLosses;
  private final List<Operand<TFloat32>> evalOutputLosses;
  private final double[] outputLossSums;
  private double outputLossSeen;

  /**
   * When set, every step runs with TensorFlow's full trace and hands its step statistics here
   * (training steps with {@code true}); the per-op profile benchmark in this package sets it.
   */
  static volatile BiConsumer<Boolean, RunMetadata> stepTrace;

  /**
   * Builds both graphs for labels whose samples have {@code labelShapes} (one per output). Output
   * k's loss is {@code lossPerOutput.get(k)}, times {@code lossWeights[k]} (null: 1 each); its
   * metrics are {@code metricsPerOutput.get(k)} then {@code weightedPerOutput.get(k)}, names
   * resolved against its output and labels.
   */
  TrainingGraph(
      Model model,
      Optimizer optimizer,
      List<Loss> lossPerOutput,
      double[] lossWeights,
      List<List<Object>> metricsPerOutput,
      List<List<Object>> weightedPerOutput,
      List<Shape> labelShapes) {
    this.model = model;
    this.runtime = ModelRuntime.of(model);
    this.lossPerOutput = List.copyOf(lossPerOutput);
    this.lossWeights = lossWeights;
    this.perSampleTotal = lossPerOutput.stream().anyMatch(l -> l.reduction().equals("none"));
    List<KerasTensor> outputs = model.outputs();
    if (labelShapes.size() != outputs.size()) {
      throw new IllegalArgumentException(
          "Model \""
              + model.name()
              + "\" has "
              + outputs.size()
              + " outputs, got "
              + labelShapes.size()
              + " label arrays");
    }
    GraphSession g = runtime.graphSession();
    Ops tf = g.tf().withSubScope(g.uniqueScope("training"));
    for (int k = 0; k < labelShapes.size(); k++) {
      Shape s = Shape.of(Shape.UNKNOWN_SIZE).append(labelShapes.get(k));
      labels.add(tf.withName("target_" + k).placeholder(TFloat32.class, Placeholder.shape(s)));
    }
    List<Metric> resolved = new ArrayList<>();
    List<Integer> resolvedOutput = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    List<Boolean> weighted = new ArrayList<>();
    for (List<List<Object>> set : List.of(metricsPerOutput, weightedPerOutput)) {
      for (int k = 0; k < outputs.size(); k++) {
        for (Object m : set.get(k)) {
          resolved.add(
              m instanceof Metric o
                  ? o
                  : Metrics.get(
                      (String) m,
                      outputs.get(k).shape(),
                      Shape.of(Shape.UNKNOWN_SIZE).append(labelShapes.get(k))));
          resolvedOutput.add(k);
          prefixes.add(outputs.size() > 1 ? model.outputNames().get(k) + "_" : "");
          weighted.add(set == weightedPerOutput);
        }
      }
    }
    this.metrics = List.copyOf(resolved);
    this.metricOutput = resolvedOutput.stream().mapToInt(Integer::intValue).toArray();
    this.metricPrefix = List.copyOf(prefixes);
    this.metricWeighted = new boolean[weighted.size()];
    for (int i = 0; i < metricWeighted.length; i++) {
      metricWeighted[i] = weighted.get(i);
    }

    ForwardGraph train = runtime.forward(true);
    List<Operand<TFloat32>> trainTotals = totalLoss(tf, train, trainWeights);
    trainLoss = trainTotals.get(0);
    trainStats = statistics(tf, train, trainWeights);
    trainOutputLosses = trainTotals.subList(2, trainTotals.size());
    outputLossSums = new double[trainOutputLosses.size()];
    stateUpdates = train.updates();

    List<Weight> trainable = model.trainableWeights();
    // Embedding tables the loss reads only through lookups take their gradient as rows, applied
    // with scatter updates, where the optimizer's sparse update is its dense math.
    // A table split into row shards always does (the optimizer rebuilds each shard's dense
    // gradient on the shard's device when its update is not row-sparse).
    boolean sparse = optimizer.updatesSparsely() && g.distribution().appliesRowSparseGradients();
    boolean split = trainable.stream().anyMatch(w -> w.rowPartition() != null);
    LookupGradients lookups = sparse || split ? new LookupGradients(trainTotals.get(1)) : null;
    List<List<GraphOperation>> tableLookups = new ArrayList<>();
    List<List<List<GraphOperation>>> shardLookups = new ArrayList<>();
    List<Output<?>> wrt = new ArrayList<>();
    for (Weight w : trainable) {
      if (w.rowPartition() != null) {
        List<List<GraphOperation>> perShard = shardReads(lookups, w);
        shardLookups.add(perShard);
        tableLookups.add(null);
        perShard.forEach(reads -> reads.forEach(r -> wrt.add(r.output(0))));
        continue;
      }
      shardLookups.add(null);
      List<GraphOperation> reads =
          sparse && w.shape().numDimensions() == 2 ? lookups.lookupsOf(w.value().asOutput()) : null;
      tableLookups.add(reads);
      if (reads == null) {
        wrt.add(w.value().asOutput());
      } else {
        reads.forEach(r -> wrt.add(r.output(0)));
      }
    }
    List<Weight> updated = new ArrayList<>();
    List<Operand<TFloat32>> grads = new ArrayList<>();
    List<Operand<TInt64>> rowIds = new ArrayList<>();
    if (!wrt.isEmpty()) {
      // The gradients of the loss as the optimizer scales it (loss_scale_factor).
      Output<?>[] dw =
          GraphGradients.add(
              g, optimizer.scaleLoss(tf, trainTotals.get(1)), wrt.toArray(new Output<?>[0]));
      int at = 0;
      for (int i = 0; i < trainable.size(); i++) {
        if (shardLookups.get(i) != null) {
          Weight w = trainable.get(i);
          List<Operand<?>> idsAndRows = new ArrayList<>();
          at = shardRows(tf, w, shardLookups.get(i), Arrays.asList(dw), at, idsAndRows);
          if (!idsAndRows.isEmpty()) {
            updated.add(w);
            @SuppressWarnings("unchecked")
            Operand<TInt64> ids = (Operand<TInt64>) idsAndRows.get(0);
            @SuppressWarnings("unchecked")
            Operand<TFloat32> rows = (Operand<TFloat32>) idsAndRows.get(1);
            rowIds.add(ids);
            grads.add(rows);
          }
          continue;
        }
        List<GraphOperation> reads = tableLookups.get(i);
        if (reads == null) {
          if (dw[at] != null) {
            updated.add(trainable.get(i));
            @SuppressWarnings("unchecked")
            Operand<TFloat32> gi = (Operand<TFloat32>) dw[at];
            grads.add(gi);
            rowIds.add(null);
          }
          at++;
          continue;
        }
        List<Output<?>> readGrads = Arrays.asList(dw).subList(at, at + reads.size());
        at += reads.size();
        Operand<?>[] idsAndRows =
            LookupGradients.rows(tf, reads, readGrads, trainable.get(i).shape().size(1));
        if (idsAndRows != null) {
          updated.add(trainable.get(i));
          @SuppressWarnings("unchecked")
          Operand<TInt64> ids = (Operand<TInt64>) idsAndRows[0];
          @SuppressWarnings("unchecked")
          Operand<TFloat32> rows = (Operand<TFloat32>) idsAndRows[1];
          rowIds.add(ids);
          grads.add(rows);
        }
      }
    }
    // Distributed strategies combine the replicas' dense gradients here (for example their
    // mean); row gradients travel as they are (only strategies that allow it get them).
    List<Weight> denseWeights = new ArrayList<>();
    List<Operand<TFloat32>> denseGrads = new ArrayList<>();
    for (int i = 0; i < updated.size(); i++) {
      if (rowIds.get(i) == null) {
        denseWeights.add(updated.get(i));
        denseGrads.add(grads.get(i));
      }
    }
    denseGrads = g.distribution().aggregateGradients(tf, denseWeights, denseGrads);
    for (int i = 0, d = 0; i < updated.size(); i++) {
      if (rowIds.get(i) == null) {
        grads.set(i, denseGrads.get(d++));
      }
    }
    trainOp = optimizer.build(g, updated, grads, rowIds);
    List<Variable<?>> replicated = new ArrayList<>();
    model.weights().forEach(w -> replicated.addAll(w.graphVariable().shards()));
    replicated.addAll(optimizer.variables());
    broadcastFromChief = g.distribution().broadcastFromChief(tf, replicated);

    ForwardGraph eval = runtime.inferenceGraph();
    List<Operand<TFloat32>> evalTotals = totalLoss(tf, eval, evalWeights);
    evalLoss = evalTotals.get(0);
    evalOutputLosses = evalTotals.subList(2, evalTotals.size());
    evalStats = statistics(tf, eval, evalWeights);
  }

  /**
   * The row lookups through which the loss reads each shard of the split table {@code w} (empty
   * lists when the loss does not read it).
   */
  private static List<List<GraphOperation>> shardReads(LookupGradients lookups, Weight w) {
    List<List<GraphOperation>> perShard = new ArrayList<>();
    boolean any = false;
    for (int s = 0; s < w.rowPartition().shards(); s++) {
      List<GraphOperation> reads = lookups.lookupsOf(w.graphVariable().shard(s).asOutput());
      any |= reads != null;
      perShard.add(reads == null ? List.of() : reads);
    }
    if (any && perShard.stream().anyMatch(List::isEmpty)) {
      throw new IllegalStateException(
          "Weight "
              + w.path()
              + " is split into row shards, but the loss reads some shard other than by row"
              + " lookups (Weight.gatherRows)");
    }
    return perShard;
  }

  /**
   * The gradient of the split table {@code w} as its distinct looked-up rows: each shard's rows (of
   * the gradients {@code dw} from index {@code at} on) with their local ids moved to the table's
   * row ids, all shards together. Adds {@code [ids, rows]} to {@code out} unless no lookup has a
   * gradient; returns the index in {@code dw} after this table's lookups.
   */
  private static int shardRows(
      Ops tf,
      Weight w,
      List<List<GraphOperation>> perShard,
      List<Output<?>> dw,
      int at,
      List<Operand<?>> out) {
    List<Operand<TInt64>> ids = new ArrayList<>();
    List<Operand<TFloat32>> rows = new ArrayList<>();
    long width = w.shape().size() / w.shape().size(0);
    for (int s = 0; s < perShard.size(); s++) {
      List<GraphOperation> reads = perShard.get(s);
      Operand<?>[] idsAndRows =
          reads.isEmpty()
              ? null
              : LookupGradients.rows(tf, reads, dw.subList(at, at + reads.size()), width);
      at += reads.size();
      if (idsAndRows != null) {
        @SuppressWarnings("unchecked")
        Operand<TInt64> local = (Operand<TInt64>) idsAndRows[0];
        ids.add(tf.math.add(local, tf.constant(w.rowPartition().offset(s))));
        @SuppressWarnings("unchecked")
        Operand<TFloat32> r = (Operand<TFloat32>) idsAndRows[1];
        rows.add(r);
      }
    }
    if (!ids.isEmpty()) {
      out.add(ids.size() == 1 ? ids.get(0) : tf.concat(ids, tf.constant(0)));
      out.add(rows.size() == 1 ? rows.get(0) : tf.concat(rows, tf.constant(0)));
    }
    return at;
  }

  /**
   * The loss of every output reduced as Keras reduces a weighted loss, plus weight and activity
   * regularization. With sample weights {@code w} (1 when none are fed), an output's loss is {@code
   * sum(w * l) / size(l)} for {@code "sum_over_batch_size"}, {@code sum(w * l)} for {@code "sum"}
   * and {@code sum(w * l) / sum(w)} for {@code "mean_with_sample_weight"}. An output's Keras mask
   * multiplies {@code w}, scaled by {@code size / count(mask)} for the mean reductions so that the
   * loss is the mean over unmasked entries (Keras's {@code apply_mask}). Each output's term is
   * multiplied by its loss weight.
   *
   * <p>Returns the logged total and the total whose gradient trains the model: the same, except
   * with reduction {@code "none"}, whose per-sample losses Keras logs by their mean and
   * differentiates by their sum.
   */
  private List<Operand<TFloat32>> totalLoss(
      Ops tf, ForwardGraph fwd, List<PlaceholderWithDefault<TFloat32>> weightFeeds) {
    boolean first = lossSampleShapes.isEmpty();
    List<Operand<TFloat32>> terms = new ArrayList<>();
    List<Operand<TFloat32>> gradientTerms = new ArrayList<>();
    List<Operand<TFloat32>> outputTerms = new ArrayList<>();
    for (int k = 0; k < fwd.outputs().size(); k++) {
      Loss loss = lossPerOutput.get(k);
      List<Operand<TFloat32>> aligned = matchRank(tf, labels.get(k), fwd.outputs().get(k), loss);
      Operand<TFloat32> yTrue = aligned.get(0);
      Operand<TFloat32> yPred = aligned.get(1);
      Operand<TFloat32> values = loss.perSample(tf, yTrue, yPred);
      if (first) {
        // Rank-1 outputs give one loss per batch, which Keras weighs as a per-sample loss.
        lossSampleShapes.add(
            values.shape().numDimensions() == 0
                ? Shape.scalar()
                : Shape.of(KerasShape.sampleDims(values.shape())));
      }
      // The weights are fed shaped like the per-sample losses, or left at the scalar 1.
      PlaceholderWithDefault<TFloat32> w =
          tf.withName("sample_weight_" + k)
              .placeholderWithDefault(tf.constant(1f), Shape.unknown());
      weightFeeds.add(w);
      Operand<TFloat32> weights = w;
      Operand<TFloat32> mask = lossMask(tf, fwd.outputMasks().get(k), values, k);
      // A loss's own mask (ignore_class) combines with the output's Keras mask.
      Operand<TFloat32> ignored = loss.mask(tf, yTrue, yPred);
      if (ignored != null) {
        mask = mask == null ? ignored : tf.math.mul(mask, ignored);
      }
      if (mask != null) {
        if (!loss.reduction().equals("sum")
            && !loss.reduction().equals("none")
            && !loss.reduction().equals("mean_with_sample_weight")) {
          Operand<TFloat32> total = tf.dtypes.cast(tf.size(mask), TFloat32.class);
          Operand<TFloat32> valid = tf.reduceSum(mask, allAxes(tf, mask));
          mask = tf.math.mul(mask, tf.math.divNoNan(total, valid));
        }
        weights = tf.math.mul(w, mask);
      }
      Operand<TFloat32> weighted =
          tf.reshape(tf.math.mul(values, weights), tf.constant(new int[] {-1}));
      Operand<TFloat32> term;
      Operand<TFloat32> gradientTerm = null;
      switch (loss.reduction()) {
        case "sum":
          term = tf.sum(weighted, tf.constant(0));
          break;
        case "none":
          term = tf.math.mean(weighted, tf.constant(0), Mean.keepDims(false));
          gradientTerm = tf.sum(weighted, tf.constant(0));
          break;
        case "mean_with_sample_weight":
          term =
              tf.math.divNoNan(
                  tf.math.mean(weighted, tf.constant(0), Mean.keepDims(false)),
                  tf.math.mean(weights, allAxes(tf, weights)));
          break;
        default:
          term = tf.math.mean(weighted, tf.constant(0), Mean.keepDims(false));
      }
      if (gradientTerm == null) {
        gradientTerm = term;
      }
      if (fwd.outputs().size() > 1) {
        outputTerms.add(term);
      }
      if (lossWeights != null) {
        Operand<TFloat32> lw = tf.constant((float) lossWeights[k]);
        term = tf.math.mul(term, lw);
        gradientTerm = tf.math.mul(gradientTerm, lw);
      }
      terms.add(term);
      gradientTerms.add(gradientTerm);
    }
    List<Operand<TFloat32>> shared = new ArrayList<>();
    for (Weight w : model.weights()) {
      if (w.regularizer() != null) {
        shared.add(w.regularizer().apply(tf, w.value()));
      }
    }
    shared.addAll(fwd.losses());
    terms.addAll(shared);
    gradientTerms.addAll(shared);
    Operand<TFloat32> logged = sum(tf, terms);
    List<Operand<TFloat32>> out = new ArrayList<>();
    out.add(logged);
    out.add(perSampleTotal ? sum(tf, gradientTerms) : logged);
    out.addAll(outputTerms);
    return out;
  }

  private static Operand<TFloat32> sum(Ops tf, List<Operand<TFloat32>> terms) {
    Operand<TFloat32> total = terms.get(0);
    for (int i = 1; i < terms.size(); i++) {
      total = tf.math.add(total, terms.get(i));
    }
    return total;
  }

  /**
   * The weight of a batch of {@code n} samples in the logged mean loss: n, as Keras's loss tracker
   * weighs a batch's loss by its size; n² with reduction "none", whose per-sample losses Keras
   * weighs by the batch size each.
   */
  double batchWeight(int n) {
    return perSampleTotal ? (double) n * n : n;
  }

  private static Operand<TInt32> allAxes(Ops tf, Operand<?> x) {
    return tf.range(tf.constant(0), tf.rank(x), tf.constant(1));
  }

  /**
   * The Keras mask of output {@code k} as float 0/1 shaped like its per-sample losses {@code
   * values}, or null without a mask: Keras's {@code squeeze_or_expand_to_same_rank} (a trailing
   * axis of size 1 on either side is ignored).
   */
  private Operand<TFloat32> lossMask(Ops tf, Operand<TBool> mask, Operand<TFloat32> values, int k) {
    if (mask == null) {
      return null;
    }
    Operand<TFloat32> m = tf.dtypes.cast(mask, TFloat32.class);
    int rm = m.shape().numDimensions();
    int rv = values.shape().numDimensions();
    if (rm == rv + 1 && m.shape().size(rm - 1) == 1) {
      return tf.squeeze(m, org.tensorflow.op.core.Squeeze.axis(List.of((long) rm - 1)));
    }
    if (rv == rm + 1 && values.shape().size(rv - 1) == 1) {
      return tf.expandDims(m, tf.constant(-1));
    }
    if (rm != rv) {
      throw new IllegalArgumentException(
          "Model \""
              + model.name()
              + "\": output \""
              + model.outputNames().get(k)
              + "\" carries a mask of shape "
              + KerasShape.format(m.shape())
              + ", which cannot weigh its per-sample losses of shape "
              + KerasShape.format(values.shape()));
    }
    return m;
  }

  /**
   * {labels, predictions} as the loss expects them. As Keras's {@code
   * squeeze_or_expand_to_same_rank}: labels with an extra trailing axis of size 1 lose it, or
   * against rank-1 predictions the predictions gain it; a label array of shape (batch,) for a
   * (batch, 1) output is expanded. Sparse labels lose a trailing axis of size 1.
   */
  private List<Operand<TFloat32>> matchRank(
      Ops tf, Operand<TFloat32> y, Operand<TFloat32> yPred, Loss loss) {
    int ry = y.shape().numDimensions();
    int rp = yPred.shape().numDimensions();
    if (loss.sparseLabels()) {
      if (ry == rp && y.shape().size(ry - 1) == 1) {
        return List.of(
            tf.squeeze(y, org.tensorflow.op.core.Squeeze.axis(List.of((long) ry - 1))), yPred);
      }
      return List.of(y, yPred);
    }
    if (ry == rp + 1 && y.shape().size(ry - 1) == 1) {
      if (rp == 1) {
        return List.of(y, tf.expandDims(yPred, tf.constant(-1)));
      }
      return List.of(
          tf.squeeze(y, org.tensorflow.op.core.Squeeze.axis(List.of((long) ry - 1))), yPred);
    }
    if (ry == rp - 1) {
      return List.of(tf.expandDims(y, tf.constant(-1)), yPred);
    }
    if (ry != rp) {
      throw new IllegalArgumentException(
          "Model \""
              + model.name()
              + "\": labels of shape "
              + KerasShape.format(y.shape())
              + " do not fit outputs of shape "
              + KerasShape.format(yPred.shape()));
    }
    return List.of(y, yPred);
  }

  /**
   * The compiled metrics' batch statistics, each on its output; the output's Keras mask, if any,
   * weighs them (0 or 1 per entry, as Keras's metrics apply a mask), and the weighted metrics also
   * take the sample weights fed to the loss ({@code weightFeeds}).
   */
  private List<Operand<TFloat32>> statistics(
      Ops tf, ForwardGraph fwd, List<PlaceholderWithDefault<TFloat32>> weightFeeds) {
    List<Operand<TFloat32>> stats = new ArrayList<>();
    for (int i = 0; i < metrics.size(); i++) {
      int k = metricOutput[i];
      Operand<TFloat32> yPred = fwd.outputs().get(k);
      Operand<TFloat32> yTrue = labels.get(k);
      Loss outputLoss = lossPerOutput.get(k);
      if (!outputLoss.sparseLabels()) {
        List<Operand<TFloat32>> aligned = matchRank(tf, yTrue, yPred, outputLoss);
        yTrue = aligned.get(0);
        yPred = aligned.get(1);
      }
      Operand<TFloat32> weights =
          fwd.outputMasks().get(k) == null
              ? null
              : tf.dtypes.cast(fwd.outputMasks().get(k), TFloat32.class);
      if (metricWeighted[i]) {
        Operand<TFloat32> sample = sampleWeights(tf, weightFeeds.get(k), yPred, k);
        weights = weights == null ? sample : times(tf, sample, weights);
      }
      Metric m = metrics.get(i);
      stats.add(
          weights == null
              ? m.batchStatistics(tf, yTrue, yPred)
              : m.batchStatistics(tf, yTrue, yPred, weights));
    }
    return stats;
  }

  /**
   * Output {@code k}'s fed sample weights (the scalar 1 when none are fed) as a tensor of static
   * shape {@code (batch,) + per-sample loss shape}, which the metrics' broadcasting needs.
   */
  private Operand<TFloat32> sampleWeights(
      Ops tf, Operand<TFloat32> fed, Operand<TFloat32> yPred, int k) {
    long[] sampleDims = lossSampleShapes.get(k).asArray();
    Operand<TInt32> batch =
        tf.slice(tf.shape(yPred), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
    int[] dims = new int[sampleDims.length];
    for (int d = 0; d < dims.length; d++) {
      dims[d] = (int) sampleDims[d];
    }
    Operand<TFloat32> full =
        tf.broadcastTo(fed, tf.concat(List.of(batch, tf.constant(dims)), tf.constant(0)));
    return tf.ensureShape(full, Shape.of(Shape.UNKNOWN_SIZE).append(lossSampleShapes.get(k)));
  }

  /** Sample weights times a mask, per-sample weights (fewer axes) applying to all their steps. */
  private static Operand<TFloat32> times(
      Ops tf, Operand<TFloat32> weights, Operand<TFloat32> mask) {
    Operand<TFloat32> w = weights;
    for (int r = w.shape().numDimensions(); r < mask.shape().numDimensions(); r++) {
      w = tf.expandDims(w, tf.constant(-1));
    }
    return tf.math.mul(w, mask);
  }

  /**
   * Gives this replica the chief's weights and optimizer state, when the model's distribution
   * mirrors variables across replicas (every replica runs this at the start of {@code fit});
   * nothing otherwise.
   */
  void broadcastFromChief() {
    if (broadcastFromChief != null) {
      runtime.graphSession().session().runner().addTarget(broadcastFromChief).run().close();
    }
  }

  /** The compiled metric logged as {@code name} ({@code ctr_auc} with several outputs), or null. */
  Metric metric(String name) {
    Map<String, Integer> repeats = new HashMap<>();
    for (int i = 0; i < metrics.size(); i++) {
      if (logName(i, metrics.get(i).name(), repeats).equals(name)) {
        return metrics.get(i);
      }
    }
    return null;
  }

  /**
   * The log name of metric {@code i}'s value {@code key}, as Keras's compiled metrics name them:
   * the output's prefix; a name logged again gets {@code _1}, {@code _2}..., except that a weighted
   * metric's repeat first becomes {@code weighted_<name>}. {@code repeats} counts the names given
   * so far, in log order.
   */
  private String logName(int i, String key, Map<String, Integer> repeats) {
    String name = metricPrefix.get(i) + key;
    if (!repeats.containsKey(name)) {
      repeats.put(name, 1);
      return name;
    }
    if (metricWeighted[i]) {
      name = metricPrefix.get(i) + "weighted_" + key;
      if (!repeats.containsKey(name)) {
        repeats.put(name, 1);
        return name;
      }
    }
    int index = repeats.merge(name, 1, Integer::sum) - 1;
    return name + "_" + index;
  }

  void resetMetrics() {
    for (Metric m : metrics) {
      m.reset();
    }
    Arrays.fill(outputLossSums, 0);
    outputLossSeen = 0;
  }

  /**
   * Metrics first, then the loss and, with several outputs, each output's loss, as Keras 3 logs.
   */
  Map<String, Double> logs(double meanLoss) {
    Map<String, Double> logs = new LinkedHashMap<>();
    Map<String, Integer> repeats = new HashMap<>();
    for (int i = 0; i < metrics.size(); i++) {
      for (Map.Entry<String, Double> e : metrics.get(i).logs().entrySet()) {
        logs.put(logName(i, e.getKey(), repeats), e.getValue());
      }
    }
    logs.put("loss", meanLoss);
    for (int k = 0; k < outputLossSums.length; k++) {
      logs.put(model.outputNames().get(k) + "_loss", outputLossSums[k] / outputLossSeen);
    }
    return logs;
  }

  /** Runs one batch (a training or evaluation step) and returns its loss; updates the metrics. */
  double run(BatchSlice batch, boolean training) {
    BatchData data = batch.data();
    List<Tensor> fed = new ArrayList<>();
    try {
      Session.Runner runner = runtime.graphSession().session().runner();
      List<Placeholder<?>> inputs = runtime.inputPlaceholders();
      List<KerasTensor> modelInputs = model.inputs();
      for (int i = 0; i < data.x().size(); i++) {
        Tensor t = batch.rows(data.x().get(i), modelInputs.get(i).dtype());
        fed.add(t);
        runner.feed(inputs.get(i), t);
      }
      for (int k = 0; k < data.y().size(); k++) {
        Tensor t = batch.rows(data.y().get(k), "float32");
        fed.add(t);
        runner.feed(labels.get(k), t);
      }
      if (data.weights() != null) {
        List<PlaceholderWithDefault<TFloat32>> ws = training ? trainWeights : evalWeights;
        for (int k = 0; k < data.weights().size(); k++) {
          Tensor t = weightTensor(batch, data.weights().get(k), k);
          fed.add(t);
          runner.feed(ws.get(k), t);
        }
      }
      runner.fetch(training ? trainLoss : evalLoss);
      for (Operand<TFloat32> s : training ? trainStats : evalStats) {
        runner.fetch(s);
      }
      for (Operand<TFloat32> l : training ? trainOutputLosses : evalOutputLosses) {
        runner.fetch(l);
      }
      if (training) {
        runner.addTarget(trainOp);
        // Layer state (moving statistics) advances with each step, from this batch.
        stateUpdates.forEach(runner::addTarget);
      }
      BiConsumer<Boolean, RunMetadata> trace = stepTrace;
      if (trace != null) {
        runner.setOptions(
            RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build());
      }
      try (Result r = trace == null ? runner.run() : runner.runAndFetchMetadata()) {
        if (trace != null) {
          r.getMetadata().ifPresent(m -> trace.accept(training, m));
        }
        double value = ((TFloat32) r.get(0)).getFloat();
        for (int m = 0; m < metrics.size(); m++) {
          TFloat32 s = (TFloat32) r.get(m + 1);
          float[] v = new float[(int) s.size()];
          s.copyTo(DataBuffers.of(v, false, false));
          metrics.get(m).update(v);
        }
        for (int k = 0; k < outputLossSums.length; k++) {
          TFloat32 l = (TFloat32) r.get(metrics.size() + 1 + k);
          outputLossSums[k] += l.getFloat();
        }
        outputLossSeen++;
        return value;
      }
    } finally {
      for (Tensor t : fed) {
        t.close();
      }
    }
  }

  /**
   * The batch's sample weights of output {@code k}, shaped like that output's per-sample losses. As
   * Keras's {@code squeeze_or_expand_to_same_rank}, a trailing axis of size 1 on either side is
   * ignored: weights {@code (batch, 1)} weigh losses {@code (batch,)}.
   */
  private Tensor weightTensor(BatchSlice batch, HostArray weights, int k) {
    long[] lossDims = lossSampleShapes.get(k).asArray();
    long[] given = weights.sampleShape().asArray();
    long[] dims = given;
    if (given.length == lossDims.length + 1 && given[given.length - 1] == 1) {
      dims = Arrays.copyOf(given, given.length - 1);
    } else if (lossDims.length == given.length + 1 && lossDims[lossDims.length - 1] == 1) {
      dims = Arrays.copyOf(given, given.length + 1);
      dims[given.length] = 1;
    }
    boolean fits = dims.length == lossDims.length;
    for (int d = 0; fits && d < dims.length; d++) {
      fits = lossDims[d] < 0 || lossDims[d] == dims[d];
    }
    if (!fits) {
      throw new IllegalArgumentException(
          "Model \""
              + model.name()
              + "\": sample weights for output \""
              + model.outputNames().get(k)
              + "\" have shape "
              + KerasShape.format(weights.shape())
              + "; expected one weight per sample, or the per-sample loss shape "
              + KerasShape.format(Shape.of(Shape.UNKNOWN_SIZE).append(lossSampleShapes.get(k))));
    }
    Tensor t = batch.rows(weights, "float32");
    if (Arrays.equals(dims, given)) {
      return t;
    }
    try (TFloat32 gathered = (TFloat32) t) {
      float[] values = new float[(int) gathered.size()];
      gathered.copyTo(DataBuffers.of(values, false, false));
      return TFloat32.tensorOf(
          Shape.of(batch.size()).append(Shape.of(dims)), DataBuffers.of(values, true, false));
    }
  }
}

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/**
 * The graph of one training step (forward in training mode, weighted loss with regularization,
 * TensorFlow gradients, optimizer update) and of one evaluation step of a compiled model, and the
 * running of either on a batch. Built once, for labels of the shapes the first data has.
 */
final class TrainingGraph {

  private final Model model;
  private final ModelRuntime runtime;
  private final Loss loss;
  private final List<Metric> metrics;

  private final List<Placeholder<TFloat32>> labels = new ArrayList<>();
  // Per output: the sample weights fed to the training and evaluation losses (1 when not fed), and
  // the static shape of one sample's loss, which fed weights must have.
  private final List<PlaceholderWithDefault<TFloat32>> trainWeights = new ArrayList<>();
  private final List<PlaceholderWithDefault<TFloat32>> evalWeights = new ArrayList<>();
  private final List<Shape> lossSampleShapes = new ArrayList<>();
  private final Operand<TFloat32> trainLoss;
  private final Op trainOp;
  private final List<Op> stateUpdates;
  private final List<Operand<TFloat32>> trainStats;
  private final Operand<TFloat32> evalLoss;
  private final List<Operand<TFloat32>> evalStats;

  /**
   * Builds both graphs for labels whose samples have {@code labelShapes} (one per output). Metrics
   * named in compile resolve against the first output, as Keras does for one output.
   */
  TrainingGraph(
      Model model,
      Optimizer optimizer,
      Loss loss,
      List<String> metricNames,
      List<Metric> metricObjects,
      List<Shape> labelShapes) {
    this.model = model;
    this.runtime = ModelRuntime.of(model);
    this.loss = loss;
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
    for (String name : metricNames) {
      resolved.add(
          Metrics.get(
              name,
              loss,
              outputs.get(0).shape(),
              Shape.of(Shape.UNKNOWN_SIZE).append(labelShapes.get(0))));
    }
    resolved.addAll(metricObjects);
    this.metrics = List.copyOf(resolved);

    ForwardGraph train = runtime.forward(true);
    trainLoss = totalLoss(tf, train, trainWeights);
    trainStats = statistics(tf, train.outputs());
    stateUpdates = train.updates();

    List<Weight> trainable = model.trainableWeights();
    Output<?>[] wrt = new Output<?>[trainable.size()];
    for (int i = 0; i < wrt.length; i++) {
      wrt[i] = trainable.get(i).value().asOutput();
    }
    List<Weight> updated = new ArrayList<>();
    List<Operand<TFloat32>> grads = new ArrayList<>();
    if (wrt.length > 0) {
      // The gradients of the loss as the optimizer scales it (loss_scale_factor).
      Output<?>[] dw = GraphGradients.add(g, optimizer.scaleLoss(tf, trainLoss), wrt);
      for (int i = 0; i < dw.length; i++) {
        if (dw[i] != null) {
          updated.add(trainable.get(i));
          @SuppressWarnings("unchecked")
          Operand<TFloat32> gi = (Operand<TFloat32>) dw[i];
          grads.add(gi);
        }
      }
    }
    // Distributed strategies combine the replicas' gradients here (for example their mean).
    grads = g.distribution().aggregateGradients(tf, updated, grads);
    trainOp = optimizer.build(g, updated, grads);

    ForwardGraph eval = runtime.inferenceGraph();
    evalLoss = totalLoss(tf, eval, evalWeights);
    evalStats = statistics(tf, eval.outputs());
  }

  /**
   * The loss of every output reduced as Keras reduces a weighted loss, plus weight and activity
   * regularization. With sample weights {@code w} (1 when none are fed), an output's loss is {@code
   * sum(w * l) / size(l)} for {@code "sum_over_batch_size"}, {@code sum(w * l)} for {@code "sum"}
   * and {@code sum(w * l) / sum(w)} for {@code "mean_with_sample_weight"}.
   */
  private Operand<TFloat32> totalLoss(
      Ops tf, ForwardGraph fwd, List<PlaceholderWithDefault<TFloat32>> weights) {
    boolean first = lossSampleShapes.isEmpty();
    List<Operand<TFloat32>> terms = new ArrayList<>();
    for (int k = 0; k < fwd.outputs().size(); k++) {
      Operand<TFloat32> yPred = fwd.outputs().get(k);
      Operand<TFloat32> yTrue = matchRank(tf, labels.get(k), yPred);
      Operand<TFloat32> values = loss.perSample(tf, yTrue, yPred);
      if (first) {
        lossSampleShapes.add(Shape.of(KerasShape.sampleDims(values.shape())));
      }
      // The weights are fed shaped like the per-sample losses, or left at the scalar 1.
      PlaceholderWithDefault<TFloat32> w =
          tf.withName("sample_weight_" + k)
              .placeholderWithDefault(tf.constant(1f), Shape.unknown());
      weights.add(w);
      Operand<TFloat32> weighted = tf.reshape(tf.math.mul(values, w), tf.constant(new int[] {-1}));
      Operand<TFloat32> term;
      switch (loss.reduction()) {
        case "sum":
          term = tf.sum(weighted, tf.constant(0));
          break;
        case "mean_with_sample_weight":
          term =
              tf.math.divNoNan(
                  tf.math.mean(weighted, tf.constant(0), Mean.keepDims(false)),
                  tf.math.mean(w, tf.range(tf.constant(0), tf.rank(w), tf.constant(1))));
          break;
        default:
          term = tf.math.mean(weighted, tf.constant(0), Mean.keepDims(false));
      }
      terms.add(term);
    }
    for (Weight w : model.weights()) {
      if (w.regularizer() != null) {
        terms.add(w.regularizer().apply(tf, w.value()));
      }
    }
    terms.addAll(fwd.losses());
    Operand<TFloat32> total = terms.get(0);
    for (int i = 1; i < terms.size(); i++) {
      total = tf.math.add(total, terms.get(i));
    }
    return total;
  }

  /**
   * Labels as the loss expects them: a label array of shape (batch,) for a (batch, 1) output is
   * expanded, as Keras does; sparse labels lose a trailing axis of size 1.
   */
  private Operand<TFloat32> matchRank(Ops tf, Operand<TFloat32> y, Operand<TFloat32> yPred) {
    int ry = y.shape().numDimensions();
    int rp = yPred.shape().numDimensions();
    if (loss.sparseLabels()) {
      if (ry == rp && y.shape().size(ry - 1) == 1) {
        return tf.squeeze(y, org.tensorflow.op.core.Squeeze.axis(List.of((long) ry - 1)));
      }
      return y;
    }
    if (ry == rp - 1) {
      return tf.expandDims(y, tf.constant(-1));
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
    return y;
  }

  private List<Operand<TFloat32>> statistics(Ops tf, List<Operand<TFloat32>> outputs) {
    List<Operand<TFloat32>> stats = new ArrayList<>();
    Operand<TFloat32> yPred = outputs.get(0);
    Operand<TFloat32> yTrue =
        loss.sparseLabels() ? labels.get(0) : matchRank(tf, labels.get(0), yPred);
    for (Metric m : metrics) {
      stats.add(m.batchStatistics(tf, yTrue, yPred));
    }
    return stats;
  }

  /** The compiled metric called {@code name}, or null. */
  Metric metric(String name) {
    for (Metric m : metrics) {
      if (m.name().equals(name)) {
        return m;
      }
    }
    return null;
  }

  void resetMetrics() {
    for (Metric m : metrics) {
      m.reset();
    }
  }

  /** Metrics first, then the loss, as Keras 3 logs them. */
  Map<String, Double> logs(double meanLoss) {
    Map<String, Double> logs = new LinkedHashMap<>();
    for (Metric m : metrics) {
      logs.put(m.name(), m.result());
    }
    logs.put("loss", meanLoss);
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
      if (training) {
        runner.addTarget(trainOp);
        // Layer state (moving statistics) advances with each step, from this batch.
        stateUpdates.forEach(runner::addTarget);
      }
      try (Result r = runner.run()) {
        double value = ((TFloat32) r.get(0)).getFloat();
        for (int m = 0; m < metrics.size(); m++) {
          TFloat32 s = (TFloat32) r.get(m + 1);
          float[] v = new float[(int) s.size()];
          s.copyTo(DataBuffers.of(v, false, false));
          metrics.get(m).update(v);
        }
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

package io.jkeras.training;

import io.jkeras.GlobalSeed;
import io.jkeras.backend.GraphGradients;
import io.jkeras.backend.GraphSession;
import io.jkeras.backend.HostArray;
import io.jkeras.callbacks.Callback;
import io.jkeras.callbacks.ProgressLogger;
import io.jkeras.layers.KerasShape;
import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Weight;
import io.jkeras.losses.Loss;
import io.jkeras.metrics.Metric;
import io.jkeras.metrics.Metrics;
import io.jkeras.models.ForwardGraph;
import io.jkeras.models.Model;
import io.jkeras.optimizers.Optimizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/**
 * Training and evaluation of a compiled model: the graph of one training step (forward in training
 * mode, loss with regularization, TensorFlow gradients, optimizer update) and of one evaluation
 * step, and the loops of {@code fit} and {@code evaluate} that feed them batch by batch. Models
 * create it in {@code compile}.
 *
 * <pre>{@code
 * Trainer t = new Trainer(model, new Adam(), new BinaryCrossentropy(), List.of("auc"), List.of());
 * History h = t.fit(List.of(x), List.of(y), FitOptions.epochs(2));
 * }</pre>
 */
public final class Trainer {

  private final Model model;
  private final Optimizer optimizer;
  private final Loss loss;
  private final List<String> metricNames;
  private final List<String> compiledMetricNames;

  private boolean built;
  private List<Placeholder<TFloat32>> labels;
  private Operand<TFloat32> trainLoss;
  private Op trainOp;
  private List<Op> stateUpdates;
  private List<Operand<TFloat32>> trainStats;
  private Operand<TFloat32> evalLoss;
  private List<Operand<TFloat32>> evalStats;
  private final List<Metric> metrics = new ArrayList<>();
  private List<Object> pendingOptimizerState;

  /**
   * A trainer for {@code model}; the training and evaluation graphs are built on first use.
   *
   * @param metricNames metrics by Keras name ({@code "accuracy"}, {@code "auc"}...)
   * @param metricObjects metric instances, compiled after the named ones
   */
  public Trainer(
      Model model,
      Optimizer optimizer,
      Loss loss,
      List<String> metricNames,
      List<Metric> metricObjects) {
    this.model = model;
    this.optimizer = optimizer;
    this.loss = loss;
    this.metricNames = List.copyOf(metricNames);
    this.metrics.addAll(metricObjects);
    List<String> all = new ArrayList<>(metricNames);
    for (Metric m : metricObjects) {
      all.add(m.name());
    }
    this.compiledMetricNames = List.copyOf(all);
  }

  /** The optimizer that applies the gradients. */
  public Optimizer optimizer() {
    return optimizer;
  }

  /** The loss minimized per training step (layer losses are added to it). */
  public Loss loss() {
    return loss;
  }

  /** The metrics given to compile: names first, then the names of metric objects. */
  public List<String> metricNames() {
    return compiledMetricNames;
  }

  /**
   * Restores optimizer state read from a weights file: now if the optimizer exists, else as soon as
   * training creates it.
   */
  public void restoreOptimizerState(List<Object> values) {
    if (optimizer.isBuilt()) {
      optimizer.setState(values);
    } else {
      pendingOptimizerState = List.copyOf(values);
    }
  }

  /** Creates the training and evaluation graphs for labels shaped like {@code ys}. */
  private void build(List<HostArray> ys) {
    if (built) {
      return;
    }
    List<KerasTensor> outputs = model.outputs();
    if (ys.size() != outputs.size()) {
      throw new IllegalArgumentException(
          "Model \""
              + model.name()
              + "\" has "
              + outputs.size()
              + " outputs, got "
              + ys.size()
              + " label arrays");
    }
    GraphSession g = model.graphSession();
    Ops tf = g.tf().withSubScope(g.uniqueScope("training"));
    labels = new ArrayList<>();
    for (int k = 0; k < ys.size(); k++) {
      Shape s = Shape.of(Shape.UNKNOWN_SIZE).append(ys.get(k).sampleShape());
      labels.add(tf.withName("target_" + k).placeholder(TFloat32.class, Placeholder.shape(s)));
    }
    // Named metrics resolve against the first output, as Keras does for a single output.
    List<Metric> resolved = new ArrayList<>();
    for (String name : metricNames) {
      resolved.add(
          Metrics.get(
              name,
              loss,
              outputs.get(0).shape(),
              Shape.of(Shape.UNKNOWN_SIZE).append(ys.get(0).sampleShape())));
    }
    resolved.addAll(metrics);
    metrics.clear();
    metrics.addAll(resolved);

    ForwardGraph train = model.forward(true);
    trainLoss = totalLoss(tf, train);
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
    if (pendingOptimizerState != null) {
      optimizer.setState(pendingOptimizerState);
      pendingOptimizerState = null;
    }

    ForwardGraph eval = model.inferenceGraph();
    evalLoss = totalLoss(tf, eval);
    evalStats = statistics(tf, eval.outputs());
    built = true;
  }

  /** The mean per-sample loss of every output, plus weight and activity regularization. */
  private Operand<TFloat32> totalLoss(Ops tf, ForwardGraph fwd) {
    List<Operand<TFloat32>> terms = new ArrayList<>();
    for (int k = 0; k < fwd.outputs().size(); k++) {
      Operand<TFloat32> yPred = fwd.outputs().get(k);
      Operand<TFloat32> yTrue = matchRank(tf, labels.get(k), yPred);
      Operand<TFloat32> perSample =
          tf.reshape(loss.perSample(tf, yTrue, yPred), tf.constant(new int[] {-1}));
      terms.add(
          loss.reduction().equals("sum")
              ? tf.sum(perSample, tf.constant(0))
              : tf.math.mean(perSample, tf.constant(0), Mean.keepDims(false)));
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

  /** Trains {@code model} on {@code xs} (one array per input) and {@code ys} (one per output). */
  public History fit(List<HostArray> xs, List<HostArray> ys, FitOptions options) {
    List<HostArray> trainX = xs;
    List<HostArray> trainY = ys;
    List<HostArray> valX = options.validationX;
    List<HostArray> valY = options.validationY;
    int n = xs.get(0).count();
    for (HostArray y : ys) {
      if (y.count() != n) {
        throw new IllegalArgumentException(
            "fit: " + n + " input samples but " + y.count() + " labels");
      }
    }
    int trainCount = n;
    if (options.validationSplit > 0 && valX == null) {
      trainCount = (int) Math.floor(n * (1 - options.validationSplit));
      if (trainCount == 0 || trainCount == n) {
        throw new IllegalArgumentException(
            "fit: validation_split "
                + options.validationSplit
                + " of "
                + n
                + " samples leaves no training or no validation sample");
      }
    }
    build(ys);
    History history = new History();
    List<Callback> callbacks = new ArrayList<>();
    callbacks.add(history);
    int verbose = options.verbose < 0 ? ProgressLogger.autoVerbosity() : options.verbose;
    if (verbose > 0 && options.callbacks.stream().noneMatch(c -> c instanceof ProgressLogger)) {
      // A library writes no console output of its own: progress goes to SLF4J.
      callbacks.add(ProgressLogger.toLog());
    }
    callbacks.addAll(options.callbacks);
    int steps = (trainCount + options.batchSize - 1) / options.batchSize;
    model.resetStopTraining();
    Callback.TrainingRun run = new Callback.TrainingRun(model, options.epochs, steps, trainCount);
    for (Callback c : callbacks) {
      c.onTrainBegin(run);
    }
    int[] order = new int[trainCount];
    for (int i = 0; i < trainCount; i++) {
      order[i] = i;
    }
    int[] valOrder = null;
    if (valX == null && trainCount < n) {
      valOrder = new int[n - trainCount];
      for (int i = 0; i < valOrder.length; i++) {
        valOrder[i] = trainCount + i;
      }
      valX = trainX;
      valY = trainY;
    }
    SplittableRandom random = GlobalSeed.split();
    Map<String, Double> logs = new LinkedHashMap<>();
    for (int epoch = options.initialEpoch;
        epoch < options.epochs && !model.isStopTraining();
        epoch++) {
      for (Callback c : callbacks) {
        c.onEpochBegin(epoch);
      }
      if (options.shuffle) {
        for (int i = trainCount - 1; i > 0; i--) {
          int j = random.nextInt(i + 1);
          int t = order[i];
          order[i] = order[j];
          order[j] = t;
        }
      }
      resetMetrics();
      double lossSum = 0;
      long seen = 0;
      for (int step = 0; step < steps && !model.isStopTraining(); step++) {
        for (Callback c : callbacks) {
          c.onBatchBegin(step);
        }
        int from = step * options.batchSize;
        int to = Math.min(trainCount, from + options.batchSize);
        double batchLoss = runStep(trainX, trainY, order, from, to, true);
        lossSum += batchLoss * (to - from);
        seen += to - from;
        logs = currentLogs(lossSum / seen);
        for (Callback c : callbacks) {
          c.onBatchEnd(step, logs);
        }
      }
      if (valX != null) {
        Map<String, Double> val = evaluateOn(valX, valY, valOrder, options.batchSize);
        for (Map.Entry<String, Double> e : val.entrySet()) {
          logs.put("val_" + e.getKey(), e.getValue());
        }
      }
      for (Callback c : callbacks) {
        c.onEpochEnd(epoch, logs);
      }
    }
    if (optimizer.isBuilt() && options.epochs > options.initialEpoch) {
      optimizer.finalizeVariableValues();
    }
    for (Callback c : callbacks) {
      c.onTrainEnd(logs);
    }
    return history;
  }

  /** Loss and metrics over {@code xs}/{@code ys}, as Keras's {@code evaluate}. */
  public Map<String, Double> evaluate(List<HostArray> xs, List<HostArray> ys, int batchSize) {
    build(ys);
    return evaluateOn(xs, ys, null, batchSize);
  }

  private Map<String, Double> evaluateOn(
      List<HostArray> xs, List<HostArray> ys, int[] rows, int batchSize) {
    int n = rows != null ? rows.length : xs.get(0).count();
    int[] order = rows;
    if (order == null) {
      order = new int[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
    }
    resetMetrics();
    double lossSum = 0;
    for (int from = 0; from < n; from += batchSize) {
      int to = Math.min(n, from + batchSize);
      lossSum += runStep(xs, ys, order, from, to, false) * (to - from);
    }
    Map<String, Double> out = currentLogs(n == 0 ? Double.NaN : lossSum / n);
    resetMetrics();
    return out;
  }

  private void resetMetrics() {
    for (Metric m : metrics) {
      m.reset();
    }
  }

  /** Metrics first, then the loss, as Keras 3 logs them. */
  private Map<String, Double> currentLogs(double meanLoss) {
    Map<String, Double> logs = new LinkedHashMap<>();
    for (Metric m : metrics) {
      logs.put(m.name(), m.result());
    }
    logs.put("loss", meanLoss);
    return logs;
  }

  /** Runs one batch (rows {@code order[from..to)}) and returns its loss; updates the metrics. */
  private double runStep(
      List<HostArray> xs, List<HostArray> ys, int[] order, int from, int to, boolean training) {
    List<Tensor> fed = new ArrayList<>();
    try {
      Session.Runner runner = model.graphSession().session().runner();
      List<Placeholder<?>> inputs = model.inputPlaceholders();
      for (int i = 0; i < xs.size(); i++) {
        Tensor t = xs.get(i).gather(order, from, to, model.inputs().get(i).dtype());
        fed.add(t);
        runner.feed(inputs.get(i), t);
      }
      for (int k = 0; k < ys.size(); k++) {
        Tensor t = ys.get(k).gather(order, from, to, "float32");
        fed.add(t);
        runner.feed(labels.get(k), t);
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
}

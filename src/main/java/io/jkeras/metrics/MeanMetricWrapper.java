package io.jkeras.metrics;

import io.jkeras.config.ConfigReader;
import io.jkeras.losses.Loss;
import io.jkeras.losses.Losses;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.types.TFloat32;

/**
 * The (weighted) mean over samples of a loss function's per-sample values, as Keras's {@code
 * MeanMetricWrapper(fn, name, **kwargs)}: the base of the metrics Keras builds on loss functions
 * ({@link MeanSquaredError}, {@link BinaryCrossentropy}...), and a way to track any {@link Loss} as
 * a metric. Its config names the function ({@code fn}) and the loss's own settings as Keras's
 * keyword arguments.
 *
 * <pre>{@code
 * model.compile(new Adam(), new Huber(), new MeanMetricWrapper("mae", new MeanAbsoluteError()));
 * }</pre>
 */
public class MeanMetricWrapper extends Mean {

  private final Loss fn;

  /**
   * The mean of {@code fn}'s per-sample values.
   *
   * @param name the name in logs
   * @param fn the loss function
   */
  public MeanMetricWrapper(String name, Loss fn) {
    super(name);
    if (fn == null) {
      throw new IllegalArgumentException("MeanMetricWrapper \"" + name + "\": fn is null");
    }
    this.fn = fn;
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it: {@code fn} a serialized loss
   * function (or its name), the other keys the function's arguments.
   *
   * <pre>{@code
   * Metric m = MeanMetricWrapper.fromConfig(Map.of("name", "w", "fn", "mean_squared_error"));
   * }</pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static MeanMetricWrapper fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("MeanMetricWrapper", config);
    String name = readBaseConfig(c, null);
    Object fn = c.raw("fn");
    String function =
        fn instanceof String s
            ? s
            : fn instanceof Map<?, ?> m && m.get("config") instanceof String s ? s : null;
    if (function == null) {
      throw c.wrongValue("fn", "a loss function (its name or serialized form)", fn);
    }
    Map<String, Object> kwargs = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : config.entrySet()) {
      if (!List.of("name", "dtype", "fn").contains(e.getKey())) {
        kwargs.put(e.getKey(), e.getValue());
      }
    }
    Loss loss;
    try {
      loss = Losses.fromConfig(function, kwargs);
    } catch (IllegalArgumentException e) {
      throw c.fail("fn", e.getMessage());
    }
    return new MeanMetricWrapper(name == null ? function : name, loss);
  }

  /** The wrapped loss function. */
  Loss fn() {
    return fn;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    Map<String, Object> function = new LinkedHashMap<>();
    function.put("module", "builtins");
    function.put("class_name", "function");
    function.put("config", fn.functionName());
    function.put("registered_name", "function");
    config.put("fn", function);
    // The loss's own settings are the function's keyword arguments.
    for (Map.Entry<String, Object> e : fn.getConfig().entrySet()) {
      if (!e.getKey().equals("name") && !e.getKey().equals("reduction")) {
        config.put(e.getKey(), e.getValue());
      }
    }
    return config;
  }

  /**
   * As Keras's {@code Mean}, the loss's mask ({@code ignore_class}) applies to weighted batches:
   * there the values it masks out weigh 0. (Without sample weights Keras counts them as 0.)
   */
  @Override
  public Operand<TFloat32> batchStatistics(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred, Operand<TFloat32> sampleWeight) {
    if (sampleWeight != null) {
      Operand<TFloat32> mask = fn.mask(tf, alignLabels(tf, yTrue, yPred, fn.sparseLabels()), yPred);
      if (mask != null) {
        sampleWeight = tf.math.mul(BatchShapes.perElement(tf, sampleWeight, mask), mask);
      }
    }
    return super.batchStatistics(tf, yTrue, yPred, sampleWeight);
  }

  @Override
  protected Operand<TFloat32> values(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    return fn.perSample(tf, alignLabels(tf, yTrue, yPred, fn.sparseLabels()), yPred);
  }

  /**
   * Labels as loss functions take them: the predictions' rank, or for class indices one rank less
   * (a trailing axis of size 1 is dropped).
   */
  static Operand<TFloat32> alignLabels(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred, boolean sparse) {
    int ry = yTrue.shape().numDimensions();
    int rp = yPred.shape().numDimensions();
    if (sparse) {
      return ry == rp && ry > 1 && yTrue.shape().size(ry - 1) == 1
          ? tf.squeeze(yTrue, Squeeze.axis(List.of((long) ry - 1)))
          : yTrue;
    }
    return BatchShapes.sameRank(tf, yTrue, yPred).get(0);
  }

  /** Lower is better, as for the loss it averages: {@code "down"}. */
  @Override
  public String direction() {
    return "down";
  }
}

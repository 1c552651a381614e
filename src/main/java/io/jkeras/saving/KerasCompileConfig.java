package io.jkeras.saving;

import io.jkeras.KerasObjects;
import io.jkeras.config.ConfigException;
import io.jkeras.layers.Weight;
import io.jkeras.losses.Loss;
import io.jkeras.losses.LossWeights;
import io.jkeras.losses.Losses;
import io.jkeras.losses.OutputLosses;
import io.jkeras.metrics.Metric;
import io.jkeras.metrics.Metrics;
import io.jkeras.metrics.OutputMetrics;
import io.jkeras.models.Model;
import io.jkeras.optimizers.Optimizer;
import io.jkeras.optimizers.OptimizerVariable;
import io.jkeras.optimizers.Optimizers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.ndarray.Shape;

/**
 * A model's {@code compile} settings as model files store them: Keras 3's {@code compile_config}
 * ({@code {"optimizer": {module, class_name, config, registered_name}, "loss", "loss_weights",
 * "metrics", "weighted_metrics", "run_eagerly", "steps_per_execution", "jit_compile"}}) and the
 * legacy {@code training_config} of {@code .h5} files (the optimizer under {@code
 * optimizer_config}).
 *
 * <p>Optimizers: every class of {@link Optimizers} with all of Keras's options and learning-rate
 * schedules; the optimizer variables are checked against the optimizer's {@link
 * Optimizer#variableLayout}. Losses: by Keras name or as loss objects of {@link Losses}, one for
 * every output or (list or map by output name) one per output, with {@code loss_weights} in the
 * same forms. Metrics: names and metric objects, in the compiled order; objects are written as
 * Keras writes them ({@code module}, {@code class_name}, {@code config}, {@code registered_name}),
 * so their settings (thresholds, curve, names) survive the trip through Python and back.
 *
 * <pre>{@code
 * Map<String, Object> cc = KerasCompileConfig.toConfig(model);
 * KerasCompileConfig.compile(model, cc, "model.keras: compile_config");
 * }</pre>
 */
public final class KerasCompileConfig {

  private KerasCompileConfig() {}

  // ---- writing -------------------------------------------------------------------------------

  /**
   * The {@code compile_config} of a compiled model.
   *
   * @throws IllegalArgumentException for a metric object whose name is not a metric name
   */
  public static Map<String, Object> toConfig(Model model) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("optimizer", KerasObjects.serialize("keras.optimizers", model.optimizer()));
    out.put("loss", model.outputLosses().toConfig(KerasCompileConfig::lossConfig));
    out.put("loss_weights", model.lossWeights() == null ? null : model.lossWeights().toConfig());
    out.put("metrics", metricsConfig(model, model.outputMetrics()));
    out.put("weighted_metrics", metricsConfig(model, model.weightedMetrics()));
    out.put("run_eagerly", false);
    out.put("steps_per_execution", 1);
    out.put("jit_compile", false);
    return out;
  }

  /** The loss's Keras name when it has its default settings, else the serialized loss object. */
  private static Object lossConfig(Loss loss) {
    try {
      Loss plain = Losses.get(loss.name());
      if (plain.getClass() == loss.getClass() && plain.getConfig().equals(loss.getConfig())) {
        return loss.name();
      }
    } catch (IllegalArgumentException e) {
      // A loss without a Keras name: written as an object below.
    }
    return KerasObjects.serialize("keras.losses", loss);
  }

  /**
   * The compiled metrics as Keras writes them, in the form given to compile (a list, or a map by
   * output name): names as given, metric objects serialized with their config ({@code module},
   * {@code class_name}, {@code config}, {@code registered_name}); null for none.
   */
  private static Object metricsConfig(Model model, OutputMetrics metrics) {
    Shape output = model.outputs().get(0).shape();
    return metrics.toConfig(
        m -> {
          try {
            if (m instanceof Metric metric) {
              return Metrics.serialize(metric);
            }
            Metrics.get((String) m, output, output);
            return m;
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                "Model \""
                    + model.name()
                    + "\": metric "
                    + m
                    + " cannot be saved: "
                    + e.getMessage(),
                e);
          }
        });
  }

  // ---- reading -------------------------------------------------------------------------------

  /**
   * Compiles {@code model} from a Keras 3 {@code compile_config} (or, with {@code legacy}, from a
   * legacy {@code training_config}).
   *
   * @throws KerasFileException for anything jkeras cannot compile with; {@code where} starts the
   *     message
   */
  public static void compile(
      Model model, Map<String, Object> config, String where, boolean legacy) {
    String optimizerKey = legacy ? "optimizer_config" : "optimizer";
    Optimizer optimizer =
        optimizer(KerasJson.member(config, optimizerKey, where), where + "." + optimizerKey);
    OutputLosses losses =
        outputLosses(KerasJson.member(config, "loss", where), model, where + ".loss");
    losses.resolve(model.outputs().stream().map(t -> t.layer().name()).toList(), model.name());
    OutputMetrics metrics = outputMetrics(config.get("metrics"), where + ".metrics");
    LossWeights lossWeights = null;
    if (config.get("loss_weights") != null) {
      try {
        lossWeights = LossWeights.fromConfig(config.get("loss_weights"));
        lossWeights.resolve(
            model.outputs().stream().map(t -> t.layer().name()).toList(),
            "Model \"" + model.name() + "\"");
      } catch (IllegalArgumentException e) {
        throw new KerasFileException(where + ".loss_weights: " + e.getMessage(), e);
      }
    }
    OutputMetrics weighted =
        outputMetrics(config.get("weighted_metrics"), where + ".weighted_metrics");
    checkExecutionOptions(config, where);
    checkMetrics(model, metrics, where + ".metrics");
    checkMetrics(model, weighted, where + ".weighted_metrics");
    try {
      model.compile(optimizer, losses, lossWeights, metrics, weighted);
    } catch (IllegalArgumentException e) {
      throw new KerasFileException(where + ": " + e.getMessage(), e);
    }
  }

  /** Metric names jkeras knows, spread over the model's outputs as Keras does. */
  private static void checkMetrics(Model model, OutputMetrics metrics, String where) {
    Shape out = model.outputs().get(0).shape();
    try {
      for (Object m : metrics.flattened()) {
        if (m instanceof String name) {
          Metrics.get(name, out, out);
        }
      }
      metrics.resolve(
          model.outputs().stream().map(t -> t.layer().name()).toList(),
          "Model \"" + model.name() + "\"");
    } catch (IllegalArgumentException e) {
      throw new KerasFileException(where + ": " + e.getMessage(), e);
    }
  }

  /**
   * run_eagerly, jit_compile and steps_per_execution change nothing in jkeras; types still count.
   */
  private static void checkExecutionOptions(Map<String, Object> config, String where) {
    Object eager = config.get("run_eagerly");
    if (eager != null && !(eager instanceof Boolean)) {
      throw KerasJson.wrongType(where + ".run_eagerly", "true or false", eager);
    }
    Object jit = config.get("jit_compile");
    if (jit != null && !(jit instanceof Boolean) && !"auto".equals(jit)) {
      throw KerasJson.wrongType(where + ".jit_compile", "true, false or \"auto\"", jit);
    }
    Object steps = config.get("steps_per_execution");
    Long n = KerasJson.integral(steps);
    if (steps != null && !"auto".equals(steps) && (n == null || n < 1)) {
      throw KerasJson.wrongType(where + ".steps_per_execution", "a positive integer", steps);
    }
  }

  /** An optimizer from {@code {"class_name", "config"}} (or a bare name such as "adam"). */
  static Optimizer optimizer(Object value, String where) {
    if (value instanceof String name) {
      try {
        return Optimizers.get(name);
      } catch (IllegalArgumentException e) {
        throw new KerasFileException(where + ": " + e.getMessage(), e);
      }
    }
    Map<String, Object> obj = KerasJson.object(value, where);
    KerasJson.checkEntryMembers(obj, where);
    String className =
        KerasJson.string(KerasJson.member(obj, "class_name", where), where + ".class_name");
    Object rawConfig = obj.get("config");
    Map<String, Object> config =
        rawConfig == null ? Map.of() : KerasJson.object(rawConfig, where + ".config");
    String simple = className.startsWith("Custom>") ? className.substring(7) : className;
    try {
      return Optimizers.fromConfig(simple, config);
    } catch (ConfigException e) {
      throw new KerasFileException(e.at(where + " (" + simple + ")").getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new KerasFileException(where + ": " + e.getMessage(), e);
    }
  }

  /**
   * The losses of {@code compile_config}'s {@code loss}: one loss, or (for a model of several
   * outputs) a list with one per output or a map by output name.
   */
  private static OutputLosses outputLosses(Object value, Model model, String where) {
    List<String> names = model.outputs().stream().map(t -> t.layer().name()).toList();
    OutputLosses out;
    if (value instanceof List<?> list && list.size() > 1) {
      Loss[] each = new Loss[list.size()];
      for (int i = 0; i < each.length; i++) {
        each[i] = loss(list.get(i), where + "[" + i + "]");
      }
      out = OutputLosses.of(each);
    } else if (value instanceof Map<?, ?> map && !map.containsKey("class_name")) {
      Map<String, Loss> each = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        each.put(String.valueOf(e.getKey()), loss(e.getValue(), where + "." + e.getKey()));
      }
      out = OutputLosses.byOutput(each);
    } else {
      return OutputLosses.single(loss(value, where));
    }
    try {
      out.resolve(names, "Model \"" + model.name() + "\"");
    } catch (IllegalArgumentException e) {
      throw new KerasFileException(where + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** A loss from its Keras name or its serialized object. */
  static Loss loss(Object value, String where) {
    try {
      if (value instanceof String name) {
        return Losses.get(name);
      }
      if (value instanceof List<?> list && list.size() == 1) {
        return loss(list.get(0), where + "[0]");
      }
      if (value instanceof List<?> || value == null) {
        throw new IllegalArgumentException(
            "expected one loss (a name or a loss object), got " + KerasJson.show(value));
      }
      Map<String, Object> obj = KerasJson.object(value, where);
      String className =
          KerasJson.string(KerasJson.member(obj, "class_name", where), where + ".class_name");
      Object rawConfig = obj.get("config");
      if (className.equals("function") && rawConfig instanceof String fn) {
        return Losses.get(fn); // a loss function, as Keras serializes keras.losses.mse
      }
      Map<String, Object> config =
          rawConfig == null ? Map.of() : KerasJson.object(rawConfig, where + ".config");
      if (className.equals("LossFunctionWrapper")) {
        Object fn = config.get("fn");
        return Losses.get(fn instanceof String s ? s : String.valueOf(fn));
      }
      return Losses.fromConfig(className, config);
    } catch (ConfigException e) {
      throw new KerasFileException(e.at(where).getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new KerasFileException(where + ": " + e.getMessage(), e);
    }
  }

  /**
   * The metrics in the form Keras wrote them: a list (for several outputs, one entry per output: a
   * metric, a list of metrics or null) or a map by output name; each metric a name or a serialized
   * metric object, rebuilt from its config.
   */
  private static OutputMetrics outputMetrics(Object value, String where) {
    if (value == null) {
      return OutputMetrics.of(List.of());
    }
    if (value instanceof List<?> list) {
      List<Object> entries = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        entries.add(metricEntry(list.get(i), where + "[" + i + "]"));
      }
      return OutputMetrics.of(entries);
    }
    if (value instanceof Map<?, ?> map && !map.containsKey("class_name")) {
      Map<String, Object> byOutput = new LinkedHashMap<>();
      KerasJson.object(value, where)
          .forEach((name, v) -> byOutput.put(name, metricEntry(v, where + "." + name)));
      return OutputMetrics.byOutput(byOutput);
    }
    throw new KerasFileException(
        where
            + ": expected a list of metrics or a map of them by output name, got "
            + KerasJson.show(value));
  }

  /** One entry of the metrics list or map: null, a metric, or a list of metrics. */
  private static Object metricEntry(Object value, String where) {
    if (value == null) {
      return null;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        out.add(metric(list.get(i), where + "[" + i + "]"));
      }
      return out;
    }
    return metric(value, where);
  }

  /** A metric name, or a metric object rebuilt from its serialized config. */
  private static Object metric(Object value, String where) {
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Map<?, ?>) {
      Map<String, Object> obj = KerasJson.object(value, where);
      String className =
          KerasJson.string(KerasJson.member(obj, "class_name", where), where + ".class_name");
      if (className.equals("function") && obj.get("config") instanceof String fn) {
        return fn; // a metric function, as Keras serializes keras.metrics.binary_accuracy
      }
      Map<String, Object> config =
          obj.get("config") == null
              ? Map.of()
              : KerasJson.object(obj.get("config"), where + ".config");
      if (className.equals("MeanMetricWrapper")
          && config.get("fn") instanceof String fn
          && Metrics.names().contains(fn)
          && !Losses.names().contains(fn)) {
        return fn; // Keras 2 files wrap metric functions: binary_accuracy is jkeras's class
      }
      String type =
          obj.get("registered_name") instanceof String r && Metrics.names().contains(r)
              ? r
              : className;
      try {
        return Metrics.fromConfig(type, config);
      } catch (ConfigException e) {
        throw new KerasFileException(e.at(where).getMessage(), e);
      } catch (IllegalArgumentException e) {
        throw new KerasFileException(
            where + ": metric class \"" + className + "\" is not supported: " + e.getMessage(), e);
      }
    }
    throw new KerasFileException(
        where + ": expected a metric name or a serialized metric, got " + KerasJson.show(value));
  }

  // ---- optimizer state -----------------------------------------------------------------------

  /**
   * Checks optimizer variables read from a file against the compiled model: {@code iteration} and
   * {@code learning_rate} scalars, then the variables of the optimizer's {@link
   * Optimizer#variableLayout} (shapes, and integer or float). Returns the state to restore, or an
   * empty list when the file's optimizer was never built (only its two scalars, while this
   * optimizer keeps slots): training then starts with a fresh optimizer, as Keras does.
   *
   * @throws KerasFileException when the state does not fit the model
   */
  static List<StoredArray> checkOptimizerState(Model model, List<StoredArray> state, String where) {
    if (state.isEmpty()) {
      return state;
    }
    Optimizer optimizer = model.optimizer();
    List<Weight> trainable = model.trainableWeights();
    int initial = optimizer.initialState().size();
    List<OptimizerVariable> layout =
        optimizer.variableLayout(trainable.stream().map(Weight::shape).toList());
    List<Shape> expected = layout.stream().map(OptimizerVariable::shape).toList();
    if (state.size() == initial && expected.size() != initial) {
      // The file's optimizer was never built: training starts afresh, as in Keras.
      return List.of();
    }
    if (state.size() != expected.size()) {
      throw new KerasFileException(
          where
              + ": the file holds "
              + state.size()
              + " optimizer variables, but "
              + optimizer.className()
              + " "
              + optimizer.getConfig()
              + " for the model's "
              + trainable.size()
              + " trainable weights needs "
              + expected.size());
    }
    if (!Arrays.equals(state.get(0).shape(), new long[0]) && state.get(0).size() != 1) {
      throw new KerasFileException(
          where + ": expected the optimizer's iteration count first, got " + state.get(0));
    }
    boolean inOrder = true;
    for (int i = 1; i < state.size(); i++) {
      inOrder &=
          state.get(i).isFloat() != layout.get(i).integer()
              && state.get(i).size() == expected.get(i).size();
    }
    if (inOrder) {
      for (int i = 1; i < state.size(); i++) {
        inOrder &= Arrays.equals(state.get(i).shape(), expected.get(i).asArray());
      }
      if (inOrder || legacyOrder(state, expected)) {
        return state;
      }
    }
    throw new KerasFileException(
        where
            + ": the optimizer variables' shapes "
            + state.stream().map(a -> Arrays.toString(a.shape())).toList()
            + " do not match "
            + optimizer.className()
            + "'s for the model's trainable weights "
            + trainable.stream()
                .map(w -> w.path() + io.jkeras.layers.KerasShape.format(w.shape()))
                .toList());
  }

  /**
   * Legacy {@code .h5} files store scalars as {@code [1]} arrays and may differ in the shapes of
   * size-1 dimensions: sizes equal one by one are accepted there.
   */
  private static boolean legacyOrder(List<StoredArray> state, List<Shape> expected) {
    for (int i = 1; i < state.size(); i++) {
      if (state.get(i).size() != expected.get(i).size()) {
        return false;
      }
    }
    return true;
  }
}

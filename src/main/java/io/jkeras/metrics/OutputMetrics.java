package io.jkeras.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Keras's {@code metrics} argument of {@code compile}, in the forms Keras takes. A metric is a name
 * ({@code "auc"}, {@code "accuracy"}) or a {@link Metric} object.
 *
 * <ul>
 *   <li>A list ({@link #of}): with one output, every metric in it (nested lists flattened) applies
 *       to that output. With several outputs, it must have one entry per output, in output order: a
 *       metric, a list of metrics, or null for none.
 *   <li>A map by output name ({@link #byOutput}): a metric or a list of metrics for some of the
 *       outputs (the output layers' names).
 * </ul>
 *
 * With several outputs, each metric is logged as {@code <output>_<metric>} ({@code ctr_auc}); a
 * name logged twice gets {@code _1}, {@code _2}... as in Keras. {@code compile_config} keeps the
 * form given.
 *
 * <pre>{@code
 * model.compile(new Adam(),
 *     OutputLosses.byOutput(Map.of("ctr", new BinaryCrossentropy(), "price", new Huber())),
 *     null,
 *     OutputMetrics.byOutput(Map.of("ctr", List.of("auc", "accuracy"), "price", "mae")));
 * }</pre>
 */
public final class OutputMetrics {

  private final List<?> list;
  private final Map<String, ?> byName;

  private OutputMetrics(List<?> list, Map<String, ?> byName) {
    this.list = list;
    this.byName = byName;
  }

  /**
   * Keras's list form: the metrics of a single output, or one entry (a metric, a list of metrics,
   * or null) per output.
   *
   * <pre>{@code
   * OutputMetrics.of(List.of("accuracy", new AUC()));            // one output
   * OutputMetrics.of(List.of(List.of("auc"), "mae"));           // two outputs
   * }</pre>
   *
   * @param metrics names, {@link Metric}s, lists of them, or nulls
   * @return the metrics
   * @throws IllegalArgumentException for an entry of another type
   */
  public static OutputMetrics of(List<?> metrics) {
    List<Object> copy = new ArrayList<>(metrics);
    copy.forEach(m -> check(m, true));
    return new OutputMetrics(Collections.unmodifiableList(copy), null);
  }

  /**
   * Keras's dict form: a metric or a list of metrics for some outputs, by output name.
   *
   * <pre>{@code
   * OutputMetrics.byOutput(Map.of("ctr", List.of("auc"), "price", "mae"));
   * }</pre>
   *
   * @param metrics each output's metric or list of metrics
   * @return the metrics
   * @throws IllegalArgumentException for a value of another type
   */
  public static OutputMetrics byOutput(Map<String, ?> metrics) {
    Map<String, Object> copy = new LinkedHashMap<>(metrics);
    copy.values().forEach(m -> check(m, true));
    return new OutputMetrics(null, Collections.unmodifiableMap(copy));
  }

  private static void check(Object m, boolean listAllowed) {
    if (m == null || m instanceof String || m instanceof Metric) {
      return;
    }
    if (listAllowed && m instanceof List<?> l) {
      l.forEach(e -> check(e, false));
      return;
    }
    throw new IllegalArgumentException(
        "a metric must be a name or a Metric"
            + (listAllowed ? " (or a list of them)" : "")
            + ", got "
            + m.getClass().getName());
  }

  /**
   * The metrics of each output, in output order, each a name or a {@link Metric}.
   *
   * <pre>{@code List<List<Object>> each = metrics.resolve(List.of("ctr", "price"), "Model \"m\"");}
   * </pre>
   *
   * @param outputNames the model's output layer names, in output order
   * @param owner names the model in messages
   * @return one list per output (empty for none)
   * @throws IllegalArgumentException when the metrics do not fit the outputs, or one Metric object
   *     is given for two outputs (its state would mix them)
   */
  public List<List<Object>> resolve(List<String> outputNames, String owner) {
    int n = outputNames.size();
    List<List<Object>> out = new ArrayList<>();
    if (n == 1) {
      if (list != null && list.contains(null)) {
        throw new IllegalArgumentException(
            owner
                + ": metrics "
                + show(list)
                + " hold null; a null entry is for a multi-output"
                + " model's output without metrics");
      }
      out.add(flattened());
    } else if (list != null) {
      if (!list.isEmpty() && list.size() != n) {
        throw new IllegalArgumentException(
            owner
                + ": metrics "
                + show(list)
                + " for "
                + n
                + " outputs "
                + outputNames
                + "; with several outputs give one entry (a metric, a list of metrics or null) per"
                + " output, or a map by output name");
      }
      for (int k = 0; k < n; k++) {
        out.add(list.isEmpty() ? List.of() : leaves(list.get(k)));
      }
    } else {
      if (!outputNames.containsAll(byName.keySet())) {
        throw new IllegalArgumentException(
            owner
                + ": the metrics name outputs "
                + byName.keySet()
                + ", expected some of the model's outputs "
                + outputNames);
      }
      for (String name : outputNames) {
        out.add(leaves(byName.get(name)));
      }
    }
    Map<Metric, String> seen = new IdentityHashMap<>();
    for (int k = 0; k < out.size(); k++) {
      for (Object m : out.get(k)) {
        if (m instanceof Metric metric) {
          String before = seen.put(metric, outputNames.get(k));
          if (before != null && !before.equals(outputNames.get(k))) {
            throw new IllegalArgumentException(
                owner
                    + ": metric object \""
                    + metric.name()
                    + "\" is given for outputs \""
                    + before
                    + "\" and \""
                    + outputNames.get(k)
                    + "\"; give each output its own object");
          }
        }
      }
    }
    return out;
  }

  /**
   * Every metric given, in order (lists flattened, nulls dropped).
   *
   * <pre>{@code List<Object> all = metrics.flattened(); // ["auc", "accuracy", "mae"]}</pre>
   *
   * @return names and {@link Metric}s
   */
  public List<Object> flattened() {
    List<Object> out = new ArrayList<>();
    for (Object m : list != null ? list : byName.values()) {
      out.addAll(leaves(m));
    }
    return List.copyOf(out);
  }

  private static List<Object> leaves(Object m) {
    if (m == null) {
      return List.of();
    }
    return m instanceof List<?> l ? List.copyOf(l) : List.of(m);
  }

  /**
   * The form Keras writes in {@code compile_config}: the list or map as given, each metric as
   * {@code each} writes it; null when there are none.
   *
   * <pre>{@code Object json = metrics.toConfig(m -> m instanceof Metric o ? o.name() : m);}</pre>
   *
   * @param each writes one metric
   * @return a list, a map, or null
   */
  public Object toConfig(Function<Object, Object> each) {
    if (list != null) {
      return list.isEmpty() ? null : list.stream().map(m -> entryConfig(m, each)).toList();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    byName.forEach((k, v) -> out.put(k, entryConfig(v, each)));
    return out;
  }

  private static Object entryConfig(Object m, Function<Object, Object> each) {
    if (m == null) {
      return null;
    }
    return m instanceof List<?> l ? l.stream().map(each).toList() : each.apply(m);
  }

  private static String show(List<?> metrics) {
    return metrics.stream()
        .map(m -> m instanceof Metric o ? o.name() : String.valueOf(m))
        .toList()
        .toString();
  }
}

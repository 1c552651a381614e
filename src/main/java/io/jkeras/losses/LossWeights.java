package io.jkeras.losses;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code loss_weights} of {@code compile}: how much each output's loss counts in the total
 * the model trains on ({@code total = Σ weight_k · loss_k}). Given in one of the forms Keras
 * accepts, and written back to {@code compile_config} in that form: a list in output order, a map
 * by output name (the output layers' names), or one number for a single-output model.
 *
 * <pre>{@code
 * model.compile(new Adam(), new MeanSquaredError(), LossWeights.of(1.0, 0.2));
 * model.compile(new Adam(), new MeanSquaredError(), LossWeights.byOutput(Map.of("ctr", 1.0, "cvr", 0.5)));
 * }</pre>
 */
public final class LossWeights {

  private final List<Double> list;
  private final Map<String, Double> byName;
  private final Double single;

  private LossWeights(List<Double> list, Map<String, Double> byName, Double single) {
    this.list = list;
    this.byName = byName;
    this.single = single;
  }

  /**
   * One weight per output, in the model's output order (Keras's list form).
   *
   * <pre>{@code LossWeights w = LossWeights.of(1.0, 0.5);}</pre>
   */
  public static LossWeights of(double... weights) {
    List<Double> l = new ArrayList<>();
    for (double w : weights) {
      l.add(w);
    }
    return new LossWeights(List.copyOf(l), null, null);
  }

  /**
   * Weights by output name (Keras's dict form); every output must be named.
   *
   * <pre>{@code LossWeights w = LossWeights.byOutput(Map.of("ctr", 1.0, "cvr", 0.5));}</pre>
   */
  public static LossWeights byOutput(Map<String, Double> weights) {
    return new LossWeights(null, new LinkedHashMap<>(weights), null);
  }

  /**
   * One weight for the loss of a single-output model (Keras's float form).
   *
   * <pre>{@code LossWeights w = LossWeights.single(0.5);}</pre>
   */
  public static LossWeights single(double weight) {
    return new LossWeights(null, null, weight);
  }

  /**
   * The weight of each output, in order.
   *
   * <pre>{@code double[] w = weights.resolve(List.of("ctr", "cvr"), "Model \"ranker\"");}</pre>
   *
   * @param outputNames the model's output layer names, in output order
   * @param owner names the model in messages
   * @throws IllegalArgumentException when the weights do not fit the outputs, saying which
   */
  public double[] resolve(List<String> outputNames, String owner) {
    int n = outputNames.size();
    double[] out = new double[n];
    if (single != null) {
      if (n != 1) {
        throw new IllegalArgumentException(
            owner
                + ": loss_weights "
                + single
                + " is one number, for a model with one output; this one has "
                + n
                + " outputs "
                + outputNames
                + " (give a list or a map by output name)");
      }
      out[0] = single;
    } else if (list != null) {
      if (list.size() != n) {
        throw new IllegalArgumentException(
            owner
                + ": loss_weights must match the number of losses: got "
                + list.size()
                + " weights "
                + list
                + " for "
                + n
                + " outputs "
                + outputNames);
      }
      for (int k = 0; k < n; k++) {
        out[k] = list.get(k);
      }
    } else {
      if (!byName.keySet().equals(new java.util.HashSet<>(outputNames))) {
        throw new IllegalArgumentException(
            owner
                + ": loss_weights names outputs "
                + byName.keySet()
                + ", expected exactly the model's outputs "
                + outputNames);
      }
      for (int k = 0; k < n; k++) {
        out[k] = byName.get(outputNames.get(k));
      }
    }
    for (int k = 0; k < n; k++) {
      if (!Double.isFinite(out[k])) {
        throw new IllegalArgumentException(
            owner + ": loss weight of output " + outputNames.get(k) + " is " + out[k]);
      }
    }
    return out;
  }

  /**
   * The form Keras writes in {@code compile_config}: a list, a map or a number.
   *
   * <pre>{@code Object json = LossWeights.of(1, 0.5).toConfig(); // [1.0, 0.5]}</pre>
   */
  public Object toConfig() {
    return single != null ? single : list != null ? list : byName;
  }

  /**
   * The weights of a {@code compile_config}'s {@code loss_weights}: a list of numbers, a map from
   * output name to number, or a number.
   *
   * <pre>{@code LossWeights w = LossWeights.fromConfig(List.of(1.0, 0.5));}</pre>
   *
   * @throws IllegalArgumentException for anything else, showing it
   */
  public static LossWeights fromConfig(Object value) {
    if (value instanceof Number n) {
      return single(n.doubleValue());
    }
    if (value instanceof List<?> l) {
      double[] w = new double[l.size()];
      for (int i = 0; i < w.length; i++) {
        w[i] = number(l.get(i), "[" + i + "]");
      }
      return of(w);
    }
    if (value instanceof Map<?, ?> m) {
      Map<String, Double> w = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        w.put(String.valueOf(e.getKey()), number(e.getValue(), "." + e.getKey()));
      }
      return byOutput(w);
    }
    throw new IllegalArgumentException(
        "loss_weights: expected a list of numbers, a map from output name to number or a number,"
            + " got "
            + value);
  }

  private static double number(Object v, String where) {
    if (!(v instanceof Number n)) {
      throw new IllegalArgumentException("loss_weights" + where + ": expected a number, got " + v);
    }
    return n.doubleValue();
  }

  @Override
  public String toString() {
    return "LossWeights" + toConfig();
  }
}

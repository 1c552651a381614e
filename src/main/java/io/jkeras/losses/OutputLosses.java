package io.jkeras.losses;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Keras's {@code loss} argument of {@code compile} for a model with several outputs: one loss for
 * every output, a list with one loss per output in output order, or a map by output name (the
 * output layers' names). Keras needs the list or map form to take {@code loss_weights} of the same
 * form; {@code compile_config} keeps the form given.
 *
 * <pre>{@code
 * model.compile(new Adam(),
 *     OutputLosses.byOutput(Map.of("ctr", new BinaryCrossentropy(), "price", new Huber())),
 *     LossWeights.byOutput(Map.of("ctr", 1.0, "price", 0.1)));
 * }</pre>
 */
public final class OutputLosses {

  private final Loss single;
  private final List<Loss> list;
  private final Map<String, Loss> byName;

  private OutputLosses(Loss single, List<Loss> list, Map<String, Loss> byName) {
    this.single = single;
    this.list = list;
    this.byName = byName;
  }

  /**
   * The same loss for every output (Keras's single loss).
   *
   * <pre>{@code OutputLosses l = OutputLosses.single(new MeanSquaredError());}</pre>
   */
  public static OutputLosses single(Loss loss) {
    return new OutputLosses(loss, null, null);
  }

  /**
   * One loss per output, in output order (Keras's list form).
   *
   * <pre>{@code OutputLosses l = OutputLosses.of(new MeanSquaredError(), new Huber());}</pre>
   */
  public static OutputLosses of(Loss... losses) {
    return new OutputLosses(null, List.of(losses), null);
  }

  /**
   * One loss per output name (Keras's dict form).
   *
   * <pre>{@code OutputLosses l = OutputLosses.byOutput(Map.of("a", new Huber()));}</pre>
   */
  public static OutputLosses byOutput(Map<String, Loss> losses) {
    return new OutputLosses(null, null, new LinkedHashMap<>(losses));
  }

  /**
   * The loss of each output, in order.
   *
   * <pre>{@code List<Loss> l = losses.resolve(List.of("a", "b"), "Model \"m\"");}</pre>
   *
   * @param outputNames the model's output layer names, in output order
   * @param owner names the model in messages
   * @throws IllegalArgumentException when the losses do not fit the outputs, saying which
   */
  public List<Loss> resolve(List<String> outputNames, String owner) {
    int n = outputNames.size();
    if (single != null) {
      return java.util.Collections.nCopies(n, single);
    }
    if (list != null) {
      if (list.size() != n) {
        throw new IllegalArgumentException(
            owner + ": " + list.size() + " losses for " + n + " outputs " + outputNames);
      }
      return list;
    }
    if (!byName.keySet().equals(new HashSet<>(outputNames))) {
      throw new IllegalArgumentException(
          owner
              + ": the losses name outputs "
              + byName.keySet()
              + ", expected exactly the model's outputs "
              + outputNames);
    }
    List<Loss> out = new ArrayList<>();
    for (String name : outputNames) {
      out.add(byName.get(name));
    }
    return out;
  }

  /**
   * The form Keras writes in {@code compile_config}: one loss, a list or a map, each loss as {@code
   * each} writes it.
   *
   * <pre>{@code Object json = losses.toConfig(Loss::name);}</pre>
   */
  public Object toConfig(Function<Loss, Object> each) {
    if (single != null) {
      return each.apply(single);
    }
    if (list != null) {
      return list.stream().map(each).toList();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    byName.forEach((k, v) -> out.put(k, each.apply(v)));
    return out;
  }
}

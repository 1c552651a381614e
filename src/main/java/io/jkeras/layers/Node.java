package io.jkeras.layers;

import io.jkeras.backend.ForwardPass;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;

/**
 * One call of a layer in the functional API: the symbolic tensors it took and the ones it made. A
 * layer called twice (a shared layer) has two nodes and one set of weights.
 *
 * <p>A call may also have keyword arguments, as Keras's {@code mha(query, value, key=k,
 * use_causal_mask=True)}: tensors among them are inputs too (listed after the positional ones in
 * {@link #inputs()}, the order Keras's summary shows them in), the other values are kept as given.
 *
 * <pre>{@code
 * Node call = y.node();
 * call.arguments(); // [query, value]
 * call.kwargs(); // {key=<KerasTensor ...>, use_causal_mask=true}
 * }</pre>
 */
public final class Node {

  private final Layer layer;
  private final List<KerasTensor> inputs;
  private final int positionalCount;
  private final Map<String, Object> kwargs;
  private final List<KerasTensor> outputs;

  Node(
      Layer layer,
      List<KerasTensor> arguments,
      Map<String, Object> kwargs,
      List<KerasTensor> outputs) {
    this.layer = layer;
    List<KerasTensor> all = new ArrayList<>(arguments);
    for (Object v : kwargs.values()) {
      if (v instanceof KerasTensor t) {
        all.add(t);
      }
    }
    this.inputs = List.copyOf(all);
    this.positionalCount = arguments.size();
    this.kwargs = Collections.unmodifiableMap(new LinkedHashMap<>(kwargs));
    this.outputs = List.copyOf(outputs);
  }

  /** The layer called. */
  public Layer layer() {
    return layer;
  }

  /**
   * Every tensor the call took: the positional arguments, then the tensors among the keyword
   * arguments, in their order.
   */
  public List<KerasTensor> inputs() {
    return inputs;
  }

  /**
   * The positional tensor arguments ({@code [query, value]} of {@code mha(query, value)}).
   *
   * <pre>{@code node.arguments().get(0); // the query}</pre>
   */
  public List<KerasTensor> arguments() {
    return inputs.subList(0, positionalCount);
  }

  /**
   * The keyword arguments of the call, in the order given: {@link KerasTensor} values for tensors,
   * the plain value ({@code Boolean}, {@code Number}, {@code String}, null) otherwise; empty for a
   * call without any.
   *
   * <pre>{@code node.kwargs().get("use_causal_mask"); // true}</pre>
   */
  public Map<String, Object> kwargs() {
    return kwargs;
  }

  /**
   * Emits this call's ops into the pass's graph, given one operand for each of {@link #inputs()}:
   * the layer gets the positional operands and the keyword arguments with operands in place of
   * their tensors.
   *
   * <pre>{@code List<Operand<?>> outs = node.emit(pass, operandsOfInputs);}</pre>
   */
  public List<Operand<?>> emit(ForwardPass pass, List<? extends Operand<?>> operands) {
    if (operands.size() != inputs.size()) {
      throw new IllegalArgumentException(
          "Layer \""
              + layer.name()
              + "\": its call takes "
              + inputs.size()
              + " tensors, got "
              + operands.size());
    }
    List<Operand<?>> positional = new ArrayList<>(operands.subList(0, positionalCount));
    if (kwargs.isEmpty()) {
      return layer.apply(pass, positional);
    }
    Map<String, Object> actual = new LinkedHashMap<>();
    int next = positionalCount;
    for (Map.Entry<String, Object> e : kwargs.entrySet()) {
      actual.put(
          e.getKey(), e.getValue() instanceof KerasTensor ? operands.get(next++) : e.getValue());
    }
    return layer.apply(pass, positional, actual);
  }

  /** The tensors the call made. */
  public List<KerasTensor> outputs() {
    return outputs;
  }
}

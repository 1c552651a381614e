package io.jkeras.layers;

import java.util.List;

/**
 * One call of a layer in the functional API: the symbolic tensors it took and the ones it made. A
 * layer called twice (a shared layer) has two nodes and one set of weights.
 *
 * <pre>{@code
 * KerasTensor y = shared.apply(a);
 * Node call = shared.inboundNodes().get(0);
 * List<KerasTensor> in = call.inputs();   // [a]
 * }</pre>
 */
public final class Node {

  private final Layer layer;
  private final List<KerasTensor> inputs;
  private final List<KerasTensor> outputs;

  Node(Layer layer, List<KerasTensor> inputs, List<KerasTensor> outputs) {
    this.layer = layer;
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
  }

  /** The layer that was called. */
  public Layer layer() {
    return layer;
  }

  /** The tensors the layer was called on, in call order. */
  public List<KerasTensor> inputs() {
    return inputs;
  }

  /** The tensors the call produced. */
  public List<KerasTensor> outputs() {
    return outputs;
  }
}

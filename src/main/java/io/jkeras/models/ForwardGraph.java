package io.jkeras.models;

import io.jkeras.backend.DTypes;
import io.jkeras.backend.ForwardPass;
import io.jkeras.layers.InputLayer;
import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Node;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;

/**
 * A model's forward computation emitted once into a graph, for training or for inference: its
 * outputs as float32 operands, the extra losses its layers added, and the state updates they added
 * (run with each training step).
 *
 * <pre>{@code
 * ForwardGraph training = model.forward(true);
 * Operand<TFloat32> y = training.outputs().get(0);
 * List<Op> stateUpdates = training.updates();
 * }</pre>
 */
public final class ForwardGraph {

  private final List<Operand<TFloat32>> outputs;
  private final List<Operand<TFloat32>> losses;
  private final List<Op> updates;

  private ForwardGraph(
      List<Operand<TFloat32>> outputs, List<Operand<TFloat32>> losses, List<Op> updates) {
    this.outputs = outputs;
    this.losses = losses;
    this.updates = updates;
  }

  /**
   * Emits every node of {@code graph} in run order, starting from {@code inputs} (the placeholders
   * of the model inputs, in model input order).
   */
  static ForwardGraph emit(
      LayerGraph graph,
      List<KerasTensor> modelInputs,
      List<? extends Operand<?>> inputs,
      List<KerasTensor> modelOutputs,
      ForwardPass pass) {
    Map<KerasTensor, Operand<?>> values = new IdentityHashMap<>();
    for (int i = 0; i < modelInputs.size(); i++) {
      values.put(modelInputs.get(i), inputs.get(i));
    }
    for (Node node : graph.nodesInRunOrder()) {
      if (node.layer() instanceof InputLayer) {
        continue;
      }
      List<Operand<?>> args = new ArrayList<>();
      for (KerasTensor t : node.inputs()) {
        args.add(values.get(t));
      }
      List<Operand<?>> outs = node.layer().apply(pass, args);
      if (outs.size() != node.outputs().size()) {
        throw new IllegalStateException(
            "Layer \""
                + node.layer().name()
                + "\" returned "
                + outs.size()
                + " outputs; its computeOutputShape promised "
                + node.outputs().size());
      }
      for (int i = 0; i < outs.size(); i++) {
        values.put(node.outputs().get(i), outs.get(i));
      }
    }
    List<Operand<TFloat32>> outputs = new ArrayList<>();
    for (KerasTensor t : modelOutputs) {
      outputs.add(DTypes.toFloat(pass.tf(), values.get(t)));
    }
    return new ForwardGraph(outputs, pass.losses(), pass.updates());
  }

  /** The model's outputs as float32 operands, in the order of the model's outputs. */
  public List<Operand<TFloat32>> outputs() {
    return outputs;
  }

  /** The scalar losses layers added during the pass (activity regularizers, {@code addLoss}). */
  public List<Operand<TFloat32>> losses() {
    return losses;
  }

  /** The layers' state updates (BatchNormalization's moving statistics), for training steps. */
  public List<Op> updates() {
    return updates;
  }
}

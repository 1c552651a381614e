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
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * A model's forward computation emitted once into a graph, for training or for inference: its
 * outputs as float32 operands with the Keras masks they carry, the extra losses its layers added,
 * and the state updates they added (run with each training step).
 *
 * <pre>{@code
 * ForwardGraph train = ModelRuntime.of(model).forward(true);
 * Operand<TFloat32> y = train.outputs().get(0);
 * }</pre>
 */
public final class ForwardGraph {

  private final List<Operand<TFloat32>> outputs;
  private final List<Operand<TBool>> outputMasks;
  private final List<Operand<TFloat32>> losses;
  private final List<Op> updates;
  private final boolean carriesState;

  private ForwardGraph(
      List<Operand<TFloat32>> outputs,
      List<Operand<TBool>> outputMasks,
      List<Operand<TFloat32>> losses,
      List<Op> updates,
      boolean carriesState) {
    this.outputs = outputs;
    this.outputMasks = outputMasks;
    this.losses = losses;
    this.updates = updates;
    this.carriesState = carriesState;
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
      List<Operand<?>> outs = node.emit(pass, args);
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
    List<Operand<TBool>> masks = new ArrayList<>();
    for (KerasTensor t : modelOutputs) {
      outputs.add(DTypes.toFloat(pass.tf(), values.get(t)));
      masks.add(pass.mask(values.get(t)));
    }
    return new ForwardGraph(
        outputs,
        java.util.Collections.unmodifiableList(masks),
        pass.losses(),
        pass.updates(),
        pass.carriesState());
  }

  /**
   * The model's outputs as float32, in model output order.
   *
   * @return one operand per output
   */
  public List<Operand<TFloat32>> outputs() {
    return outputs;
  }

  /**
   * The Keras mask each output carries (Keras's {@code _keras_mask}), which weighs its loss and
   * metrics as in Keras 3: for example the padding mask of {@code Embedding(maskZero)} passed on by
   * a Dense layer.
   *
   * @return one mask or null per output, in model output order
   */
  public List<Operand<TBool>> outputMasks() {
    return outputMasks;
  }

  /**
   * The extra losses the layers added (activity regularization).
   *
   * @return the loss terms
   */
  public List<Operand<TFloat32>> losses() {
    return losses;
  }

  /** The layers' state updates (BatchNormalization's moving statistics), for training steps. */
  public List<Op> updates() {
    return updates;
  }

  /**
   * Whether a layer carries state from one run to the next (a stateful RNN): batches must then run
   * one at a time, in order.
   */
  public boolean carriesState() {
    return carriesState;
  }
}

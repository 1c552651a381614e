package io.jkeras.backend;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * One emission of layer ops into a {@link GraphSession}: whether the ops are for training (Dropout
 * active) or inference, the extra losses that layers add while emitting (activity regularization,
 * {@code addLoss}), which the trainer adds to the training loss, and the state updates they add
 * ({@code addUpdate}: BatchNormalization's moving statistics), which the trainer runs with every
 * training step.
 *
 * <pre>{@code
 * ForwardPass pass = new ForwardPass(graphSession, true);
 * Operand<?> y = dense.apply(pass, x);
 * List<Operand<TFloat32>> extra = pass.losses();
 * List<Op> stateUpdates = pass.updates();
 * }</pre>
 */
public final class ForwardPass {

  private final GraphSession graph;
  private final boolean training;
  private final List<Operand<TFloat32>> losses = new ArrayList<>();
  private final List<Op> updates = new ArrayList<>();

  public ForwardPass(GraphSession graph, boolean training) {
    this.graph = graph;
    this.training = training;
  }

  public GraphSession graph() {
    return graph;
  }

  public Ops tf() {
    return graph.tf();
  }

  public boolean training() {
    return training;
  }

  /** Adds a scalar loss term produced during this pass. */
  public void addLoss(Operand<TFloat32> loss) {
    losses.add(loss);
  }

  public List<Operand<TFloat32>> losses() {
    return List.copyOf(losses);
  }

  /** Adds an op that updates layer state (a variable assignment), run with each training step. */
  public void addUpdate(Op update) {
    updates.add(update);
  }

  public List<Op> updates() {
    return List.copyOf(updates);
  }
}

package io.jkeras.backend;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * One emission of layer ops into a {@link GraphSession}: whether the ops are for training (Dropout
 * active) or inference, and the extra losses that layers add while emitting (activity
 * regularization, {@code addLoss}), which the trainer adds to the training loss.
 *
 * <pre>{@code
 * ForwardPass pass = new ForwardPass(graphSession, true);
 * Operand<?> y = dense.apply(pass, x);
 * List<Operand<TFloat32>> extra = pass.losses();
 * }</pre>
 */
public final class ForwardPass {

  private final GraphSession graph;
  private final boolean training;
  private final List<Operand<TFloat32>> losses = new ArrayList<>();

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
}

package io.jkeras.backend;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * One emission of layer ops into a {@link GraphSession}: whether the ops are for training (Dropout
 * active) or inference; the extra losses that layers add while emitting (activity regularization,
 * {@code addLoss}), which the trainer adds to the training loss; the state updates they add ({@code
 * addUpdate}: BatchNormalization's moving statistics), which the trainer runs with every training
 * step; and the Keras masks riding on the tensors of this pass (Keras's {@code _keras_mask}): a
 * layer's output mask is recorded here and found again by whatever consumes that output.
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
  private final Map<Output<?>, Operand<TBool>> masks = new HashMap<>();
  private final Map<Output<?>, Operand<TBool>> recordedMasks = new HashMap<>();
  private final List<Op> updates = new ArrayList<>();
  private boolean carriesState;

  /**
   * A new pass emitting into {@code graph}.
   *
   * @param training true for training ops (Dropout and similar layers active), false for inference
   */
  public ForwardPass(GraphSession graph, boolean training) {
    this.graph = graph;
    this.training = training;
  }

  /** The graph session the layers emit into. */
  public GraphSession graph() {
    return graph;
  }

  /** The op builder of the graph session (shorthand for {@code graph().tf()}). */
  public Ops tf() {
    return graph.tf();
  }

  /** True when the ops are for a training step (Keras's {@code training=True}). */
  public boolean training() {
    return training;
  }

  /** Adds a scalar loss term produced during this pass. */
  public void addLoss(Operand<TFloat32> loss) {
    losses.add(loss);
  }

  /**
   * The scalar loss terms layers added during this pass (activity regularizers, {@code addLoss}),
   * in the order they were added; the trainer adds them to the training loss.
   */
  public List<Operand<TFloat32>> losses() {
    return List.copyOf(losses);
  }

  /**
   * Attaches a Keras mask to {@code tensor} (null removes it): a boolean tensor of the tensor's
   * batch and time axes, true where a step holds data.
   *
   * <pre>{@code pass.setMask(embedded, tf.math.notEqual(ids, tf.constant(0)));}</pre>
   */
  public void setMask(Operand<?> tensor, Operand<TBool> mask) {
    setMasks(tensor, mask, mask);
  }

  /**
   * Attaches both masks Keras keeps for a tensor: the one riding on it when the model runs, and the
   * one its functional graph recorded when it was built (see {@link #recordedMask}); null removes
   * one.
   *
   * <pre>{@code pass.setMasks(y, runtimeMask, recordedMask);}</pre>
   */
  public void setMasks(Operand<?> tensor, Operand<TBool> mask, Operand<TBool> recorded) {
    put(masks, tensor, mask);
    put(recordedMasks, tensor, recorded);
  }

  private static void put(
      Map<Output<?>, Operand<TBool>> map, Operand<?> tensor, Operand<TBool> mask) {
    if (mask == null) {
      map.remove(tensor.asOutput());
    } else {
      map.put(tensor.asOutput(), mask);
    }
  }

  /**
   * Removes the mask riding on {@code tensor} for the layers that run after this point, but not the
   * mask the graph recorded: Keras's MultiHeadAttention does this to its inputs when it runs.
   *
   * <pre>{@code pass.dropMask(query);}</pre>
   */
  public void dropMask(Operand<?> tensor) {
    masks.remove(tensor.asOutput());
  }

  /**
   * The mask Keras's functional graph recorded for {@code tensor} when the model was built, or
   * null: what a layer whose call takes {@code mask} gets when called on this one tensor (Keras
   * writes it in the call's {@code kwargs}). It differs from {@link #mask} only after a layer
   * dropped the running mask ({@link #dropMask}).
   *
   * <pre>{@code Operand<TBool> m = pass.recordedMask(x);}</pre>
   */
  public Operand<TBool> recordedMask(Operand<?> tensor) {
    return recordedMasks.get(tensor.asOutput());
  }

  /**
   * The Keras mask attached to {@code tensor} in this pass, or null.
   *
   * <pre>{@code Operand<TBool> m = pass.mask(y);}</pre>
   */
  public Operand<TBool> mask(Operand<?> tensor) {
    return masks.get(tensor.asOutput());
  }

  /** Adds an op that updates layer state (a variable assignment), run with each training step. */
  public void addUpdate(Op update) {
    updates.add(update);
  }

  /**
   * The state-update ops layers added during this pass (for example BatchNormalization's moving
   * statistics); the trainer runs them with each training step.
   */
  public List<Op> updates() {
    return List.copyOf(updates);
  }

  /**
   * Records that a layer of this pass carries state from one session run to the next (a stateful
   * RNN's states): the runs of this pass must then happen one at a time, in batch order.
   */
  public void carryStateAcrossRuns() {
    carriesState = true;
  }

  /** Whether a layer of this pass carries state from one run to the next. */
  public boolean carriesState() {
    return carriesState;
  }
}

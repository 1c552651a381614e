package io.jkeras.backend;

import io.jkeras.layers.Weight;
import java.util.List;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * How a {@link GraphSession} takes part in a training run: which runtime its session talks to,
 * where its ops and variables are placed and how gradients from several replicas are combined. The
 * seam between the graph runtime and the distribution strategies of {@code io.jkeras.distribute};
 * {@link #LOCAL} (one process, TensorFlow's placement, gradients as computed) is the default.
 *
 * <p>A model picks up the distribution that is current on its thread when it is constructed (a
 * strategy's {@code scope()} makes itself current); everything else goes through its graph session.
 *
 * <pre>{@code
 * try (var scope = strategy.scope()) { // Distribution.current() is the strategy
 *   model = new Model(in, out);
 * }
 * }</pre>
 */
public interface Distribution {

  /** One process: a local session, ops placed by TensorFlow, gradients used as they are. */
  Distribution LOCAL = new Distribution() {};

  /** The distribution of models constructed now on this thread: LOCAL unless a scope is open. */
  static Distribution current() {
    return DistributionScope.current();
  }

  /**
   * Opens the session that runs {@code graph}; {@code config} holds the local settings (soft
   * placement), which a distributed runtime extends with its own.
   */
  default Session openSession(Graph graph, ConfigProto config) {
    return new Session(graph, config);
  }

  /** The device of every op that is not a variable, or null for TensorFlow's choice. */
  default DeviceSpec opsDevice() {
    return null;
  }

  /**
   * The device of a variable of {@code group} (a weight's path, shared by the weight and its
   * optimizer slots, which must live together; else the variable's own name) with {@code shape},
   * and of the ops that read and write it from the host; null places it as every other op. Called
   * once per variable, in creation order.
   */
  default DeviceSpec variableDevice(String group, Shape shape) {
    return null;
  }

  /**
   * The gradients each replica applies, from the ones it computed for {@code weights} (same order):
   * for synchronous data parallelism, their mean over every replica.
   */
  default List<Operand<TFloat32>> aggregateGradients(
      Ops tf, List<Weight> weights, List<Operand<TFloat32>> grads) {
    return grads;
  }

  /**
   * An op that, run by every replica at once, gives this replica's {@code variables} the chief's
   * values (the replicas pass the same variables in the same order): replicas that hold their own
   * copies then start training from one set of weights, whatever each one's seed or loaded file.
   * Null, the default, when there is nothing to copy (one process, or variables that exist once on
   * parameter servers).
   */
  default Op broadcastFromChief(Ops tf, List<Variable<?>> variables) {
    return null;
  }

  /**
   * Whether a replica may apply an embedding table's gradient as its looked-up rows (indices and
   * rows) without {@link #aggregateGradients}: true unless the strategy combines the replicas'
   * dense gradients (synchronous all-reduce). A parameter server's workers send rows.
   */
  default boolean appliesRowSparseGradients() {
    return true;
  }

  /**
   * True when variables are shared with other processes (parameter servers): a variable that
   * already holds a value then keeps it instead of receiving this process's initial value.
   */
  default boolean sharesVariables() {
    return false;
  }
}

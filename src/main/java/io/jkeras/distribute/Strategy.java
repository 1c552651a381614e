package io.jkeras.distribute;

import io.jkeras.backend.Distribution;
import io.jkeras.backend.DistributionScope;
import java.time.Duration;
import java.util.List;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;

/**
 * The base of jkeras's distribution strategies (Keras's {@code tf.distribute.Strategy}): it starts
 * this process's {@link TaskServer}, opens model sessions on it with device filters and an
 * operation timeout, and becomes current inside {@link #scope()} so that models constructed there
 * train distributed.
 *
 * <pre>{@code
 * var strategy = new MultiWorkerMirroredStrategy(TfConfig.fromEnvironment());
 * try (var scope = strategy.scope()) {
 *   model = new Model(in, out);
 *   model.compile("adam", "binary_crossentropy");
 * }
 * model.fit(x, y, options); // unchanged
 * }</pre>
 */
public abstract class Strategy implements Distribution {

  /** How long one TensorFlow operation may wait (for example on a dead peer) unless configured. */
  public static final Duration DEFAULT_OPERATION_TIMEOUT = Duration.ofSeconds(60);

  private final TfConfig config;
  private final TaskServer server;
  private final Duration operationTimeout;

  /**
   * A strategy for the task described by {@code config}, whose TensorFlow operations time out after
   * {@code operationTimeout}.
   *
   * @throws IllegalArgumentException if the timeout is zero or negative
   */
  protected Strategy(TfConfig config, Duration operationTimeout) {
    if (operationTimeout.isNegative() || operationTimeout.isZero()) {
      throw new IllegalArgumentException(
          getClass().getSimpleName()
              + ": operation timeout must be positive, got "
              + operationTimeout);
    }
    this.config = config;
    this.operationTimeout = operationTimeout;
    this.server = TaskServer.start(config);
  }

  /** Makes this strategy current on this thread: models constructed until close use it. */
  public DistributionScope scope() {
    return DistributionScope.enter(this);
  }

  /** The cluster and this task's role in it, as given (for example from {@code TF_CONFIG}). */
  public TfConfig config() {
    return config;
  }

  /** True for the task that writes checkpoints and results. */
  public boolean isChief() {
    return config.isChief();
  }

  /** How long one TensorFlow operation may wait (for example on a dead peer) before it fails. */
  public Duration operationTimeout() {
    return operationTimeout;
  }

  /** The number of replicas that compute gradients: chief and worker tasks. */
  public int numReplicasInSync() {
    return config.cluster().numTasks("chief") + config.cluster().numTasks("worker");
  }

  /** This task's replica index: the chief first, then the workers. */
  public int replicaIndex() {
    return config.taskType().equals("chief")
        ? config.taskIndex()
        : config.cluster().numTasks("chief") + config.taskIndex();
  }

  /** The devices a session of this task may see (TensorFlow's {@code device_filters}). */
  protected abstract List<String> deviceFilters();

  /** Adds strategy-specific session settings (for example the collective group leader). */
  protected ConfigProto.Builder configure(ConfigProto.Builder config) {
    return config;
  }

  @Override
  public Session openSession(Graph graph, ConfigProto local) {
    ConfigProto.Builder b =
        local.toBuilder()
            .setAllowSoftPlacement(true)
            .setOperationTimeoutInMs(operationTimeout.toMillis())
            .clearDeviceFilters();
    for (String f : deviceFilters()) {
      b.addDeviceFilters(f);
    }
    return RemoteSession.open(graph, server.target(), configure(b).build());
  }

  @Override
  public DeviceSpec opsDevice() {
    return DeviceSpec.newBuilder()
        .job(config.taskType())
        .replica(0)
        .task(config.taskIndex())
        .build();
  }
}

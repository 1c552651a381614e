package io.jkeras.distribute;

import io.jkeras.backend.HostArray;
import io.jkeras.backend.RowPartition;
import io.jkeras.layers.Weight;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.DeviceSpec;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Asynchronous data-parallel training with variables on parameter servers, as Keras's {@code
 * tf.distribute.ParameterServerStrategy}: the weights and their optimizer slots live on the {@code
 * ps} tasks (each weight, with its slots, on the task holding the fewest bytes so far), every
 * worker computes gradients on its own shard and applies them on the parameter servers without
 * waiting for the others. Variables are shared by name, so every worker builds the same model; the
 * first to start initializes them and the others keep those values.
 *
 * <p>Embedding tables move rows, not tables: the lookup runs on the table's parameter server, and
 * the table's gradient is summed from the looked-up rows' gradients there, so a step sends the ids
 * and the rows' gradients and receives the rows.
 *
 * <p>With a {@link Partitioner} (Keras's {@code variable_partitioner}), an embedding table is
 * stored as row shards on several ps tasks (shard {@code s} on ps {@code s % numPs}), each with its
 * own optimizer slots: a table may then be larger than one machine's memory. Lookups send each
 * shard its ids and stitch the rows back together on the worker, and each shard's rows are updated
 * on its own ps; the rest of jkeras (saving, weights, summary, checkpoints) sees one weight of the
 * full shape, whose value is joined from the shards only when it is read.
 *
 * <pre>{@code
 * var strategy = new ParameterServerStrategy(TfConfig.fromEnvironment());
 * try (var scope = strategy.scope()) {
 *   model = new Model(in, out);
 *   model.compile("adagrad", "binary_crossentropy");
 * }
 * model.fit(strategy.shard(x), strategy.shard(y), FitOptions.epochs(2));
 * }</pre>
 */
public final class ParameterServerStrategy extends Strategy {

  private final Map<String, DeviceSpec> groups = new HashMap<>();
  private final long[] bytesPerTask;
  private final Partitioner partitioner;

  /**
   * A parameter-server strategy for the task of {@code config}, with the default operation timeout
   * ({@link #DEFAULT_OPERATION_TIMEOUT}).
   */
  public ParameterServerStrategy(TfConfig config) {
    this(config, DEFAULT_OPERATION_TIMEOUT);
  }

  /** A strategy whose operations (for example a read from a dead ps) fail after the timeout. */
  public ParameterServerStrategy(TfConfig config, Duration operationTimeout) {
    this(config, operationTimeout, null);
  }

  private ParameterServerStrategy(
      TfConfig config, Duration operationTimeout, Partitioner partitioner) {
    super(config, operationTimeout);
    this.partitioner = partitioner;
    if (!config.cluster().hasJob("ps")) {
      throw new IllegalArgumentException(
          "ParameterServerStrategy: the cluster has no \"ps\" job; its jobs are "
              + config.cluster().jobs());
    }
    if (config.taskType().equals("ps")) {
      throw new IllegalArgumentException(
          "ParameterServerStrategy: a ps task only serves (TaskServer.start(config).join()),"
              + " got task "
              + config.taskName());
    }
    this.bytesPerTask = new long[config.cluster().numTasks("ps")];
  }

  /**
   * A builder for the optional arguments (operation timeout, variable partitioner).
   *
   * <pre>{@code
   * var strategy =
   *     ParameterServerStrategy.builder(TfConfig.fromEnvironment())
   *         .variablePartitioner(new MinSizePartitioner(64L << 20, 2))
   *         .build();
   * }</pre>
   */
  public static Builder builder(TfConfig config) {
    return new Builder(config);
  }

  /**
   * Optional arguments of {@link ParameterServerStrategy}.
   *
   * <pre>{@code
   * ParameterServerStrategy s =
   *     ParameterServerStrategy.builder(config).operationTimeout(Duration.ofSeconds(30)).build();
   * }</pre>
   */
  public static final class Builder {
    private final TfConfig config;
    private Duration operationTimeout = DEFAULT_OPERATION_TIMEOUT;
    private Partitioner partitioner;

    private Builder(TfConfig config) {
      this.config = config;
    }

    /** How long one operation may wait (default {@link #DEFAULT_OPERATION_TIMEOUT}). */
    public Builder operationTimeout(Duration timeout) {
      this.operationTimeout = timeout;
      return this;
    }

    /**
     * How embedding tables are split into row shards across the ps tasks (Keras's {@code
     * variable_partitioner}; default none: every weight whole on one ps).
     */
    public Builder variablePartitioner(Partitioner partitioner) {
      this.partitioner = partitioner;
      return this;
    }

    /** The strategy; starts this task's server. */
    public ParameterServerStrategy build() {
      return new ParameterServerStrategy(config, operationTimeout, partitioner);
    }
  }

  /**
   * Runs ps task {@code config} until every chief and worker task of its cluster has called {@link
   * #reportFinished()}, then returns (the server itself lives until the JVM exits). A worker that
   * dies without reporting keeps the ps serving, as in TensorFlow: restart the worker.
   *
   * <pre>{@code
   * TfConfig config = TfConfig.fromEnvironment();
   * if (config.taskType().equals("ps")) {
   *   ParameterServerStrategy.serveUntilWorkersFinish(config);
   *   System.exit(0);
   * }
   * }</pre>
   *
   * @param config a {@code ps} task of a cluster with workers
   */
  public static void serveUntilWorkersFinish(TfConfig config) {
    if (!config.taskType().equals("ps")) {
      throw new IllegalArgumentException(
          "ParameterServerStrategy.serveUntilWorkersFinish: expected a ps task, got "
              + config.taskName());
    }
    DoneQueue.awaitWorkers(config, TaskServer.start(config));
  }

  /**
   * Tells every ps task that this worker has finished training, so that {@link
   * #serveUntilWorkersFinish} returns once all workers have, and (on a worker other than the chief)
   * lets the chief's {@link #awaitOtherWorkers} return; call it once, at the very end.
   */
  public void reportFinished() {
    DoneQueue.report(this);
  }

  /**
   * On the chief: waits until every other worker has called {@link #reportFinished}, so that the
   * variables the chief reads next (to save or evaluate the model) hold every worker's updates.
   * There is no operation timeout: the others train as long as they need, and one that dies without
   * reporting keeps the chief waiting (as it keeps the ps tasks serving). The chief reports last.
   *
   * <pre>{@code
   * model.fit(strategy.shard(x), strategy.shard(y), FitOptions.epochs(2));
   * if (strategy.isChief()) {
   *   strategy.awaitOtherWorkers();
   *   model.save(Path.of("trained.keras"));
   * }
   * strategy.reportFinished();
   * }</pre>
   *
   * @throws IllegalStateException if this task is not the chief
   */
  public void awaitOtherWorkers() {
    requireChief();
    DoneQueue.awaitOtherWorkers(this, deviceFilters(), "");
  }

  /**
   * Tells the chief that this worker has finished {@code stage} of the run (one model's training,
   * say), so that the chief's {@link #awaitOtherWorkers(String)} for that stage returns; does
   * nothing on the chief. Each worker reports each stage once; the ps tasks keep serving.
   *
   * <pre>{@code
   * model.fit(strategy.shard(x), strategy.shard(y), FitOptions.epochs(2));
   * strategy.reportFinished("fm");
   * if (strategy.isChief()) {
   *   strategy.awaitOtherWorkers("fm"); // every worker's updates to the fm model are in
   *   model.evaluate(xTest, yTest);
   * }
   * }</pre>
   *
   * @param stage a name for this part of the run: letters, digits, '_', '-' or '.'
   */
  public void reportFinished(String stage) {
    if (!isChief()) {
      DoneQueue.reportStage(this, checkStage(stage));
    }
  }

  /**
   * On the chief: waits until every other worker has called {@link #reportFinished(String)} for
   * {@code stage}, with no operation timeout, as {@link #awaitOtherWorkers()} does for the whole
   * run.
   *
   * <pre>{@code
   * strategy.awaitOtherWorkers("fm");
   * }</pre>
   *
   * @param stage the name the other workers report
   * @throws IllegalStateException if this task is not the chief
   */
  public void awaitOtherWorkers(String stage) {
    requireChief();
    DoneQueue.awaitOtherWorkers(this, deviceFilters(), checkStage(stage));
  }

  private void requireChief() {
    if (!isChief()) {
      throw new IllegalStateException(
          "ParameterServerStrategy.awaitOtherWorkers: only the chief waits for the other workers,"
              + " got task "
              + config().taskName());
    }
  }

  private static String checkStage(String stage) {
    if (stage == null || !stage.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException(
          "ParameterServerStrategy: a stage name is letters, digits, '_', '-' or '.', got "
              + (stage == null ? "null" : "\"" + stage + "\""));
    }
    return stage;
  }

  /** Every worker updates the variables on its own: one replica per worker, not in sync. */
  @Override
  public int numReplicasInSync() {
    return 1;
  }

  @Override
  protected List<String> deviceFilters() {
    return List.of("/job:ps", "/job:" + config().taskType() + "/task:" + config().taskIndex());
  }

  @Override
  public boolean sharesVariables() {
    return true;
  }

  /** The ps task of {@code group}: chosen once, the one with the fewest bytes so far. */
  @Override
  public synchronized DeviceSpec variableDevice(String group, Shape shape) {
    DeviceSpec d = groups.get(group);
    if (d == null) {
      int best = 0;
      for (int i = 1; i < bytesPerTask.length; i++) {
        if (bytesPerTask[i] < bytesPerTask[best]) {
          best = i;
        }
      }
      d = DeviceSpec.newBuilder().job("ps").replica(0).task(best).build();
      groups.put(group, d);
    }
    bytesPerTask[d.task()] += 4 * Math.max(1, shape.size());
    return d;
  }

  /**
   * Row shards of a lookup table as the variable partitioner asks (none without one): shard {@code
   * s}, with the slots of its group, is placed on ps {@code s % numPs}.
   */
  @Override
  public synchronized RowPartition rowPartition(String group, Shape shape) {
    if (partitioner == null || shape.numDimensions() < 1) {
      return null;
    }
    int shards = (int) Math.min(partitioner.numShards(shape), shape.size(0));
    if (shards < 2) {
      return null;
    }
    for (int s = 0; s < shards; s++) {
      groups.putIfAbsent(
          RowPartition.shardGroup(group, s),
          DeviceSpec.newBuilder().job("ps").replica(0).task(s % bytesPerTask.length).build());
    }
    return RowPartition.of(shape.size(0), shards);
  }

  /** The bytes of variables (weights and optimizer slots) placed on each ps task so far. */
  public synchronized long[] bytesPerParameterServer() {
    return bytesPerTask.clone();
  }

  /**
   * Gradients as computed, except that a lookup's gradient is summed on the table's parameter
   * server: TensorFlow writes it as {@code UnsortedSegmentSum(rowGrads, ids, rows)}, which is
   * rebuilt there so that the rows' gradients travel instead of a table-sized tensor.
   */
  @Override
  public List<Operand<TFloat32>> aggregateGradients(
      Ops tf, List<Weight> weights, List<Operand<TFloat32>> grads) {
    List<Operand<TFloat32>> out = new ArrayList<>();
    for (int i = 0; i < grads.size(); i++) {
      out.add(rowSparse(tf, weights.get(i), grads.get(i)));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Operand<TFloat32> rowSparse(Ops tf, Weight w, Operand<TFloat32> grad) {
    DeviceSpec device = w.device();
    GraphOperation op = (GraphOperation) grad.op();
    GraphOperation sum = op;
    boolean transposed = op.type().equals("Transpose");
    if (transposed) {
      sum = (GraphOperation) op.input(0).op();
    }
    if (device == null || !sum.type().equals("UnsortedSegmentSum")) {
      return grad;
    }
    Ops at = tf.withDevice(device);
    Operand<TFloat32> rebuilt =
        at.math.unsortedSegmentSum(
            (Operand<TFloat32>) sum.input(0), (Operand) sum.input(1), (Operand) sum.input(2));
    if (transposed) {
      rebuilt = at.linalg.transpose(rebuilt, (Operand) op.input(1));
    }
    return rebuilt;
  }

  /** This worker's contiguous part of {@code data}: workers train on disjoint shards. */
  public HostArray shard(HostArray data) {
    int workers = config().cluster().numTasks("chief") + config().cluster().numTasks("worker");
    int index = replicaIndex();
    int n = data.count();
    int from = (int) ((long) n * index / workers);
    int to = (int) ((long) n * (index + 1) / workers);
    int[] rows = new int[to - from];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = from + i;
    }
    try (var t = data.gather(rows, 0, rows.length, data.dtype())) {
      return HostArray.of((org.tensorflow.ndarray.NdArray<?>) t);
    }
  }
}

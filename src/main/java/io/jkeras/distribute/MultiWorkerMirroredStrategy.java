package io.jkeras.distribute;

import io.jkeras.backend.HostArray;
import io.jkeras.layers.Weight;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TType;

/**
 * Synchronous data-parallel training over the chief and worker tasks of a cluster, as Keras's
 * {@code tf.distribute.MultiWorkerMirroredStrategy}: every task holds a full replica of the model
 * in its own graph, computes gradients on its shard of each global batch and applies the mean of
 * every replica's gradients, summed by one collective all-reduce ({@code CollectiveReduceV2}) per
 * step. Every {@code fit} starts by broadcasting the chief's weights and optimizer state to the
 * other replicas ({@link #broadcastFromChief}), as Keras's mirrored variables start from the first
 * replica's initial values: replicas built with different seeds, or a chief that loaded weights or
 * a checkpoint the others did not, still train one model.
 *
 * <p>Each replica feeds {@code fit} its own shard ({@link #shard}) with the per-replica batch size
 * ({@link #perReplicaBatchSize}); every replica must run the same number of steps.
 *
 * <pre>{@code
 * var strategy = new MultiWorkerMirroredStrategy(TfConfig.fromEnvironment());
 * try (var scope = strategy.scope()) {
 *   model = new Model(in, out);
 *   model.compile(new SGD(0.1), "mse");
 * }
 * model.fit(strategy.shard(x, 64), strategy.shard(y, 64),
 *     FitOptions.epochs(3).batchSize(strategy.perReplicaBatchSize(64)).shuffle(false));
 * }</pre>
 */
public final class MultiWorkerMirroredStrategy extends Strategy {

  private static final int GROUP_KEY = 1;

  private int nextInstanceKey = 1;

  /**
   * A mirrored strategy for the task of {@code config}, with the default operation timeout ({@link
   * #DEFAULT_OPERATION_TIMEOUT}).
   */
  public MultiWorkerMirroredStrategy(TfConfig config) {
    this(config, DEFAULT_OPERATION_TIMEOUT);
  }

  /** A strategy whose operations (and all-reduces) fail after {@code operationTimeout}. */
  public MultiWorkerMirroredStrategy(TfConfig config, Duration operationTimeout) {
    super(config, operationTimeout);
    if (!config.taskType().equals("chief") && !config.taskType().equals("worker")) {
      throw new IllegalArgumentException(
          "MultiWorkerMirroredStrategy runs on chief and worker tasks, got task "
              + config.taskName());
    }
  }

  @Override
  protected List<String> deviceFilters() {
    return List.of("/job:" + config().taskType() + "/task:" + config().taskIndex());
  }

  @Override
  protected ConfigProto.Builder configure(ConfigProto.Builder config) {
    String leader = TaskServer.groupLeader(config().cluster());
    return config.setExperimental(
        config.getExperimental().toBuilder().setCollectiveGroupLeader(leader));
  }

  /** Only with one replica: the all-reduce takes dense gradients. */
  @Override
  public boolean appliesRowSparseGradients() {
    return numReplicasInSync() == 1;
  }

  /**
   * The mean over all replicas of every gradient: the gradients are flattened into one vector,
   * all-reduced once and cut back into their shapes.
   */
  @Override
  public List<Operand<TFloat32>> aggregateGradients(
      Ops tf, List<Weight> weights, List<Operand<TFloat32>> grads) {
    int replicas = numReplicasInSync();
    if (replicas == 1 || grads.isEmpty()) {
      return grads;
    }
    Ops ar = tf.withSubScope("all_reduce");
    List<Operand<TFloat32>> flat = new ArrayList<>();
    long[] sizes = new long[grads.size()];
    for (int i = 0; i < grads.size(); i++) {
      sizes[i] = weights.get(i).size();
      flat.add(ar.reshape(grads.get(i), ar.constant(new long[] {-1})));
    }
    Operand<TFloat32> packed = flat.size() == 1 ? flat.get(0) : ar.concat(flat, ar.constant(0));
    // TF Java's collectiveReduce wraps CollectiveReduceV3 (communicator resources); V2 takes the
    // group and instance keys as tensors and needs no set-up op.
    Output<TFloat32> mean =
        ar.scope()
            .opBuilder("CollectiveReduceV2", "CollectiveReduceV2")
            .addInput(packed.asOutput())
            .addInput(ar.constant(replicas).asOutput())
            .addInput(ar.constant(GROUP_KEY).asOutput())
            .addInput(ar.constant(nextInstanceKey++).asOutput())
            .addInputList(new Output<?>[0])
            .setAttr("merge_op", "Add")
            .setAttr("final_op", "Div")
            .setAttr("communication_hint", "auto")
            .setAttr("timeout_seconds", (float) operationTimeout().toMillis() / 1000f)
            .build()
            .output(0);
    List<Operand<TFloat32>> out = new ArrayList<>();
    long offset = 0;
    for (int i = 0; i < grads.size(); i++) {
      Operand<TFloat32> part =
          ar.slice(mean, ar.constant(new long[] {offset}), ar.constant(new long[] {sizes[i]}));
      out.add(ar.reshape(part, ar.constant(weights.get(i).shape().asArray())));
      offset += sizes[i];
    }
    return out;
  }

  /**
   * The chief's values of {@code variables} on every replica: float32 and int64 variables are each
   * flattened into one vector, which the chief sends with one {@code CollectiveBcastSendV2} and the
   * other replicas receive with {@code CollectiveBcastRecvV2}, cut back into their shapes and
   * assign. The collectives use the all-reduce's group and timeout, each with its own instance key,
   * so every replica must build its ops in the same order (the same model code does).
   *
   * @throws IllegalArgumentException for a variable of another type
   */
  @Override
  public Op broadcastFromChief(Ops tf, List<Variable<?>> variables) {
    if (numReplicasInSync() == 1 || variables.isEmpty()) {
      return null;
    }
    Ops bc = tf.withSubScope("broadcast");
    List<Variable<TFloat32>> floats = new ArrayList<>();
    List<Variable<TInt64>> longs = new ArrayList<>();
    for (Variable<?> v : variables) {
      if (v.type() == TFloat32.class) {
        floats.add(cast(v));
      } else if (v.type() == TInt64.class) {
        longs.add(cast(v));
      } else {
        throw new IllegalArgumentException(
            "MultiWorkerMirroredStrategy: cannot broadcast variable "
                + v.op().name()
                + ": expected float32 or int64, got "
                + v.type().getSimpleName());
      }
    }
    List<Op> done = new ArrayList<>();
    if (!floats.isEmpty()) {
      done.addAll(broadcast(bc, floats, DataType.DT_FLOAT));
    }
    if (!longs.isEmpty()) {
      done.addAll(broadcast(bc, longs, DataType.DT_INT64));
    }
    return bc.withControlDependencies(done).noOp();
  }

  @SuppressWarnings("unchecked")
  private static <T extends TType> Variable<T> cast(Variable<?> v) {
    return (Variable<T>) v;
  }

  /** The chief's send, or this replica's assigns of what it received. */
  private <T extends TType> List<Op> broadcast(Ops tf, List<Variable<T>> vars, DataType type) {
    long[] sizes = new long[vars.size()];
    long total = 0;
    for (int i = 0; i < vars.size(); i++) {
      sizes[i] = vars.get(i).shape().size();
      total += sizes[i];
    }
    int instanceKey = nextInstanceKey++;
    float timeout = (float) operationTimeout().toMillis() / 1000f;
    if (isChief()) {
      List<Operand<T>> flat = new ArrayList<>();
      for (Variable<T> v : vars) {
        flat.add(tf.reshape(v, tf.constant(new long[] {-1})));
      }
      Operand<T> packed = flat.size() == 1 ? flat.get(0) : tf.concat(flat, tf.constant(0));
      Output<?> sent =
          tf.scope()
              .opBuilder("CollectiveBcastSendV2", "CollectiveBcastSendV2")
              .addInput(packed.asOutput())
              .addInput(tf.constant(numReplicasInSync()).asOutput())
              .addInput(tf.constant(GROUP_KEY).asOutput())
              .addInput(tf.constant(instanceKey).asOutput())
              .setAttr("communication_hint", "auto")
              .setAttr("timeout_seconds", timeout)
              .build()
              .output(0);
      return List.of(sent);
    }
    Output<T> received =
        tf.scope()
            .opBuilder("CollectiveBcastRecvV2", "CollectiveBcastRecvV2")
            .addInput(tf.constant(numReplicasInSync()).asOutput())
            .addInput(tf.constant(GROUP_KEY).asOutput())
            .addInput(tf.constant(instanceKey).asOutput())
            .addInput(tf.constant(new long[] {total}).asOutput())
            .setAttr("T", type)
            .setAttr("communication_hint", "auto")
            .setAttr("timeout_seconds", timeout)
            .build()
            .output(0);
    List<Op> assigns = new ArrayList<>();
    long offset = 0;
    for (int i = 0; i < vars.size(); i++) {
      Variable<T> v = vars.get(i);
      Operand<T> part =
          tf.slice(received, tf.constant(new long[] {offset}), tf.constant(new long[] {sizes[i]}));
      assigns.add(tf.assign(v, tf.reshape(part, tf.constant(v.shape().asArray()))));
      offset += sizes[i];
    }
    return assigns;
  }

  /**
   * The per-replica batch size of {@code globalBatchSize}, which must split evenly (Keras's global
   * batch is shared by the replicas).
   */
  public int perReplicaBatchSize(int globalBatchSize) {
    int replicas = numReplicasInSync();
    if (globalBatchSize <= 0 || globalBatchSize % replicas != 0) {
      throw new IllegalArgumentException(
          "MultiWorkerMirroredStrategy: global batch size "
              + globalBatchSize
              + " does not split evenly over "
              + replicas
              + " replicas");
    }
    return globalBatchSize / replicas;
  }

  /**
   * This replica's rows of {@code data} for training with {@code globalBatchSize}: its equal part
   * of every global batch, in order. Every replica gets as many rows per step, so all run the same
   * number of steps; the last {@code count % replicas} rows are dropped.
   */
  public HostArray shard(HostArray data, int globalBatchSize) {
    int replicas = numReplicasInSync();
    int local = perReplicaBatchSize(globalBatchSize);
    int n = data.count() - data.count() % replicas;
    int[] rows = new int[n / replicas];
    int k = 0;
    for (int from = 0; from < n; from += globalBatchSize) {
      int batch = Math.min(globalBatchSize, n - from);
      int part = batch == globalBatchSize ? local : batch / replicas;
      int start = from + replicaIndex() * part;
      for (int i = 0; i < part; i++) {
        rows[k++] = start + i;
      }
    }
    try (var t = data.gather(rows, 0, rows.length, data.dtype())) {
      return HostArray.of((org.tensorflow.ndarray.NdArray<?>) t);
    }
  }
}

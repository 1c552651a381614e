package io.jkeras.distribute;

import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.io.FifoQueue;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TInt32;

/**
 * How a parameter server learns that training is over, with TensorFlow's own queue: each ps task
 * holds a FIFO queue (one shared name per task, so every graph that declares it on that device
 * reaches the same queue); each worker enqueues one element into every ps task's queue when it
 * finishes, and the ps task returns after dequeuing one element per worker. A second queue on ps 0
 * tells the chief the same: every other worker also enqueues there, and the chief, before reading
 * the final variables, dequeues one element per other worker. A named stage of the run (one model's
 * training, say) has its own queue on ps 0 for the same exchange with the chief.
 */
final class DoneQueue {

  private DoneQueue() {}

  private static FifoQueue declare(Ops tf, int psTask, int workers) {
    return tf.withDevice(
            org.tensorflow.DeviceSpec.newBuilder().job("ps").replica(0).task(psTask).build())
        .io
        .fifoQueue(
            List.of(TInt32.class),
            FifoQueue.sharedName("jkeras_workers_done_" + psTask),
            FifoQueue.capacity((long) Math.max(1, workers)));
  }

  /**
   * The queue on ps 0 where the workers other than the chief report to the chief the end of {@code
   * stage}, or of the whole run when the stage is empty.
   */
  private static FifoQueue declareForChief(Ops tf, int workers, String stage) {
    return tf.withDevice(
            org.tensorflow.DeviceSpec.newBuilder().job("ps").replica(0).task(0).build())
        .io
        .fifoQueue(
            List.of(TInt32.class),
            FifoQueue.sharedName(
                "jkeras_workers_done_for_chief" + (stage.isEmpty() ? "" : "_" + stage)),
            FifoQueue.capacity((long) Math.max(1, workers)));
  }

  private static int workers(TfConfig config) {
    return config.cluster().numTasks("chief") + config.cluster().numTasks("worker");
  }

  /** On ps task {@code config}: blocks until each of the cluster's workers has reported. */
  static void awaitWorkers(TfConfig config, TaskServer server) {
    int workers = workers(config);
    ConfigProto proto =
        ConfigProto.newBuilder()
            .addDeviceFilters("/job:ps/task:" + config.taskIndex())
            .setAllowSoftPlacement(true)
            .build();
    try (Graph g = new Graph();
        Session s = RemoteSession.open(g, server.target(), proto)) {
      Ops tf = Ops.create(g);
      FifoQueue q = declare(tf, config.taskIndex(), workers);
      var dequeue = tf.io.queueDequeue(q, List.of(TInt32.class));
      for (int i = 0; i < workers; i++) {
        // No operation timeout on this session: training may take as long as it takes.
        s.runner().addTarget(dequeue).run().close();
      }
    }
  }

  /**
   * On a worker: tells the chief (unless this is the chief) and then every ps task that this worker
   * has finished.
   */
  static void report(Strategy strategy) {
    TfConfig config = strategy.config();
    int workers = workers(config);
    try (Graph g = new Graph();
        Session s = strategy.openSession(g, ConfigProto.getDefaultInstance())) {
      Ops tf = Ops.create(g);
      if (!strategy.isChief()) {
        FifoQueue q = declareForChief(tf, workers, "");
        var enqueue = tf.io.queueEnqueue(q, List.of(tf.constant(strategy.replicaIndex())));
        s.runner().addTarget(enqueue).run().close();
      }
      for (int p = 0; p < config.cluster().numTasks("ps"); p++) {
        FifoQueue q = declare(tf, p, workers);
        var enqueue = tf.io.queueEnqueue(q, List.of(tf.constant(strategy.replicaIndex())));
        s.runner().addTarget(enqueue).run().close();
      }
    }
  }

  /**
   * On a worker other than the chief: tells the chief that this worker has finished {@code stage}.
   */
  static void reportStage(Strategy strategy, String stage) {
    try (Graph g = new Graph();
        Session s = strategy.openSession(g, ConfigProto.getDefaultInstance())) {
      Ops tf = Ops.create(g);
      FifoQueue q = declareForChief(tf, workers(strategy.config()), stage);
      var enqueue = tf.io.queueEnqueue(q, List.of(tf.constant(strategy.replicaIndex())));
      s.runner().addTarget(enqueue).run().close();
    }
  }

  /**
   * On the chief: blocks until every other worker has reported the end of {@code stage} (of the run
   * when empty), with no operation timeout (the others may train for as long as they need).
   */
  static void awaitOtherWorkers(Strategy chief, List<String> deviceFilters, String stage) {
    int workers = workers(chief.config());
    ConfigProto.Builder proto = ConfigProto.newBuilder().setAllowSoftPlacement(true);
    deviceFilters.forEach(proto::addDeviceFilters);
    try (Graph g = new Graph();
        Session s = RemoteSession.open(g, TaskServer.current().target(), proto.build())) {
      Ops tf = Ops.create(g);
      var dequeue = tf.io.queueDequeue(declareForChief(tf, workers, stage), List.of(TInt32.class));
      for (int i = 1; i < workers; i++) {
        s.runner().addTarget(dequeue).run().close();
      }
    }
  }
}

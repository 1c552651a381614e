package io.jkeras.distribute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/** The grpc-target session shim against a TensorFlow server in a child JVM. */
class RemoteSessionTest {

  @TempDir static Path dir;
  private static LocalCluster cluster;
  private static String target;

  @BeforeAll
  static void startServer() throws Exception {
    // Task 1 never starts: it is the dead peer.
    cluster = new LocalCluster(dir, Map.of("worker", 2));
    cluster.start("worker", 0, "serve");
    target = "grpc://" + cluster.config("worker", 0).address();
    int port = Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (true) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        break;
      } catch (java.io.IOException e) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("server did not start: " + cluster.allLogs());
        }
        Thread.sleep(200);
      }
    }
  }

  @AfterAll
  static void stopServer() {
    cluster.close();
  }

  private static ConfigProto config(long timeoutMs, String... filters) {
    ConfigProto.Builder b =
        ConfigProto.newBuilder().setAllowSoftPlacement(true).setOperationTimeoutInMs(timeoutMs);
    for (String f : filters) {
      b.addDeviceFilters(f);
    }
    return b.build();
  }

  private static DeviceSpec task(int i) {
    return DeviceSpec.newBuilder().job("worker").replica(0).task(i).build();
  }

  @Test
  void variablesLiveInTheServerAcrossSessionsAndGraphs() {
    ConfigProto config = config(30_000, "/job:worker/task:0");
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g).withDevice(task(0));
      Variable<TFloat32> v = tf.withName("shared_v").variable(Shape.of(2), TFloat32.class);
      var assign = tf.assign(v, tf.constant(new float[] {3f, -4f}));
      try (Session s = RemoteSession.open(g, target, config)) {
        s.runner().addTarget(assign).run().close();
      }
    }
    // A new graph and session see the value: it lives in the remote server, not in this process.
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g).withDevice(task(0));
      Variable<TFloat32> v = tf.withName("shared_v").variable(Shape.of(2), TFloat32.class);
      var doubled = tf.math.mul(v, tf.constant(2f));
      try (Session s = RemoteSession.open(g, target, config);
          Result r = s.runner().fetch(doubled).run()) {
        TFloat32 t = (TFloat32) r.get(0);
        assertEquals(6f, t.getFloat(0));
        assertEquals(-8f, t.getFloat(1));
      }
    }
  }

  @Test
  void anOpOnADeadPeerFailsWithinTheOperationTimeout() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      var x = tf.withDevice(task(1)).math.add(tf.constant(1f), tf.constant(2f));
      try (Session s = RemoteSession.open(g, target, config(3_000))) {
        long start = System.nanoTime();
        TensorFlowException e =
            assertTimeoutPreemptively(
                Duration.ofSeconds(60),
                () -> assertThrows(TensorFlowException.class, () -> s.runner().fetch(x).run()));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 60, "took " + seconds + " s");
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), String.valueOf(e));
      }
    }
  }

  @Test
  void aTargetThatIsNotGrpcIsRejected() {
    try (Graph g = new Graph()) {
      var e =
          assertThrows(
              IllegalArgumentException.class,
              () -> RemoteSession.open(g, "localhost:2222", ConfigProto.getDefaultInstance()));
      assertTrue(e.getMessage().contains("grpc://host:port"), e.getMessage());
      assertTrue(e.getMessage().contains("localhost:2222"), e.getMessage());
    }
  }
}

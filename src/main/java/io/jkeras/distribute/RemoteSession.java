package io.jkeras.distribute;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.global.tensorflow;
import org.tensorflow.proto.ConfigProto;

/**
 * A {@link Session} whose graph runs on a TensorFlow server ({@code grpc://host:port}) instead of
 * in this process: the one place where jkeras reaches into TensorFlow Java's internals.
 *
 * <p>TF Java 1.1.0 has no public way to give a session a target: its constructors never call the C
 * API's {@code TF_SetTarget}. This class builds the native session itself ({@code
 * TF_SessionOptions} with target and serialized {@code ConfigProto}, then {@code TF_NewSession} on
 * the graph's native handle) and wraps it with {@code Session}'s package-private constructor, found
 * by reflection (so jkeras must run from the class path, not as a named module). The returned
 * session is an ordinary {@code Session}: closing it frees the native session.
 *
 * <pre>{@code
 * TaskServer server = TaskServer.start(config);
 * try (Session s = RemoteSession.open(graph, server.target(), ConfigProto.getDefaultInstance())) {
 *   ...
 * }
 * }</pre>
 */
public final class RemoteSession {

  private RemoteSession() {}

  /**
   * Opens a session on {@code target} (for example {@code "grpc://127.0.0.1:2222"}) that runs
   * {@code graph} with {@code config}.
   */
  public static Session open(Graph graph, String target, ConfigProto config) {
    if (target == null || !target.startsWith("grpc://")) {
      throw new IllegalArgumentException(
          "RemoteSession: expected a target grpc://host:port, got \"" + target + "\"");
    }
    Object graphRef = graphReference(graph);
    try (PointerScope scope = new PointerScope()) {
      TF_Graph graphHandle = (TF_Graph) invoke(graphRef, "nativeHandle");
      if (graphHandle == null || graphHandle.isNull()) {
        throw new IllegalStateException("RemoteSession: the graph is closed");
      }
      TF_Status status = TF_Status.newStatus();
      TF_SessionOptions options = TF_SessionOptions.newSessionOptions();
      tensorflow.TF_SetTarget(options, target);
      BytePointer serialized = new BytePointer(config.toByteArray());
      tensorflow.TF_SetConfig(options, serialized, serialized.capacity(), status);
      status.throwExceptionIfNotOK();
      TF_Session handle = TF_Session.newSession(graphHandle, options, status);
      status.throwExceptionIfNotOK();
      // Keep the native session alive past this pointer scope; Session.close() deletes it.
      handle.retainReference();
      return wrap(graph, handle);
    } finally {
      invoke(graphRef, "close");
    }
  }

  private static Object graphReference(Graph graph) {
    try {
      Method ref = Graph.class.getDeclaredMethod("ref");
      ref.setAccessible(true);
      return ref.invoke(graph);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("RemoteSession: " + e.getCause().getMessage(), e.getCause());
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw incompatible(e);
    }
  }

  private static Object invoke(Object target, String method) {
    try {
      Method m = target.getClass().getDeclaredMethod(method);
      m.setAccessible(true);
      return m.invoke(target);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("RemoteSession: " + e.getCause().getMessage(), e.getCause());
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw incompatible(e);
    }
  }

  private static Session wrap(Graph graph, TF_Session handle) {
    try {
      Constructor<Session> c = Session.class.getDeclaredConstructor(Graph.class, TF_Session.class);
      c.setAccessible(true);
      return c.newInstance(graph, handle);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("RemoteSession: " + e.getCause().getMessage(), e.getCause());
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw incompatible(e);
    }
  }

  private static IllegalStateException incompatible(Exception e) {
    return new IllegalStateException(
        "RemoteSession: TensorFlow Java's internals differ from version 1.1.0 (Graph.ref,"
            + " Session(Graph, TF_Session)), or jkeras runs as a named module: "
            + e,
        e);
  }
}

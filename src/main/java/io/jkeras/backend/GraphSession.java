package io.jkeras.backend;

import io.jkeras.layers.Weight;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.LoggerFactory;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

/**
 * A TensorFlow {@link Graph} together with the {@link Session} that runs it and the layer weights
 * that live in it as variables. All graph mechanics of jkeras go through this class: models create
 * one when they first need to run, layers emit their ops into it, and closing it frees the native
 * memory of the graph, the session and every variable.
 *
 * <p>Models that share layers share one graph session (as Keras models that share layers share
 * their variables): the session counts the models that use it and closes when the last one does.
 *
 * <pre>{@code
 * try (GraphSession g = GraphSession.create()) {
 *   Operand<TFloat32> x = g.tf().constant(new float[][] {{1, 2}});
 *   Operand<?> y = new Dense(3).apply(g, x, false);
 *   try (Result r = g.session().runner().fetch(y).run()) { ... }
 * }
 * }</pre>
 */
public final class GraphSession implements AutoCloseable {

  static {
    String advice = SessionOptions.environmentAdvice();
    if (!advice.isEmpty()) {
      LoggerFactory.getLogger(GraphSession.class)
          .info(
              "TensorFlow runs without some settings of the ./jkeras launcher; set them in the"
                  + " environment before the JVM starts for faster CPU training and quiet native"
                  + " logs:\n{}",
              advice);
    }
  }

  /** The thread settings of the process's first session, which sized TensorFlow's pools. */
  private static SessionOptions firstThreads;

  private static SessionOptions lastWarnedThreads;

  private final Graph graph;
  private final Session session;
  private final Ops tf;
  private final String device;
  private final SessionOptions options;
  private final Distribution distribution;
  private final Set<String> usedScopes = new HashSet<>();
  private final List<Weight> weights = new ArrayList<>();
  private int users = 1;
  private boolean closed;

  private GraphSession(SessionOptions options, Distribution distribution) {
    GraphGradients.registerOnce();
    this.options = options;
    this.device = options.device();
    this.distribution = distribution;
    this.graph = new Graph();
    String threads = threadsWarning(options);
    if (threads != null) {
      LoggerFactory.getLogger(GraphSession.class).warn(threads);
    }
    this.session = distribution.openSession(graph, options.toConfigProto());
    Ops ops = Ops.create(graph);
    DeviceSpec opsDevice =
        distribution.opsDevice() != null
            ? distribution.opsDevice()
            : device != null ? parseDevice(device) : null;
    this.tf = opsDevice == null ? ops : ops.withDevice(opsDevice);
  }

  /**
   * TensorFlow sizes its intra-op and inter-op thread pools once per process, from the first
   * session's options; later sessions asking for other sizes run on those pools. Returns the
   * warning to log for {@code options} (once per differing setting), or null.
   */
  static synchronized String threadsWarning(SessionOptions options) {
    if (firstThreads == null) {
      firstThreads = options;
      return null;
    }
    if (sameThreads(firstThreads, options)
        || (lastWarnedThreads != null && sameThreads(lastWarnedThreads, options))) {
      return null;
    }
    lastWarnedThreads = options;
    return "SessionOptions: this model asks for intraOpThreads="
        + options.intraOpThreads()
        + " interOpThreads="
        + options.interOpThreads()
        + ", but TensorFlow sized its thread pools once for this process from the first session ("
        + firstThreads.intraOpThreads()
        + ", "
        + firstThreads.interOpThreads()
        + "; 0: TensorFlow's choice) and keeps them: set the threads with"
        + " SessionOptions.setDefaults before the first model runs";
  }

  /**
   * Whether {@code b} runs as asked on the pools sized for {@code a}. Inter-op threads of -1 (every
   * op on the calling thread) hold per session and size no pool: TensorFlow's choice sizes it.
   */
  private static boolean sameThreads(SessionOptions a, SessionOptions b) {
    return a.intraOpThreads() == b.intraOpThreads()
        && (b.interOpThreads() < 0 || Math.max(0, a.interOpThreads()) == b.interOpThreads());
  }

  /**
   * A graph session with {@link SessionOptions#defaults()}: ops placed by TensorFlow (the CPU on
   * this machine) unless the defaults name a device.
   */
  public static GraphSession create() {
    return new GraphSession(SessionOptions.defaults(), Distribution.LOCAL);
  }

  /**
   * A graph session run with {@code options} (threads, device, placement, timeout).
   *
   * <pre>{@code
   * try (GraphSession g = GraphSession.create(SessionOptions.builder().intraOpThreads(1).build())) {
   *   ...
   * }
   * }</pre>
   */
  public static GraphSession create(SessionOptions options) {
    return new GraphSession(options, Distribution.LOCAL);
  }

  /**
   * A graph session that takes part in {@code distribution} (its session, op and variable
   * placement, gradient aggregation), run with {@code options}; {@link Distribution#LOCAL} is a
   * plain local session.
   *
   * <pre>{@code
   * GraphSession g = GraphSession.create(SessionOptions.defaults(), Distribution.current());
   * }</pre>
   */
  public static GraphSession create(SessionOptions options, Distribution distribution) {
    return new GraphSession(options, distribution);
  }

  /**
   * A graph session whose ops are placed on {@code device}, for example {@code "/GPU:0"} or {@code
   * "/CPU:0"}, with the other {@link SessionOptions#defaults()}. Placement is soft by default: when
   * the device is absent, ops fall back to the CPU.
   */
  public static GraphSession onDevice(String device) {
    return new GraphSession(
        SessionOptions.defaults().toBuilder().device(device).build(), Distribution.LOCAL);
  }

  /** The options this session was created with. */
  public SessionOptions options() {
    return options;
  }

  static DeviceSpec parseDevice(String device) {
    String spec = device.startsWith("/") ? device.substring(1) : device;
    if (spec.toLowerCase().startsWith("device:")) {
      spec = spec.substring("device:".length());
    }
    String[] parts = spec.split(":");
    if (parts.length != 2) {
      throw new IllegalArgumentException(
          "device: expected a form like \"/GPU:0\" or \"/CPU:0\", got \"" + device + "\"");
    }
    DeviceSpec.DeviceType type;
    switch (parts[0].toUpperCase()) {
      case "GPU":
        type = DeviceSpec.DeviceType.GPU;
        break;
      case "CPU":
        type = DeviceSpec.DeviceType.CPU;
        break;
      default:
        throw new IllegalArgumentException(
            "device: expected type CPU or GPU, got \"" + parts[0] + "\" in \"" + device + "\"");
    }
    int index;
    try {
      index = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "device: expected a device index number, got \"" + parts[1] + "\" in \"" + device + "\"");
    }
    return DeviceSpec.newBuilder().deviceType(type).deviceIndex(index).build();
  }

  /** The op builder of this graph, placed on this session's device. */
  public Ops tf() {
    checkOpen();
    return tf;
  }

  /**
   * The TensorFlow graph the ops live in.
   *
   * @throws IllegalStateException if the session is closed
   */
  public Graph graph() {
    checkOpen();
    return graph;
  }

  /**
   * The session that runs the graph and holds the variables' values.
   *
   * @throws IllegalStateException if the session is closed
   */
  public Session session() {
    checkOpen();
    return session;
  }

  /** The distribution this graph session takes part in ({@link Distribution#LOCAL} by default). */
  public Distribution distribution() {
    return distribution;
  }

  /** The requested device, or null when TensorFlow places ops. */
  public String device() {
    return device;
  }

  /**
   * Returns an op-name scope that no other caller of this method got before, based on {@code name}:
   * {@code "dense"}, then {@code "dense_1"}... Graph node names must be unique, and layers of
   * different models in one graph may share a name.
   */
  public synchronized String uniqueScope(String name) {
    String candidate = name;
    for (int i = 1; usedScopes.contains(candidate); i++) {
      candidate = name + "_" + i;
    }
    usedScopes.add(candidate);
    return candidate;
  }

  /**
   * The innermost scope handed out by {@link #uniqueScope} that contains op {@code opName} (for a
   * layer's op, the layer's scope), or null.
   */
  synchronized String scopeOf(String opName) {
    String[] parts = opName.split("/");
    for (int i = parts.length - 2; i >= 0; i--) {
      if (usedScopes.contains(parts[i])) {
        return parts[i];
      }
      // TensorFlow numbers a scope entered again ("dense_1" for a second "dense").
      String base = parts[i].replaceFirst("_\\d+$", "");
      if (usedScopes.contains(base)) {
        return base;
      }
    }
    return null;
  }

  /** Records a weight that was bound to this graph, so that closing the graph unbinds it. */
  public synchronized void register(Weight weight) {
    weights.add(weight);
  }

  /** The weights bound to this graph, in binding order. */
  public synchronized List<Weight> weights() {
    return List.copyOf(weights);
  }

  /** One more model uses this graph session; it closes when every user has closed it. */
  public synchronized GraphSession retain() {
    checkOpen();
    users++;
    return this;
  }

  /** True once the last user has closed this session and its native memory is freed. */
  public synchronized boolean isClosed() {
    return closed;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("This graph session is closed");
    }
  }

  /**
   * Releases this user's hold. The last release copies every bound weight's value back to the host
   * (so layers keep their trained values and can be used in a new model) and frees the native graph
   * and session.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    if (--users > 0) {
      return;
    }
    for (Weight w : weights) {
      w.unbind(this);
    }
    closed = true;
    session.close();
    graph.close();
  }
}

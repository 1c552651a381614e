package io.jkeras.backend;

import org.tensorflow.DeviceSpec;
import org.tensorflow.Result;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TType;

/**
 * A TensorFlow variable of a {@link GraphSession} with the ops to read it and to overwrite it from
 * the host: layer weights and optimizer state both live in these.
 *
 * <pre>{@code
 * GraphVariable<TFloat32> v = GraphVariable.floats(g, tf.withSubScope("adam"), "m", Shape.of(3));
 * v.write(new float[] {0, 0, 0});
 * }</pre>
 */
public final class GraphVariable<T extends TType> {

  private final GraphSession graph;
  private final Shape shape;
  private final Variable<T> variable;
  private final Placeholder<T> input;
  private final Assign<T> assign;
  private final Ops placed;
  private final DeviceSpec device;

  private GraphVariable(
      GraphSession graph, Ops ops, String name, String group, Shape shape, Class<T> type) {
    this.graph = graph;
    this.shape = shape;
    DeviceSpec device = graph.distribution().variableDevice(group, shape);
    // The variable and the ops that read and write it from the host live on one device.
    Ops scoped = device == null ? ops : ops.withDevice(device);
    this.placed = scoped;
    this.device = device;
    this.variable = scoped.withName(name).variable(shape, type);
    this.input = scoped.withName(name + "_value").placeholder(type, Placeholder.shape(shape));
    this.assign = scoped.withName(name + "_assign").assign(variable, input);
  }

  /** A float32 variable named {@code name} in the op scope of {@code scoped}. */
  public static GraphVariable<TFloat32> floats(
      GraphSession g, Ops scoped, String name, Shape shape) {
    return new GraphVariable<>(g, scoped, name, name, shape, TFloat32.class);
  }

  /**
   * A float32 variable placed with the other variables of {@code group} (a weight's path: the
   * weight and its optimizer slots are updated by one op, so they live on one device).
   */
  public static GraphVariable<TFloat32> floats(
      GraphSession g, Ops scoped, String name, String group, Shape shape) {
    return new GraphVariable<>(g, scoped, name, group, shape, TFloat32.class);
  }

  /** An int64 variable (for example an optimizer's iteration count). */
  public static GraphVariable<TInt64> longs(GraphSession g, Ops scoped, String name, Shape shape) {
    return new GraphVariable<>(g, scoped, name, name, shape, TInt64.class);
  }

  /** The TensorFlow variable, for ops that read or update it in the graph. */
  public Variable<T> variable() {
    return variable;
  }

  /** The device the distribution placed this variable on, or null (placed as every other op). */
  public DeviceSpec device() {
    return device;
  }

  /** The variable's static shape. */
  public Shape shape() {
    return shape;
  }

  /**
   * Writes the initial value, unless the variable is shared with other processes (see {@link
   * Distribution#sharesVariables()}) and another one already initialized it.
   */
  public void initialize(float[] values) {
    if (!initializedElsewhere()) {
      write(values);
    }
  }

  /** {@link #initialize(float[])} for int64 variables. */
  public void initialize(long[] values) {
    if (!initializedElsewhere()) {
      write(values);
    }
  }

  private boolean initializedElsewhere() {
    if (!graph.distribution().sharesVariables()) {
      return false;
    }
    try (Result r = graph.session().runner().fetch(placed.isVariableInitialized(variable)).run()) {
      return ((TBool) r.get(0)).getBoolean();
    }
  }

  /**
   * Overwrites the float32 variable from the host, as one session run of its assign op.
   *
   * @param values the new value, row-major, exactly {@code shape().size()} long
   */
  public void write(float[] values) {
    try (TFloat32 t = TFloat32.tensorOf(shape, DataBuffers.of(values, true, false))) {
      feed(t);
    }
  }

  /**
   * Overwrites the int64 variable from the host, as one session run of its assign op.
   *
   * @param values the new value, row-major, exactly {@code shape().size()} long
   */
  public void write(long[] values) {
    try (TInt64 t = TInt64.tensorOf(shape, DataBuffers.of(values, true, false))) {
      feed(t);
    }
  }

  private void feed(Tensor t) {
    graph.session().runner().feed(input, t).addTarget(assign).run().close();
  }

  /** The current value of the float32 variable, copied to the host row-major. */
  public float[] readFloats() {
    float[] out = new float[Math.toIntExact(shape.size())];
    try (Result r = graph.session().runner().fetch(variable).run()) {
      ((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false));
    }
    return out;
  }

  /** The current value of the int64 variable, copied to the host row-major. */
  public long[] readLongs() {
    long[] out = new long[Math.toIntExact(shape.size())];
    try (Result r = graph.session().runner().fetch(variable).run()) {
      ((TInt64) r.get(0)).copyTo(DataBuffers.of(out, false, false));
    }
    return out;
  }
}

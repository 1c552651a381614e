package io.jkeras.backend;

import org.tensorflow.Result;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
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

  private GraphVariable(GraphSession graph, Ops scoped, String name, Shape shape, Class<T> type) {
    this.graph = graph;
    this.shape = shape;
    this.variable = scoped.withName(name).variable(shape, type);
    this.input = scoped.withName(name + "_value").placeholder(type, Placeholder.shape(shape));
    this.assign = scoped.withName(name + "_assign").assign(variable, input);
  }

  /** A float32 variable named {@code name} in the op scope of {@code scoped}. */
  public static GraphVariable<TFloat32> floats(
      GraphSession g, Ops scoped, String name, Shape shape) {
    return new GraphVariable<>(g, scoped, name, shape, TFloat32.class);
  }

  /** An int64 variable (for example an optimizer's iteration count). */
  public static GraphVariable<TInt64> longs(GraphSession g, Ops scoped, String name, Shape shape) {
    return new GraphVariable<>(g, scoped, name, shape, TInt64.class);
  }

  public Variable<T> variable() {
    return variable;
  }

  public Shape shape() {
    return shape;
  }

  public void write(float[] values) {
    try (TFloat32 t = TFloat32.tensorOf(shape, DataBuffers.of(values, true, false))) {
      feed(t);
    }
  }

  public void write(long[] values) {
    try (TInt64 t = TInt64.tensorOf(shape, DataBuffers.of(values, true, false))) {
      feed(t);
    }
  }

  private void feed(Tensor t) {
    graph.session().runner().feed(input, t).addTarget(assign).run().close();
  }

  public float[] readFloats() {
    float[] out = new float[Math.toIntExact(shape.size())];
    try (Result r = graph.session().runner().fetch(variable).run()) {
      ((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false));
    }
    return out;
  }

  public long[] readLongs() {
    long[] out = new long[Math.toIntExact(shape.size())];
    try (Result r = graph.session().runner().fetch(variable).run()) {
      ((TInt64) r.get(0)).copyTo(DataBuffers.of(out, false, false));
    }
    return out;
  }
}

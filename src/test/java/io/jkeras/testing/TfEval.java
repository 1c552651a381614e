package io.jkeras.testing;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A graph plus a session for tests: build ops with {@link #tf}, then {@link #run} fetches float32
 * outputs as flat arrays. Closes every tensor and result it touches.
 */
public final class TfEval implements AutoCloseable {

  public final Graph graph = new Graph();
  public final Ops tf = Ops.create(graph);
  private Session session;

  /** A float32 constant with the given row-major values and shape. */
  public Operand<TFloat32> constant(float[] values, long... shape) {
    return tf.constant(Shape.of(shape), DataBuffers.of(values, true, true));
  }

  /** Evaluates float32 {@code outputs} and returns each as a flat row-major array. */
  public float[][] run(Operand<?>... outputs) {
    if (session == null) {
      session = new Session(graph);
    }
    Session.Runner runner = session.runner();
    for (Operand<?> o : outputs) {
      runner.fetch(o);
    }
    float[][] values = new float[outputs.length][];
    try (Result result = runner.run()) {
      for (int i = 0; i < outputs.length; i++) {
        TFloat32 t = (TFloat32) result.get(i);
        float[] v = new float[(int) t.shape().size()];
        t.copyTo(DataBuffers.of(v, false, false));
        values[i] = v;
      }
    }
    return values;
  }

  /**
   * Evaluates float32 {@code output} with {@code values} (of {@code shape}) fed to {@code input}.
   */
  public float[] runFed(Operand<?> output, Operand<TFloat32> input, float[] values, long... shape) {
    if (session == null) {
      session = new Session(graph);
    }
    try (TFloat32 fed = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
        Result result = session.runner().feed(input, fed).fetch(output).run()) {
      TFloat32 t = (TFloat32) result.get(0);
      float[] v = new float[(int) t.shape().size()];
      t.copyTo(DataBuffers.of(v, false, false));
      return v;
    }
  }

  /** Evaluates one float32 output as a flat row-major array. */
  public float[] run1(Operand<?> output) {
    return run(output)[0];
  }

  /** The gradient of scalar {@code y} with respect to {@code x}, as an operand. */
  @SuppressWarnings("unchecked")
  public Operand<TFloat32> gradient(Operand<TFloat32> y, Operand<TFloat32> x) {
    Output<?>[] grads = graph.addGradients(y.asOutput(), new Output<?>[] {x.asOutput()});
    return (Output<TFloat32>) grads[0];
  }

  @Override
  public void close() {
    if (session != null) {
      session.close();
    }
    graph.close();
  }

  /**
   * Whether float32 {@code actual} matches double {@code expected} within {@code rel} relative plus
   * {@code abs} absolute tolerance; infinities must match exactly, NaN matches only NaN.
   */
  public static boolean close(double actual, double expected, double rel, double abs) {
    if (Double.isNaN(expected) || Double.isNaN(actual)) {
      return Double.isNaN(expected) && Double.isNaN(actual);
    }
    double expectedAsFloat = (float) expected; // overflow to infinity as float32 does
    if (Double.isInfinite(expectedAsFloat) || Double.isInfinite(actual)) {
      return actual == expectedAsFloat;
    }
    return Math.abs(actual - expected) <= rel * Math.abs(expected) + abs;
  }
}

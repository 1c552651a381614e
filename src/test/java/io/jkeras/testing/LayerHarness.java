package io.jkeras.testing;

import io.jkeras.backend.ForwardPass;
import io.jkeras.backend.GraphSession;
import io.jkeras.layers.Layer;
import io.jkeras.layers.Weight;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TType;

/**
 * Runs one layer on a fed input in its own graph session: forward values, and TensorFlow's
 * gradients of {@code sum(coef * output)} with respect to the input and every weight. The input is
 * float32 unless an integer type is given (for Embedding); then gradients are for the weights only.
 */
public final class LayerHarness implements AutoCloseable {

  private final GraphSession g = GraphSession.create();
  private final Placeholder<?> x;
  private final boolean floatInput;
  private final Placeholder<TFloat32> coef;
  private final Operand<TFloat32> y;
  private final List<Weight> weights;
  private final Output<?>[] grads;

  public LayerHarness(Layer layer, Shape inputShape, boolean training) {
    this(layer, inputShape, TFloat32.class, training);
  }

  /** A harness whose input placeholder has type {@code inputType}, for example TInt32. */
  @SuppressWarnings("unchecked")
  public LayerHarness(
      Layer layer, Shape inputShape, Class<? extends TType> inputType, boolean training) {
    Ops tf = g.tf();
    floatInput = inputType == TFloat32.class;
    x = tf.placeholder(inputType, Placeholder.shape(inputShape));
    y = (Operand<TFloat32>) layer.apply(new ForwardPass(g, training), x);
    coef = tf.placeholder(TFloat32.class, Placeholder.shape(y.shape()));
    Operand<TFloat32> loss =
        tf.reduceSum(tf.math.mul(coef, y), tf.constant(range(y.shape().numDimensions())));
    weights = layer.weights();
    int first = floatInput ? 1 : 0;
    Output<?>[] wrt = new Output<?>[weights.size() + first];
    if (floatInput) {
      wrt[0] = x.asOutput();
    }
    for (int i = 0; i < weights.size(); i++) {
      wrt[i + first] = weights.get(i).value().asOutput();
    }
    grads = g.graph().addGradients(loss.asOutput(), wrt);
  }

  private static int[] range(int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = i;
    }
    return r;
  }

  public Shape outputShape() {
    return y.shape();
  }

  /** The layer output for input values {@code xs} of shape {@code shape}. */
  public float[] forward(Shape shape, float[] xs) {
    try (TFloat32 xt = TFloat32.tensorOf(shape, DataBuffers.of(xs, true, false))) {
      return forward(xt);
    }
  }

  /** The layer output for int32 input values (the harness input type must be TInt32). */
  public float[] forward(Shape shape, int[] xs) {
    try (TInt32 xt = TInt32.tensorOf(shape, DataBuffers.of(xs, true, false))) {
      return forward(xt);
    }
  }

  /** The layer output for int64 input values (the harness input type must be TInt64). */
  public float[] forward(Shape shape, long[] xs) {
    try (TInt64 xt = TInt64.tensorOf(shape, DataBuffers.of(xs, true, false))) {
      return forward(xt);
    }
  }

  private float[] forward(Tensor xt) {
    try (Result r = g.session().runner().feed(x, xt).fetch(y).run()) {
      TFloat32 out = (TFloat32) r.get(0);
      float[] v = new float[(int) out.size()];
      out.copyTo(DataBuffers.of(v, false, false));
      return v;
    }
  }

  /**
   * Gradients of {@code sum(coef * layer(x))}: element 0 for the input, then one per weight in
   * {@code layer.weights()} order.
   */
  public List<float[]> gradients(Shape shape, float[] xs, Shape outShape, float[] coefs) {
    try (TFloat32 xt = TFloat32.tensorOf(shape, DataBuffers.of(xs, true, false))) {
      return gradients(xt, outShape, coefs);
    }
  }

  /**
   * Gradients of {@code sum(coef * layer(ids))} for an int32 input: one per weight in {@code
   * layer.weights()} order (an integer input has no gradient).
   */
  public List<float[]> gradients(Shape shape, int[] ids, Shape outShape, float[] coefs) {
    try (TInt32 xt = TInt32.tensorOf(shape, DataBuffers.of(ids, true, false))) {
      return gradients(xt, outShape, coefs);
    }
  }

  private List<float[]> gradients(Tensor xt, Shape outShape, float[] coefs) {
    try (TFloat32 ct = TFloat32.tensorOf(outShape, DataBuffers.of(coefs, true, false))) {
      var runner = g.session().runner().feed(x, xt).feed(coef, ct);
      for (Output<?> o : grads) {
        runner.fetch(o);
      }
      List<float[]> out = new ArrayList<>();
      try (Result r = runner.run()) {
        for (int i = 0; i < grads.length; i++) {
          TFloat32 t = (TFloat32) r.get(i);
          float[] v = new float[(int) t.size()];
          t.copyTo(DataBuffers.of(v, false, false));
          out.add(v);
        }
      }
      return out;
    }
  }

  @Override
  public void close() {
    g.close();
  }
}

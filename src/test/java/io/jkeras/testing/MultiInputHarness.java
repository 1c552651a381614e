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
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * {@link LayerHarness} for a layer with one or more float32 inputs (DotInteraction, FeatureCross):
 * forward values, and gradients of {@code sum(coef * output)} with respect to every input, then
 * every weight in {@code layer.weights()} order.
 */
public final class MultiInputHarness implements AutoCloseable {

  private final GraphSession g = GraphSession.create();
  private final List<Placeholder<TFloat32>> xs = new ArrayList<>();
  private final Placeholder<TFloat32> coef;
  private final Operand<TFloat32> y;
  private final Output<?>[] grads;

  public MultiInputHarness(Layer layer, List<Shape> inputShapes) {
    this(layer, inputShapes, java.util.Map.of());
  }

  /** A harness whose call also gets these (non-tensor) keyword arguments. */
  public MultiInputHarness(
      Layer layer, List<Shape> inputShapes, java.util.Map<String, Object> kwargs) {
    this(layer, inputShapes, kwargs, true);
  }

  /** A harness that calls the layer in training ({@code true}) or inference mode. */
  @SuppressWarnings("unchecked")
  public MultiInputHarness(
      Layer layer,
      List<Shape> inputShapes,
      java.util.Map<String, Object> kwargs,
      boolean training) {
    Ops tf = g.tf();
    List<Operand<?>> in = new ArrayList<>();
    for (Shape s : inputShapes) {
      Placeholder<TFloat32> p = tf.placeholder(TFloat32.class, Placeholder.shape(s));
      xs.add(p);
      in.add(p);
    }
    y = (Operand<TFloat32>) layer.apply(new ForwardPass(g, training), in, kwargs).get(0);
    coef = tf.placeholder(TFloat32.class, Placeholder.shape(y.shape()));
    int[] axes = new int[y.shape().numDimensions()];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = i;
    }
    Operand<TFloat32> loss = tf.reduceSum(tf.math.mul(coef, y), tf.constant(axes));
    List<Weight> weights = layer.weights();
    Output<?>[] wrt = new Output<?>[xs.size() + weights.size()];
    for (int i = 0; i < xs.size(); i++) {
      wrt[i] = xs.get(i).asOutput();
    }
    for (int i = 0; i < weights.size(); i++) {
      wrt[xs.size() + i] = weights.get(i).value().asOutput();
    }
    grads = g.graph().addGradients(loss.asOutput(), wrt);
  }

  public Shape outputShape() {
    return y.shape();
  }

  /** The output for the inputs {@code values[i]} of shapes {@code shapes[i]}. */
  public float[] forward(List<Shape> shapes, List<float[]> values) {
    List<TFloat32> fed = tensors(shapes, values);
    try {
      Session.Runner r = g.session().runner();
      for (int i = 0; i < xs.size(); i++) {
        r.feed(xs.get(i), fed.get(i));
      }
      try (Result out = r.fetch(y).run()) {
        return copy((TFloat32) out.get(0));
      }
    } finally {
      fed.forEach(TFloat32::close);
    }
  }

  /** Gradients of {@code sum(coef * y)}: one per input, then one per weight. */
  public List<float[]> gradients(
      List<Shape> shapes, List<float[]> values, Shape outShape, float[] coefs) {
    List<TFloat32> fed = tensors(shapes, values);
    try (TFloat32 c = TFloat32.tensorOf(outShape, DataBuffers.of(coefs, true, false))) {
      Session.Runner r = g.session().runner().feed(coef, c);
      for (int i = 0; i < xs.size(); i++) {
        r.feed(xs.get(i), fed.get(i));
      }
      for (Output<?> o : grads) {
        r.fetch(o);
      }
      List<float[]> out = new ArrayList<>();
      try (Result res = r.run()) {
        for (int i = 0; i < grads.length; i++) {
          out.add(copy((TFloat32) res.get(i)));
        }
      }
      return out;
    } finally {
      fed.forEach(TFloat32::close);
    }
  }

  private static List<TFloat32> tensors(List<Shape> shapes, List<float[]> values) {
    List<TFloat32> out = new ArrayList<>();
    for (int i = 0; i < shapes.size(); i++) {
      out.add(TFloat32.tensorOf(shapes.get(i), DataBuffers.of(values.get(i), true, false)));
    }
    return out;
  }

  private static float[] copy(TFloat32 t) {
    float[] v = new float[(int) t.size()];
    t.copyTo(DataBuffers.of(v, false, false));
    return v;
  }

  @Override
  public void close() {
    g.close();
  }
}

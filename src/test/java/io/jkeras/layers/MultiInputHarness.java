package io.jkeras.layers;

import io.jkeras.backend.ForwardPass;
import io.jkeras.backend.GraphSession;
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
 * Runs a layer with several float32 inputs in its own graph: the output, and TensorFlow's gradients
 * of {@code sum(coef * output)} with respect to every input and then every weight (in {@code
 * layer.weights()} order). The single-input {@link io.jkeras.testing.LayerHarness} for merge
 * layers.
 */
final class MultiInputHarness implements AutoCloseable {

  private final GraphSession g = GraphSession.create();
  private final List<Placeholder<TFloat32>> xs = new ArrayList<>();
  private final Placeholder<TFloat32> coef;
  private final Operand<TFloat32> y;
  private final Output<?>[] grads;

  @SuppressWarnings("unchecked")
  MultiInputHarness(Layer layer, boolean training, Shape... shapes) {
    Ops tf = g.tf();
    List<Operand<?>> in = new ArrayList<>();
    for (Shape s : shapes) {
      Placeholder<TFloat32> p = tf.placeholder(TFloat32.class, Placeholder.shape(s));
      xs.add(p);
      in.add(p);
    }
    y = (Operand<TFloat32>) layer.apply(new ForwardPass(g, training), in).get(0);
    coef = tf.placeholder(TFloat32.class, Placeholder.shape(y.shape()));
    int[] axes = new int[y.shape().numDimensions()];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = i;
    }
    Operand<TFloat32> loss = tf.reduceSum(tf.math.mul(coef, y), tf.constant(axes));
    List<Output<?>> wrt = new ArrayList<>();
    xs.forEach(p -> wrt.add(p.asOutput()));
    layer.trainableWeights().forEach(w -> wrt.add(w.value().asOutput()));
    grads = g.graph().addGradients(loss.asOutput(), wrt.toArray(new Output<?>[0]));
  }

  Shape outputShape() {
    return y.shape();
  }

  /** The output for inputs {@code values[i]} of shape {@code shapes[i]}. */
  float[] forward(List<Shape> shapes, List<float[]> values) {
    return run(shapes, values, null, null).get(0);
  }

  /** Gradients: one per input, then one per trainable weight. */
  List<float[]> gradients(List<Shape> shapes, List<float[]> values, Shape outShape, float[] c) {
    return run(shapes, values, outShape, c);
  }

  private List<float[]> run(List<Shape> shapes, List<float[]> values, Shape outShape, float[] c) {
    List<TFloat32> fed = new ArrayList<>();
    try {
      Session.Runner r = g.session().runner();
      for (int i = 0; i < xs.size(); i++) {
        TFloat32 t = TFloat32.tensorOf(shapes.get(i), DataBuffers.of(values.get(i), true, false));
        fed.add(t);
        r.feed(xs.get(i), t);
      }
      if (c == null) {
        r.fetch(y);
      } else {
        TFloat32 t = TFloat32.tensorOf(outShape, DataBuffers.of(c, true, false));
        fed.add(t);
        r.feed(coef, t);
        for (Output<?> o : grads) {
          r.fetch(o);
        }
      }
      List<float[]> out = new ArrayList<>();
      try (Result result = r.run()) {
        for (int i = 0; i < result.size(); i++) {
          TFloat32 t = (TFloat32) result.get(i);
          float[] v = new float[(int) t.size()];
          t.copyTo(DataBuffers.of(v, false, false));
          out.add(v);
        }
      }
      return out;
    } finally {
      fed.forEach(TFloat32::close);
    }
  }

  @Override
  public void close() {
    g.close();
  }
}

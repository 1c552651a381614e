package io.jkeras.layers;

import io.jkeras.backend.DTypes;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;

/**
 * Finds a weightless layer's output shapes by emitting its ops once on placeholders in a scratch
 * graph and reading TensorFlow's static shape inference, as Keras 3 traces {@code call} to compute
 * output specs.
 */
final class ShapeTracer {

  private ShapeTracer() {}

  static List<Shape> trace(Layer layer, List<Shape> inputShapes, List<String> dtypes) {
    if (!layer.weights().isEmpty()) {
      throw new UnsupportedOperationException(
          "Layer \""
              + layer.name()
              + "\" ("
              + layer.className()
              + ") has weights and must override computeOutputShape");
    }
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      List<Operand<?>> inputs = new ArrayList<>();
      for (int i = 0; i < inputShapes.size(); i++) {
        inputs.add(
            tf.placeholder(DTypes.tfType(dtypes.get(i)), Placeholder.shape(inputShapes.get(i))));
      }
      List<Shape> out = new ArrayList<>();
      for (Operand<?> y : layer.call(tf, inputs, false)) {
        out.add(y.shape());
      }
      return out;
    }
  }
}

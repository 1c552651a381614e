package io.jkeras.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.backend.MissingGradientException;
import io.jkeras.models.Model;
import io.jkeras.optimizers.SGD;
import io.jkeras.training.FitOptions;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A user's layer that calls {@code tf.math.square} on its weight trains (TensorFlow Java 1.1.0
 * alone kills the JVM there), and an op without a gradient fails with a Java exception naming the
 * op and the layer.
 */
class SquareOnWeightTest {

  /** y = x * w^2 (or round(x * w) when {@code rounded}), with one trainable scalar w = 1.5. */
  static final class Squared extends Layer {
    private final boolean rounded;
    private Weight w;

    Squared(boolean rounded) {
      this.rounded = rounded;
    }

    @Override
    protected void build(Shape inputShape) {
      w = addWeight("w", Shape.of(1), "ones");
      w.assign(new float[] {1.5f});
    }

    @Override
    protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
      if (rounded) {
        return tf.math.round(tf.math.mul(x, w.value()));
      }
      return tf.math.mul(x, tf.math.square(w.value()));
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
      return inputShape;
    }
  }

  @Test
  void squareOfAWeightTrainsWithTheExactSgdStep() {
    KerasTensor x = Input.of(1);
    try (Model model = new Model(x, new Squared(false).apply(x))) {
      model.compile(new SGD(0.1), "mse");
      float[][] xs = {{1}, {2}};
      float[] ys = {1, 3};
      model.fit(xs, ys, FitOptions.epochs(1).batchSize(2).verbose(0));
      // loss = mean((x w^2 - y)^2); dL/dw = mean(2 (x w^2 - y) x 2w), in double precision.
      double w = 1.5;
      double grad = 0;
      for (int i = 0; i < 2; i++) {
        grad += 2 * (xs[i][0] * w * w - ys[i]) * xs[i][0] * 2 * w / 2;
      }
      double expected = w - 0.1 * grad;
      assertEquals(expected, model.layers().get(1).weights().get(0).read()[0], 1e-5);
    }
  }

  @Test
  void anOpWithoutGradientNamesTheOpAndTheLayer() {
    KerasTensor x = Input.of(1);
    Squared layer = new Squared(true);
    try (Model model = new Model(x, layer.apply(x))) {
      model.compile(new SGD(0.1), "mse");
      MissingGradientException e =
          assertThrows(
              MissingGradientException.class,
              () ->
                  model.fit(new float[][] {{1}}, new float[] {1}, FitOptions.epochs(1).verbose(0)));
      assertEquals("Round", e.opType());
      assertEquals(layer.name(), e.layer(), e.opName());
      assertTrue(e.getMessage().contains("Layer \"" + layer.name() + "\""), e.getMessage());
    }
  }
}

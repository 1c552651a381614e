package io.jkeras.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jkeras.models.Model;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The README's "write your own layer" example, compiled and run. Keep the two in step. */
class MyLayerTest {

  // --- README example start ---
  /** y = x · kernel, with a trainable kernel of shape (input_dim, output_dim). */
  public static final class MyLayer extends Layer {
    private final int outputDim;
    private Weight kernel;

    public MyLayer(int outputDim) {
      this.outputDim = outputDim;
    }

    @Override
    protected void build(Shape inputShape) {
      // Runs once, on the first call; no "built" flag to set by hand.
      kernel = addWeight("kernel", Shape.of(inputShape.size(1), outputDim), "uniform");
    }

    @Override
    protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
      return tf.linalg.matMul(x, kernel.value());
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
      return Shape.of(inputShape.size(0), outputDim);
    }

    @Override
    public Map<String, Object> getConfig() {
      Map<String, Object> config = super.getConfig();
      config.put("output_dim", outputDim);
      return config;
    }
  }

  // --- README example end ---

  @Test
  void theReadmeLayerBuildsOnFirstCallAndComputesXTimesKernel() {
    KerasTensor x = Input.of(3);
    MyLayer layer = new MyLayer(2);
    KerasTensor y = layer.apply(x);
    assertArrayEquals(new long[] {-1, 2}, y.shape().asArray());
    assertEquals(6, layer.countParams());
    float[] k = layer.weights().get(0).read();
    for (float v : k) {
      // "uniform" is Keras's RandomUniform(-0.05, 0.05).
      assertEquals(0, v, 0.05);
    }
    try (Model model = new Model(x, y)) {
      float[][] out = model.predict(new float[][] {{1, 2, 3}});
      assertEquals(k[0] + 2 * k[2] + 3 * k[4], out[0][0], 1e-6);
      assertEquals(k[1] + 2 * k[3] + 3 * k[5], out[0][1], 1e-6);
    }
    assertEquals(2, layer.getConfig().get("output_dim"));
    assertEquals("my_layer", KerasNames.toSnakeCase("MyLayer"));
  }
}

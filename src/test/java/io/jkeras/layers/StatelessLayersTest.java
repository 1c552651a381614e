package io.jkeras.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.models.Model;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatelessLayersTest {

  @Test
  void lambdaAppliesTheJavaFunctionAndTracesItsOutputShape() {
    KerasTensor x = Input.of(3);
    Lambda cube = new Lambda((tf, v) -> tf.math.mul(v, tf.math.mul(v, v)));
    KerasTensor y = cube.apply(x);
    assertArrayEquals(new long[] {-1, 3}, y.shape().asArray());
    Lambda firstTwo =
        new Lambda(
            (tf, v) -> tf.slice(v, tf.constant(new int[] {0, 0}), tf.constant(new int[] {-1, 2})),
            null,
            "first_two");
    KerasTensor z = firstTwo.apply(y);
    assertArrayEquals(new long[] {-1, 2}, z.shape().asArray());
    try (Model m = new Model(x, z)) {
      float[][] out = m.predict(new float[][] {{1, -2, 3}, {0.5f, 4, 9}});
      assertEquals(1f, out[0][0], 1e-6);
      assertEquals(-8f, out[0][1], 1e-6);
      assertEquals(0.125f, out[1][0], 1e-6);
      assertEquals(64f, out[1][1], 1e-4);
    }
    assertTrue(cube.weights().isEmpty());
  }

  @Test
  void activationLayerMatchesTheFunction() {
    KerasTensor x = Input.of(2);
    KerasTensor y = new Activation("sigmoid").apply(x);
    try (Model m = new Model(x, y)) {
      float[][] out = m.predict(new float[][] {{0, 2}});
      assertEquals(0.5, out[0][0], 1e-6);
      assertEquals(1 / (1 + Math.exp(-2)), out[0][1], 1e-6);
    }
    assertEquals("sigmoid", new Activation("sigmoid").getConfig().get("activation"));
  }

  @Test
  void inputLayerConfigMatchesKeras() {
    KerasTensor x = Input.named("tokens", "int32", 10);
    InputLayer il = (InputLayer) x.layer();
    assertEquals(
        List.of("batch_shape", "dtype", "sparse", "ragged", "name", "optional"),
        List.copyOf(il.getConfig().keySet()));
    assertEquals(java.util.Arrays.asList(null, 10L), il.getConfig().get("batch_shape"));
    assertEquals("int32", il.getConfig().get("dtype"));
    assertThrows(IllegalArgumentException.class, () -> Input.of("int16", 3));
  }

  @Test
  void automaticNamesFollowKerasCounters() {
    KerasNames.reset();
    assertEquals("dense", new Dense(1).name());
    assertEquals("dense_1", new Dense(1).name());
    assertEquals("fm_layer", new FMLayer(1, 1).name());
    assertEquals("global_max_pooling1d", KerasNames.toSnakeCase("GlobalMaxPooling1D"));
    assertEquals("conv1d", KerasNames.toSnakeCase("Conv1D"));
  }
}

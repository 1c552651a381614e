package io.jkeras.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jkeras.backend.HostArray;
import io.jkeras.models.Model;
import io.jkeras.testing.PythonKeras;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * CategoryEncoding's {@code count_weights} call argument against real Python Keras 3.15.1, in one
 * Python process: Keras loads the model jkeras built and saved, builds and saves the same model,
 * and predicts with both; jkeras loads Keras's file. Each must give the weighted counts computed
 * here in double precision.
 */
class CategoryEncodingInteropTest {

  private static final int[][] IDS = {{0, 1, 1}, {3, 3, 2}, {2, 5, 0}};
  private static final float[][] WEIGHTS = {{0.5f, 1.25f, 2f}, {-1f, 0.75f, 3f}, {1.5f, 9f, 0.25f}};

  private static final String PYTHON =
      """
import json, sys
import numpy as np
import keras
java_file, keras_file, out = sys.argv[1:4]
ids = np.array(json.loads(sys.argv[4]), dtype="int32")
weights = np.array(json.loads(sys.argv[5]), dtype="float32")
java = keras.saving.load_model(java_file)
i = keras.Input((3,), dtype="int32", name="ids")
w = keras.Input((3,), dtype="float32", name="weights")
y = keras.layers.CategoryEncoding(4, output_mode="count", name="enc")(i, count_weights=w)
model = keras.Model([i, w], y)
model.save(keras_file)
with open(out, "w") as f:
    json.dump({
        "java": java.predict([ids, weights], verbose=0).ravel().tolist(),
        "keras": model.predict([ids, weights], verbose=0).ravel().tolist(),
    }, f)
""";

  private static double[] expected() {
    double[] out = new double[IDS.length * 4];
    for (int b = 0; b < IDS.length; b++) {
      for (int j = 0; j < IDS[b].length; j++) {
        if (IDS[b][j] < 4) {
          out[b * 4 + IDS[b][j]] += WEIGHTS[b][j];
        }
      }
    }
    return out;
  }

  private static double[] doubles(JsonNode node) {
    double[] out = new double[node.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = node.get(i).asDouble();
    }
    return out;
  }

  private static double[] predict(Model model) {
    FloatNdArray y = model.predict(List.of(HostArray.of(IDS), HostArray.of(WEIGHTS)), 32).get(0);
    float[] out = new float[(int) y.size()];
    y.copyTo(DataBuffers.of(out, false, false));
    double[] d = new double[out.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = out[i];
    }
    return d;
  }

  @Test
  void countWeightsMatchKerasBothWays(@TempDir Path dir) throws Exception {
    KerasTensor ids = Input.of("int32", 3);
    KerasTensor weights = Input.of(3);
    CategoryEncoding enc = new CategoryEncoding(4, "count", "enc");
    KerasTensor y = enc.apply(List.of(ids), Map.of("count_weights", weights)).get(0);
    Path javaFile = dir.resolve("java.keras");
    Path kerasFile = dir.resolve("keras.keras");
    Path out = dir.resolve("out.json");
    try (Model model = new Model(List.of(ids, weights), List.of(y))) {
      assertArrayEquals(expected(), predict(model), 1e-6, "jkeras");
      model.save(javaFile);
    }
    ObjectMapper json = new ObjectMapper();
    PythonKeras.runCode(
        PYTHON,
        javaFile.toString(),
        kerasFile.toString(),
        out.toString(),
        json.writeValueAsString(IDS),
        json.writeValueAsString(WEIGHTS));
    JsonNode keras = json.readTree(out.toFile());
    assertArrayEquals(expected(), doubles(keras.get("keras")), 1e-6, "Keras");
    assertArrayEquals(expected(), doubles(keras.get("java")), 1e-6, "Keras on jkeras's file");
    try (Model loaded = Model.load(kerasFile)) {
      assertArrayEquals(expected(), predict(loaded), 1e-6, "jkeras on Keras's file");
    }
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new CategoryEncoding(4, "multi_hot", "mh")
                    .apply(List.of(Input.of("int32", 3)), Map.of("count_weights", Input.of(3))));
    assertTrue(
        e.getMessage().contains("\"mh\"") && e.getMessage().contains("count"), e.getMessage());
  }
}

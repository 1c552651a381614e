package io.jkeras.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jkeras.backend.HostArray;
import io.jkeras.config.ConfigReader;
import io.jkeras.config.KerasClass;
import io.jkeras.models.Model;
import io.jkeras.testing.PythonKeras;
import io.jkeras.training.FitOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A new layer with sub-layers is one class: {@link Block} below. Its weights, trainable flag,
 * summary row and weights file follow Keras 3's nested layout, checked against the same layer
 * written in Python ({@code src/test/python/layers/nested_block.py}).
 */
class NestedLayerTest {

  /** {@code proj(x) * gate(x) * scale}: two Dense sub-layers and a weight of its own. */
  @KerasClass(registeredName = "test>Block")
  public static final class Block extends Layer {
    private final int units;
    private final Dense proj;
    private final Dense gate;
    private Weight scale;

    Block(int units, String name) {
      super(name);
      this.units = units;
      proj = addLayer("proj", new Dense(units));
      gate = addLayer("gate", new Dense(units, "sigmoid"));
    }

    @Override
    protected void build(Shape inputShape) {
      scale = addWeight("scale", Shape.of(units), "ones");
      proj.ensureBuilt(inputShape);
      gate.ensureBuilt(inputShape);
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
      return Shape.of(inputShape.size(0), units);
    }

    @Override
    protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
      return tf.math.mul(tf.math.mul(callSublayer(proj, x), callSublayer(gate, x)), scale.value());
    }

    @Override
    public Map<String, Object> getConfig() {
      Map<String, Object> config = super.getConfig();
      config.put("units", units);
      return config;
    }

    public static Block fromConfig(Map<String, Object> config) {
      ConfigReader c = ConfigReader.of("Block", config);
      return c.finish(new Block(c.positiveInt("units"), c.name()));
    }
  }

  private static final float[][] X = new float[8][4];

  static {
    for (int i = 0; i < 8; i++) {
      for (int j = 0; j < 4; j++) {
        X[i][j] = (i * 4 + j) / 10.0f - 1.0f;
      }
    }
  }

  @TempDir Path dir;

  private static Model model() {
    KerasTensor x = Input.of(4);
    return new Model(x, new Block(3, "block").apply(x));
  }

  @Test
  void subLayerWeightsTrainableFlagsAndSummaryAreThoseOfTheParent() {
    try (Model m = model()) {
      Block block = (Block) m.getLayer("block");
      assertEquals(List.of("proj", "gate"), List.copyOf(block.sublayers().keySet()));
      assertEquals(
          List.of(
              "block/scale",
              "block/dense/kernel",
              "block/dense/bias",
              "block/dense_1/kernel",
              "block/dense_1/bias"),
          renumbered(block.weights()));
      // Weight paths follow Keras's layer.path: the parent's name, then the sub-layer's.
      assertEquals(
          "block/" + block.sublayers().get("gate").name() + "/bias", block.weights().get(4).path());
      assertEquals(List.of("scale"), block.ownWeights().stream().map(Weight::name).toList());
      assertEquals(33, block.countParams());
      assertEquals(33, m.trainableWeights().stream().mapToLong(Weight::size).sum());
      assertTrue(
          m.summaryString()
              .lines()
              .anyMatch(l -> l.contains("block (Block)") && l.contains(" 33 ")));
      block.setTrainable(false);
      assertEquals(List.of(), m.trainableWeights());
      assertEquals(5, m.nonTrainableWeights().size());
      block.setTrainable(true);
      assertEquals(5, m.trainableWeights().size());
    }
  }

  /** The weight paths with the Dense layers' automatic names replaced by dense, dense_1. */
  private static List<String> renumbered(List<Weight> weights) {
    Map<String, String> names = new java.util.LinkedHashMap<>();
    return weights.stream()
        .map(
            w -> {
              String layer = w.layer().name();
              if (w.layer() instanceof Dense) {
                names.putIfAbsent(layer, names.isEmpty() ? "dense" : "dense_" + names.size());
                layer = names.get(layer);
              }
              return (w.layer() instanceof Block ? "" : "block/") + layer + "/" + w.name();
            })
        .toList();
  }

  @Test
  @SuppressWarnings("unchecked")
  void pythonKerasReadsAndWritesTheNestedLayout() throws Exception {
    LayerCatalog.register(Block.class);
    try {
      Path javaFile = dir.resolve("java_block.keras");
      Path pythonFile = dir.resolve("python_block.keras");
      float[][] javaPred;
      try (Model m = model()) {
        m.compile("adam", "mse");
        float[][] ones = new float[8][3];
        for (float[] row : ones) {
          java.util.Arrays.fill(row, 1f);
        }
        m.fit(HostArray.of(X), HostArray.of(ones), FitOptions.epochs(1).batchSize(8));
        javaPred = m.predict(X);
        m.save(javaFile);
      }
      PythonKeras.Result r =
          PythonKeras.runScript(
              "layers/nested_block.py", javaFile.toString(), pythonFile.toString());
      String json = r.stdout().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).get();
      Map<String, Object> out = new ObjectMapper().readValue(json, Map.class);

      // The same datasets, at the same paths with the same shapes, as Keras writes them.
      Map<String, Object> expectedPaths =
          new TreeMap<>(
              Map.of(
                  "layers/block/vars/0", List.of(3),
                  "layers/block/proj/vars/0", List.of(4, 3),
                  "layers/block/proj/vars/1", List.of(3),
                  "layers/block/gate/vars/0", List.of(4, 3),
                  "layers/block/gate/vars/1", List.of(3)));
      assertEquals(expectedPaths, layerPaths((Map<String, Object>) out.get("py_paths")));
      assertEquals(expectedPaths, layerPaths((Map<String, Object>) out.get("java_paths")));
      // iteration, learning rate, and Adam's two slots for each of the 5 weights, in Keras order.
      assertEquals(12, ((Number) out.get("java_opt")).intValue());
      assertClose(javaPred, (List<List<Number>>) out.get("java_pred"));

      try (Model fromPython = Model.load(pythonFile)) {
        assertTrue(fromPython.getLayer("block") instanceof Block);
        assertClose(fromPython.predict(X), (List<List<Number>>) out.get("py_pred"));
      }
    } finally {
      LayerCatalog.unregister("test>Block");
    }
  }

  private static Map<String, Object> layerPaths(Map<String, Object> all) {
    Map<String, Object> out = new TreeMap<>();
    all.forEach(
        (k, v) -> {
          if (k.startsWith("layers/")) {
            out.put(k, v);
          }
        });
    return out;
  }

  private static void assertClose(float[][] actual, List<List<Number>> expected) {
    assertEquals(expected.size(), actual.length);
    for (int i = 0; i < actual.length; i++) {
      for (int j = 0; j < actual[i].length; j++) {
        double e = expected.get(i).get(j).doubleValue();
        assertEquals(e, actual[i][j], 1e-5, "row " + i + " col " + j);
      }
    }
  }
}

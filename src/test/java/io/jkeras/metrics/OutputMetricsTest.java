package io.jkeras.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How Keras 3.15.1's compile spreads {@code metrics} over a model's outputs. */
class OutputMetricsTest {

  private static final List<String> TWO = List.of("a", "b");

  @Test
  void oneOutputTakesEveryMetricNestedListsFlattened() {
    AUC auc = new AUC();
    List<List<Object>> each =
        OutputMetrics.of(List.of("mae", List.of("mse", auc))).resolve(List.of("out"), "m");
    assertEquals(List.of(List.of("mae", "mse", auc)), each);
  }

  @Test
  void severalOutputsTakeOneListEntryEach() {
    // Keras: metrics=["mae", "mse"] on outputs a and b logs a_mae and b_mse; None gives none.
    assertEquals(
        List.of(List.of("mae"), List.of("mse")),
        OutputMetrics.of(List.of("mae", "mse")).resolve(TWO, "m"));
    assertEquals(
        List.of(List.of(), List.of("mae", "mse")),
        OutputMetrics.of(Arrays.asList(null, List.of("mae", "mse"))).resolve(TWO, "m"));
    assertEquals(List.of(List.of(), List.of()), OutputMetrics.of(List.of()).resolve(TWO, "m"));
  }

  @Test
  void aMapNamesSomeOutputsInOutputOrder() {
    Map<String, Object> byName = new LinkedHashMap<>();
    byName.put("b", List.of("mae", "mse"));
    byName.put("a", "mape");
    OutputMetrics metrics = OutputMetrics.byOutput(byName);
    assertEquals(List.of(List.of("mape"), List.of("mae", "mse")), metrics.resolve(TWO, "m"));
    assertEquals(
        List.of(List.of(), List.of("mae")),
        OutputMetrics.byOutput(Map.of("b", "mae")).resolve(TWO, "m"));
    // compile_config keeps the form given.
    assertEquals(byName, metrics.toConfig(m -> m));
  }

  @Test
  void metricsThatDoNotFitTheOutputsAreRefused() {
    // Keras 3.15.1 raises ValueError for a one-entry list on two outputs.
    IllegalArgumentException wrongLength =
        assertThrows(
            IllegalArgumentException.class,
            () -> OutputMetrics.of(List.of("mae")).resolve(TWO, "Model \"m\""));
    assertTrue(
        wrongLength.getMessage().startsWith("Model \"m\": metrics [mae] for 2 outputs [a, b]"),
        wrongLength.getMessage());
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class,
            () -> OutputMetrics.byOutput(Map.of("c", "mae")).resolve(TWO, "Model \"m\""));
    assertTrue(unknown.getMessage().contains("[c]"), unknown.getMessage());
    AUC shared = new AUC();
    IllegalArgumentException twice =
        assertThrows(
            IllegalArgumentException.class,
            () -> OutputMetrics.of(List.of(shared, shared)).resolve(TWO, "Model \"m\""));
    assertTrue(twice.getMessage().contains("outputs \"a\" and \"b\""), twice.getMessage());
    assertThrows(IllegalArgumentException.class, () -> OutputMetrics.of(List.of(3)));
  }
}

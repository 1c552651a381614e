package io.jkeras.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jkeras.backend.HostArray;
import io.jkeras.layers.Dense;
import io.jkeras.layers.Embedding;
import io.jkeras.layers.Flatten;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

/**
 * Model.predict refuses what Keras refuses for ids, before running: floats that are not whole for
 * an integer input, ids outside an Embedding's rows; each with one message naming the input, the
 * value, its position, the layer and the range.
 */
class InputRangesTest {

  /** ids (None, 3) int32 into Embedding "emb" of 1000 rows. */
  private static Model model(String dtype) {
    KerasTensor ids = Input.named("ids", dtype, 3);
    KerasTensor e = Embedding.builder(1000, 4).name("emb").build().apply(ids);
    return new Model(ids, new Dense(1).apply(new Flatten().apply(e)));
  }

  private static String refused(Model m, HostArray x) {
    return assertThrows(IllegalArgumentException.class, () -> m.predict(List.of(x), 32))
        .getMessage();
  }

  @Test
  void idsOutsideTheTableAreRefusedNamingInputIdPositionLayerAndRange() {
    try (Model m = model("int32")) {
      assertEquals(
          "input \"ids\" has id 1000 at [1, 2], outside the range [0, 1000) of layer \"emb\""
              + " (Embedding)",
          refused(m, HostArray.of(new int[][] {{1, 2, 3}, {4, 5, 1000}})));
      assertEquals(
          "input \"ids\" has id -1 at [0, 0], outside the range [0, 1000) of layer \"emb\""
              + " (Embedding)",
          refused(m, HostArray.of(new int[][] {{-1, 2, 3}})));
      // The edges of the range are fine.
      assertEquals(2, m.predict(new int[][] {{0, 999, 5}, {999, 0, 5}}).length);
    }
  }

  @Test
  void floatsForAnIntegerInputMustBeWholeAndFinite() {
    try (Model m = model("int32")) {
      float[][] whole = {{1, 2, 3}, {4, 5, 6}};
      assertArrayEquals(m.predict(new int[][] {{1, 2, 3}, {4, 5, 6}})[1], m.predict(whole)[1], 0f);
      assertEquals(
          "input \"ids\" is int32 but holds 3.7 at [0, 1], not a whole number (like Keras, an"
              + " integer input takes only whole, finite numbers)",
          refused(m, HostArray.of(new float[][] {{1, 3.7f, 3}})));
      assertEquals(
          "input \"ids\" is int32 but holds NaN at [1, 0], not a whole number (like Keras, an"
              + " integer input takes only whole, finite numbers)",
          refused(m, HostArray.of(new float[][] {{1, 2, 3}, {Float.NaN, 2, 3}})));
      assertEquals(
          "input \"ids\" is int32 but holds 10000000000 at [0, 2], which int32 cannot hold (like"
              + " Keras, an integer input takes only whole, finite numbers)",
          refused(m, HostArray.of(new float[][] {{1, 2, 1e10f}})));
    }
  }

  @Test
  void aFloatInputIsCastToIdsByTruncationAsKerasDoesButNotFromNaN() {
    try (Model m = model("float32")) {
      assertArrayEquals(
          m.predict(new float[][] {{3, 0, 999}})[0],
          m.predict(new float[][] {{3.7f, -0.5f, 999.9f}})[0],
          0f);
      assertEquals(
          "input \"ids\" has id Infinity at [0, 1], outside the range [0, 1000) of layer \"emb\""
              + " (Embedding)",
          refused(m, HostArray.of(new float[][] {{1, Float.POSITIVE_INFINITY, 3}})));
      assertEquals(
          "input \"ids\" has id 1000 at [0, 0], outside the range [0, 1000) of layer \"emb\""
              + " (Embedding)",
          refused(m, HostArray.of(new float[][] {{1000f, 1, 3}})));
    }
  }

  @Test
  void rangesComeFromTheEmbeddingsCalledOnEachInput() {
    try (Model m = model("int64")) {
      InputRanges r = InputRanges.of(m);
      assertEquals(List.of(new InputRanges.IdTable("emb", "Embedding", 1000)), r.tables("ids"));
      assertEquals(List.of(), r.tables("other"));
    }
    InputRanges r =
        new InputRanges(
            Map.of("a", "int64"), Map.of("a", List.of(new InputRanges.IdTable("t", "lookup", 5))));
    r.checkIds("a", new long[] {2}, new long[] {0, 4});
    assertEquals(
        "input \"a\" has id 5 at [1], outside the range [0, 5) of layer \"t\" (lookup)",
        assertThrows(
                IllegalArgumentException.class,
                () -> r.checkIds("a", new long[] {2}, new long[] {0, 5}))
            .getMessage());
    r.check("a", HostArray.ofLongs(Shape.of(2), new long[] {1, 2}));
  }
}

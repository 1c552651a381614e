package io.jkeras.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.backend.HostArray;
import io.jkeras.config.ConfigException;
import io.jkeras.models.Model;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * TextVectorization without Python: Keras 3.15.1's vocabulary and indices for a small adapted layer
 * (recorded from Python), its config written and read back, and the clear errors for what jkeras
 * cannot load (callables, ragged and sparse output) or what the layer cannot take.
 */
class TextVectorizationTest {

  /** A TextVectorization config as Keras 3.15.1 writes it, with the given changes. */
  private static Map<String, Object> config(Object... changes) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", "vectorize");
    c.put("trainable", true);
    c.put("max_tokens", null);
    c.put("standardize", "lower_and_strip_punctuation");
    c.put("split", "whitespace");
    c.put("ngrams", null);
    c.put("output_mode", "int");
    c.put("output_sequence_length", null);
    c.put("pad_to_max_tokens", false);
    c.put("sparse", false);
    c.put("ragged", false);
    c.put("vocabulary", List.of("a", "b"));
    c.put("idf_weights", null);
    c.put("encoding", "utf-8");
    c.put("vocabulary_size", 4);
    for (int i = 0; i < changes.length; i += 2) {
      c.put((String) changes[i], changes[i + 1]);
    }
    return c;
  }

  @Test
  void adaptsAndIndexesAsKeras() {
    // Python: TextVectorization(max_tokens=20, output_sequence_length=5).adapt([...]) gives
    // ['', '[UNK]', 'the', 'sat', 'b', 'a', 'über', 'Öl', 'Ärger', 'dog', 'cat', 'c'] (ties from
    // the highest UTF-8 bytes down; "Ö" and "Ä" keep their case), and these indices.
    TextVectorization layer =
        TextVectorization.builder().maxTokens(20).outputSequenceLength(5).build();
    layer.adapt(List.of("The cat sat.", "the DOG, sat!", "Ärger über Öl", "b a b a c"));
    assertEquals(
        List.of("", "[UNK]", "the", "sat", "b", "a", "über", "Öl", "Ärger", "dog", "cat", "c"),
        layer.vocabulary());
    assertEquals(12, layer.vocabularySize());
    KerasTensor in = Input.of("string", 1);
    try (Model m = new Model(in, layer.apply(in))) {
      FloatNdArray y =
          m.predict(
              HostArray.of(new String[][] {{"Hello, WORLD! the cat"}, {""}, {"ÄRGER über öl ÉÀ"}}));
      float[] got = new float[(int) y.size()];
      y.copyTo(DataBuffers.of(got, false, false));
      assertArrayEquals(new float[] {1, 1, 2, 10, 0, 0, 0, 0, 0, 0, 8, 6, 1, 1, 0}, got);
    }
  }

  @Test
  void configRoundTrips() {
    TextVectorization layer =
        TextVectorization.fromConfig(
            config(
                "ngrams",
                List.of(1, 3),
                "output_mode",
                "count",
                "max_tokens",
                10,
                "pad_to_max_tokens",
                true,
                "standardize",
                null,
                "split",
                "character",
                "vocabulary_size",
                3));
    Map<String, Object> written = layer.getConfig();
    Map<String, Object> expected = config();
    expected.putAll(
        Map.of(
            "ngrams",
            List.of(1, 3),
            "output_mode",
            "count",
            "max_tokens",
            10,
            "pad_to_max_tokens",
            true,
            "split",
            "character",
            "vocabulary_size",
            3));
    expected.put("standardize", null);
    written.remove("dtype");
    assertEquals(expected, written);
    assertEquals(List.of("[UNK]", "a", "b"), layer.vocabulary());
  }

  @Test
  void refusesWhatJkerasCannotLoad() {
    ConfigException callable =
        assertThrows(
            ConfigException.class,
            () ->
                TextVectorization.fromConfig(
                    config(
                        "standardize",
                        Map.of(
                            "module", "builtins",
                            "class_name", "function",
                            "config", "my_standardize",
                            "registered_name", "function"))));
    assertTrue(
        callable.getMessage().startsWith("TextVectorization: config.standardize: got the Python"),
        callable.getMessage());
    assertTrue(callable.getMessage().contains("\"my_standardize\""), callable.getMessage());
    ConfigException ragged =
        assertThrows(
            ConfigException.class, () -> TextVectorization.fromConfig(config("ragged", true)));
    assertTrue(ragged.getMessage().contains("config.ragged"), ragged.getMessage());
    assertTrue(ragged.getMessage().contains("no ragged tensors"), ragged.getMessage());
    ConfigException sparse =
        assertThrows(
            ConfigException.class, () -> TextVectorization.fromConfig(config("sparse", true)));
    assertTrue(sparse.getMessage().contains("config.sparse"), sparse.getMessage());
    ConfigException file =
        assertThrows(
            ConfigException.class,
            () -> TextVectorization.fromConfig(config("vocabulary", "/etc/vocab.txt")));
    assertTrue(file.getMessage().contains("config.vocabulary: a file path"), file.getMessage());
    ConfigException size =
        assertThrows(
            ConfigException.class,
            () -> TextVectorization.fromConfig(config("vocabulary_size", 7)));
    assertEquals(
        "TextVectorization: config.vocabulary_size: the file says 7, but the vocabulary gives 4",
        size.getMessage());
  }

  @Test
  void argumentErrorsNameTheArgument() {
    ConfigException maxTokens =
        assertThrows(
            ConfigException.class, () -> TextVectorization.fromConfig(config("max_tokens", 1)));
    assertEquals(
        "TextVectorization: config.max_tokens: max_tokens must be greater than 1 when set, got 1",
        maxTokens.getMessage());
    ConfigException length =
        assertThrows(
            ConfigException.class,
            () ->
                TextVectorization.fromConfig(
                    config("output_mode", "multi_hot", "output_sequence_length", 4)));
    assertTrue(
        length.getMessage().startsWith("TextVectorization: config.output_sequence_length: "),
        length.getMessage());
    IllegalArgumentException mode =
        assertThrows(
            IllegalArgumentException.class,
            () -> TextVectorization.builder().outputMode("one_hot").build());
    assertEquals(
        "TextVectorization: output_mode must be one of [int, multi_hot, count, tf_idf], got"
            + " \"one_hot\"",
        mode.getMessage());
    IllegalArgumentException split =
        assertThrows(
            IllegalArgumentException.class,
            () -> TextVectorization.builder().split("comma").build());
    assertTrue(split.getMessage().contains("split must be one of"), split.getMessage());
  }

  @Test
  void refusesInputsItCannotSplit() {
    TextVectorization layer =
        TextVectorization.builder().vocabulary(List.of("a")).name("vectorize").build();
    IllegalArgumentException wide =
        assertThrows(IllegalArgumentException.class, () -> layer.apply(Input.of("string", 3)));
    assertEquals(
        "Layer \"vectorize\" (TextVectorization) takes strings of shape (batch,) or (batch, 1),"
            + " got [-1, 3]",
        wide.getMessage());
    IllegalArgumentException numbers =
        assertThrows(IllegalArgumentException.class, () -> layer.apply(Input.of("int64", 1)));
    assertTrue(numbers.getMessage().contains("takes string inputs"), numbers.getMessage());
    TextVectorization whole =
        TextVectorization.builder()
            .split(null)
            .outputMode("multi_hot")
            .vocabulary(List.of("a"))
            .name("whole")
            .build();
    IllegalArgumentException batch =
        assertThrows(IllegalArgumentException.class, () -> whole.apply(Input.of("string")));
    assertTrue(
        batch.getMessage().contains("encode the whole batch as one sample"), batch.getMessage());
  }
}

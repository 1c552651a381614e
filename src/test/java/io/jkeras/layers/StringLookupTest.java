package io.jkeras.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.backend.ForwardPass;
import io.jkeras.backend.GraphSession;
import io.jkeras.backend.HostArray;
import io.jkeras.models.Model;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TString;

/**
 * StringLookup's behaviour that needs no Python: inverting, TF-IDF, adapt's order, vocabulary files
 * and assets, the config, and its errors. Expected values are worked out by hand from Keras's rules
 * (see each comment); the interop test compares the rest with Keras itself.
 */
class StringLookupTest {

  private static float[] predict(Layer layer, String[][] x) {
    KerasTensor in = Input.of("string", x[0].length);
    try (Model m = new Model(in, layer.apply(in))) {
      FloatNdArray y = m.predict(HostArray.of(x));
      float[] out = new float[(int) y.size()];
      y.copyTo(DataBuffers.of(out, false, false));
      return out;
    }
  }

  @Test
  void defaultLayoutPutsOovFirstAndMasksTheMaskToken() {
    // OOV at 0, tokens from 1; with a mask token "" (int output): mask 0, OOV 1, tokens from 2.
    StringLookup plain = new StringLookup(List.of("a", "b", "c"));
    assertEquals(List.of("[UNK]", "a", "b", "c"), plain.vocabulary());
    StringLookup masked =
        StringLookup.builder().vocabulary(List.of("a", "b")).maskToken("").build();
    assertEquals(List.of("", "[UNK]", "a", "b"), masked.vocabulary());
    assertEquals("int64", masked.apply(Input.of("string", 4)).dtype());
    // Special tokens given first are recognised and dropped, as Keras's set_vocabulary does.
    StringLookup given =
        StringLookup.builder().vocabulary(List.of("", "[UNK]", "x")).maskToken("").build();
    assertEquals(List.of("", "[UNK]", "x"), given.vocabulary());
    assertEquals(List.of("", "[UNK]", "x"), given.getConfig().get("vocabulary"));
  }

  @Test
  void oneHotMultiHotCountAndTfIdfFollowKerasLayout() {
    // Vocabulary [UNK], a, b. multi_hot of {a, a, z}: indices 1, 1, 0.
    String[][] x = {{"a", "a", "z"}, {"b", "b", "b"}};
    StringLookup multi =
        StringLookup.builder().vocabulary(List.of("a", "b")).outputMode("multi_hot").build();
    assertArrayEquals(new float[] {1, 1, 0, 0, 0, 1}, predict(multi, x), 0f);
    StringLookup count =
        StringLookup.builder().vocabulary(List.of("a", "b")).outputMode("count").build();
    assertArrayEquals(new float[] {1, 2, 0, 0, 0, 3}, predict(count, x), 0f);
    // TF-IDF: counts times idf; the OOV index gets the mean of the given weights (1.25).
    StringLookup tfIdf =
        StringLookup.builder()
            .vocabulary(List.of("a", "b"))
            .idfWeights(List.of(0.5, 2.0))
            .outputMode("tf_idf")
            .build();
    assertArrayEquals(new float[] {1.25f, 1.0f, 0, 0, 0, 6.0f}, predict(tfIdf, x), 1e-6f);
    // pad_to_max_tokens widens the output to max_tokens.
    StringLookup padded =
        StringLookup.builder()
            .vocabulary(List.of("a", "b"))
            .outputMode("count")
            .maxTokens(5)
            .padToMaxTokens(true)
            .build();
    assertArrayEquals(new float[] {1, 2, 0, 0, 0, 0, 0, 3, 0, 0}, predict(padded, x), 0f);
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> StringLookup.builder().vocabulary(List.of("a")).outputMode("tf_idf").build());
    assertTrue(e.getMessage().contains("idf_weights"), e.getMessage());
  }

  @Test
  void invertMapsIndicesBackToTokens() {
    StringLookup inverse =
        StringLookup.builder()
            .vocabulary(List.of("a", "b", "c"))
            .maskToken("")
            .invert(true)
            .build();
    // Index 0 is the mask, 1 the OOV index, 2.. the tokens; anything else is the OOV token.
    try (GraphSession g = GraphSession.create()) {
      ForwardPass pass = new ForwardPass(g, false);
      Operand<?> y = inverse.apply(pass, g.tf().constant(new long[] {0, 1, 2, 3, 4, 7, -1}));
      try (Result r = g.session().runner().fetch(y).run()) {
        TString s = (TString) r.get(0);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
          out.add(s.getObject(i));
        }
        assertEquals(List.of("", "[UNK]", "a", "b", "c", "[UNK]", "[UNK]"), out);
      }
    }
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> StringLookup.builder().invert(true).outputMode("one_hot").build());
    assertTrue(e.getMessage().contains("invert"), e.getMessage());
  }

  @Test
  void adaptOrdersByCountThenTokensHighToLow() {
    StringLookup lookup = StringLookup.builder().maskToken("").build();
    // b twice; é, z, c, a once each: é's UTF-8 bytes (c3 a9) sort above z. The mask "" is left out.
    lookup.adapt(new String[] {"b", "a", "b", "c", "é", "z", ""});
    assertEquals(List.of("", "[UNK]", "b", "é", "z", "c", "a"), lookup.vocabulary());
    assertNull(lookup.getConfig().get("vocabulary"));
    assertEquals(7, lookup.getConfig().get("vocabulary_size"));
    assertEquals(
        "\n[UNK]\nb\né\nz\nc\na",
        new String(lookup.saveAssets().get("vocabulary.txt"), StandardCharsets.UTF_8));
    StringLookup capped = StringLookup.builder().maxTokens(3).build();
    capped.adapt(new String[][] {{"x", "y", "y"}, {"w", "y", "x"}});
    assertEquals(List.of("[UNK]", "y", "x"), capped.vocabulary());
    var e =
        assertThrows(
            IllegalStateException.class,
            () -> new StringLookup(List.of("a")).adapt(new String[] {"b"}));
    assertTrue(e.getMessage().contains("cannot adapt"), e.getMessage());
  }

  @Test
  void vocabularyFilesAndAssetsRoundTrip(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("vocab.txt");
    Files.writeString(file, "x\ny\n", StandardCharsets.UTF_8);
    StringLookup fromFile = StringLookup.builder().vocabularyFile(file).build();
    assertEquals(List.of("[UNK]", "x", "y"), fromFile.vocabulary());
    Map<String, Object> config = fromFile.getConfig();
    assertNull(config.get("vocabulary"));
    byte[] asset = fromFile.saveAssets().get("vocabulary.txt");
    assertEquals("[UNK]\nx\ny", new String(asset, StandardCharsets.UTF_8));
    StringLookup loaded = StringLookup.fromConfig(new LinkedHashMap<>(config));
    var missing = assertThrows(IllegalArgumentException.class, () -> loaded.loadAssets(Map.of()));
    assertTrue(missing.getMessage().contains("vocabulary.txt"), missing.getMessage());
    loaded.loadAssets(Map.of("vocabulary.txt", asset));
    assertEquals(fromFile.vocabulary(), loaded.vocabulary());
    // A file whose size differs from the config's vocabulary_size is refused.
    StringLookup other = StringLookup.fromConfig(new LinkedHashMap<>(config));
    var size =
        assertThrows(
            IllegalArgumentException.class,
            () -> other.loadAssets(Map.of("vocabulary.txt", "[UNK]\nx".getBytes())));
    assertTrue(size.getMessage().contains("vocabulary_size 3"), size.getMessage());
    // Python's splitlines also breaks at U+2028: such a token cannot go into the file.
    StringLookup odd = StringLookup.builder().build();
    odd.adapt(new String[] {"a\u2028b"});
    var broken = assertThrows(IllegalStateException.class, odd::saveAssets);
    assertTrue(broken.getMessage().contains("line break"), broken.getMessage());
  }

  @Test
  void configRoundTripsWithKerasKeysAndRefusesPaths() {
    StringLookup lookup =
        StringLookup.builder()
            .vocabulary(List.of("a", "b"))
            .numOovIndices(2)
            .salt(3, 4)
            .oovToken("?")
            .name("s")
            .build();
    Map<String, Object> c = lookup.getConfig();
    assertEquals(
        List.of(
            "name",
            "trainable",
            "dtype",
            "invert",
            "max_tokens",
            "num_oov_indices",
            "oov_token",
            "mask_token",
            "output_mode",
            "sparse",
            "pad_to_max_tokens",
            "idf_weights",
            "vocabulary",
            "vocabulary_size",
            "oov_method",
            "salt",
            "encoding"),
        new ArrayList<>(c.keySet()));
    assertEquals(List.of(3L, 4L), c.get("salt"));
    assertEquals(c.toString(), StringLookup.fromConfig(c).getConfig().toString());
    Map<String, Object> path = new LinkedHashMap<>(c);
    path.put("vocabulary", "/etc/passwd");
    var e = assertThrows(IllegalArgumentException.class, () -> StringLookup.fromConfig(path));
    assertTrue(e.getMessage().contains("StringLookup: config.vocabulary"), e.getMessage());
  }

  @Test
  void badInputsFailClearly() {
    KerasTensor ints = Input.of("int64", 2);
    StringLookup lookup = new StringLookup(List.of("a"));
    var e =
        assertThrows(
            RuntimeException.class,
            () -> {
              try (Model m = new Model(ints, lookup.apply(ints))) {
                m.predict(HostArray.ofLongs(org.tensorflow.ndarray.Shape.of(1, 2), new long[2]));
              }
            });
    assertTrue(e.getMessage().contains("takes string inputs"), e.getMessage());
    StringLookup strict = StringLookup.builder().vocabulary(List.of("a")).numOovIndices(0).build();
    var run =
        assertThrows(RuntimeException.class, () -> predict(strict, new String[][] {{"a", "q"}}));
    assertTrue(run.getMessage().contains("num_oov_indices=0"), run.getMessage());
    var dup =
        assertThrows(IllegalArgumentException.class, () -> new StringLookup(List.of("a", "a")));
    assertTrue(dup.getMessage().contains("more than once"), dup.getMessage());
    var empty = assertThrows(IllegalArgumentException.class, () -> new StringLookup(List.of()));
    assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
  }
}

package io.jkeras.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The byte-level fast path must give exactly the tokens of {@link Imdb#tokenize(String)}. */
class WordTableTest {

  private static final String[] PIECES = {
    "<br />", "<BR />", "<bR />", "<br/>", "<br", "br />", "<", ">", "/", " ", "  ", "\n", "\t",
    "a", "B", "z", "Z", "0", "9", "'", "''", "-", "_", ".", ",", "!", "?", ";", ":", "\"", "(", "é",
    "É", "ß", "İ", "\u212A", "ı", "Σ", "日本", "😀", "\u00A0", "Movie", "isn't", "10/10",
  };

  private static List<String> fastTokens(WordTable table, String text) {
    int[] slots = table.tokenize(text.getBytes(StandardCharsets.UTF_8));
    List<String> words = new ArrayList<>();
    for (int slot : slots) {
      words.add(table.word(slot));
    }
    return words;
  }

  @Test
  void matchesTheStringTokenizerOnRandomText() {
    WordTable table = new WordTable();
    Random random = new Random(7);
    for (int round = 0; round < 20_000; round++) {
      StringBuilder sb = new StringBuilder();
      int pieces = random.nextInt(30);
      for (int p = 0; p < pieces; p++) {
        sb.append(PIECES[random.nextInt(PIECES.length)]);
      }
      String text = sb.toString();
      assertEquals(Imdb.tokenize(text), fastTokens(table, text), () -> "text: " + text);
    }
  }

  @Test
  void internsEachWordOnceAcrossGrowth() {
    WordTable table = new WordTable();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 200_000; i++) {
      sb.append('w').append(i).append(' ');
    }
    int[] slots = table.tokenize(sb.toString().getBytes(StandardCharsets.US_ASCII));
    assertEquals(200_000, table.size());
    int[] again = table.tokenize("w0 w199999 W77 new".getBytes(StandardCharsets.US_ASCII));
    assertEquals(slots[0], again[0]);
    assertEquals(slots[199_999], again[1]);
    assertEquals(slots[77], again[2]);
    assertEquals(200_000, again[3]);
    assertEquals("w77", table.word(again[2]));
  }
}

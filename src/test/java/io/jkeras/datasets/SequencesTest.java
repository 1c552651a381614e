package io.jkeras.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SequencesTest {

  @Test
  void padsAndTruncatesAtTheFront() {
    int[][] in = {{1, 5, 6}, {1, 2, 3, 4, 5}, {}, {7, 8, 9, 10}};
    int[][] out = Sequences.padSequences(in, 4);
    assertArrayEquals(new int[][] {{0, 1, 5, 6}, {2, 3, 4, 5}, {0, 0, 0, 0}, {7, 8, 9, 10}}, out);
    assertArrayEquals(new int[] {1, 5, 6}, in[0], "input is not modified");
    assertEquals(0, Sequences.padSequences(new int[0][], 3).length);
    assertArrayEquals(new int[][] {{5}}, Sequences.padSequences(new int[][] {{1, 5}}, 1));
  }

  @Test
  void rejectsBadArguments() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Sequences.padSequences(new int[][] {{1}}, 0));
    assertEquals("maxLen must be >= 1, got 0", e.getMessage());
    NullPointerException npe =
        assertThrows(
            NullPointerException.class, () -> Sequences.padSequences(new int[][] {{1}, null}, 2));
    assertTrue(npe.getMessage().contains("seqs[1]"));
  }
}

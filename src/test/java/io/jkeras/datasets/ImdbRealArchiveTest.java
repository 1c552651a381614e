package io.jkeras.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The loader on the shared labeled archive, {@code ../shared/datasets/aclImdb_v1_labeled.tar.gz}
 * relative to the project directory. Fails (does not skip) when the file is missing.
 */
class ImdbRealArchiveTest {

  static final Path ARCHIVE =
      Path.of(System.getProperty("user.dir"))
          .resolve("../shared/datasets/aclImdb_v1_labeled.tar.gz")
          .normalize();

  @Test
  void loadsAllFiftyThousandReviews() throws IOException {
    if (!Files.isRegularFile(ARCHIVE)) {
      fail(
          "the shared IMDB archive is missing: expected "
              + ARCHIVE
              + " (the labeled subset of"
              + " aclImdb_v1.tar.gz, see ../shared/datasets/README.md)");
    }
    int numWords = 20_000;
    int maxLen = 100;
    long start = System.nanoTime();
    ImdbData data = Imdb.load(ARCHIVE, numWords, maxLen);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "IMDB: loaded %d train + %d test reviews, vocabulary %d words, in %.2f s" + " (%d cores)%n",
        data.xTrain().length,
        data.xTest().length,
        data.wordIndex().size(),
        seconds,
        Runtime.getRuntime().availableProcessors());

    checkSplit("train", data.xTrain(), data.yTrain(), numWords, maxLen);
    checkSplit("test", data.xTest(), data.yTest(), numWords, maxLen);
    assertEquals(1, data.wordIndex().get("the"), "most frequent word");
    assertTrue(data.wordIndex().size() > numWords);
  }

  private static void checkSplit(String split, int[][] x, float[] y, int numWords, int maxLen) {
    assertEquals(25_000, x.length, split + " rows");
    assertEquals(25_000, y.length, split + " labels");
    int positives = 0;
    int padded = 0;
    for (int i = 0; i < x.length; i++) {
      int[] row = x[i];
      assertEquals(maxLen, row.length, split + " row " + i);
      // Sorted: 12,500 negatives then 12,500 positives.
      assertEquals(i < 12_500 ? 0f : 1f, y[i], split + " label " + i);
      positives += (int) y[i];
      int z = 0;
      while (z < maxLen && row[z] == 0) {
        z++;
      }
      if (z > 0) {
        padded++;
        assertTrue(z < maxLen, split + " row " + i + " is all padding");
        assertEquals(1, row[z], split + " row " + i + ": padding must be followed by the start id");
      }
      // After the first non-padding id (the start id, or a word id when truncated) only word
      // ids follow: no padding, no second start id.
      for (int k = z; k < maxLen; k++) {
        int min = k == z ? 1 : 2;
        if (row[k] < min || row[k] >= numWords) {
          fail(
              split
                  + " row "
                  + i
                  + " has id "
                  + row[k]
                  + " at position "
                  + k
                  + ", expected ["
                  + min
                  + ", "
                  + numWords
                  + ")");
        }
      }
    }
    assertEquals(12_500, positives, split + " positives");
    assertTrue(padded > 1_000 && padded < x.length, split + " padded rows: " + padded);
  }
}

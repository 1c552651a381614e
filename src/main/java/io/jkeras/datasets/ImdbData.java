package io.jkeras.datasets;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The IMDB sentiment dataset as loaded by {@link Imdb#load(java.nio.file.Path, int, int)}: padded
 * id sequences, 0/1 labels and the training vocabulary.
 *
 * <p>Ids: 0 is padding, 1 starts every review, 2 is an out-of-vocabulary word, and a word of rank
 * {@code r} in {@link #wordIndex()} has id {@code r + 3} when that is below {@link #numWords()}
 * (otherwise it becomes 2). Rows are {@link #maxLen()} long, padded and truncated at the front.
 *
 * <p>The arrays are shared, not copied: treat them as read-only (records compare arrays by
 * identity, so two loads are not {@code equals}).
 *
 * <pre>{@code
 * ImdbData data = Imdb.load(20_000, 100).shuffled(113);
 * int[][] x = data.xTrain();           // [25000][100]
 * float[] y = data.yTrain();           // 0 = negative, 1 = positive
 * int rank = data.wordIndex().get("good");
 * String text = data.decode(x[0]);     // "<start> this film ... <oov> ..."
 * }</pre>
 *
 * @param xTrain training sequences, {@code int[nTrain][maxLen]}
 * @param yTrain training labels, 1 for a positive review and 0 for a negative one
 * @param xTest test sequences, {@code int[nTest][maxLen]}
 * @param yTest test labels
 * @param wordIndex every word of the training reviews mapped to its frequency rank (1 = most
 *     frequent), iterating in rank order; unmodifiable
 * @param numWords ids at or above this value were replaced by {@link Imdb#OOV_ID}
 * @param maxLen the length of every row
 */
public record ImdbData(
    int[][] xTrain,
    float[] yTrain,
    int[][] xTest,
    float[] yTest,
    Map<String, Integer> wordIndex,
    int numWords,
    int maxLen) {

  /**
   * Returns a copy with the training rows and the test rows each permuted by a Fisher-Yates shuffle
   * driven by {@code new java.util.Random(seed)} (a fresh generator per split), labels moving with
   * their rows. The rows themselves are shared with this instance.
   *
   * @param seed the seed; the same seed gives the same order on every JVM (Keras uses 113, but its
   *     permutation is not reproduced)
   */
  public ImdbData shuffled(long seed) {
    int[][] xa = xTrain.clone();
    float[] ya = yTrain.clone();
    shuffle(xa, ya, new Random(seed));
    int[][] xb = xTest.clone();
    float[] yb = yTest.clone();
    shuffle(xb, yb, new Random(seed));
    return new ImdbData(xa, ya, xb, yb, wordIndex, numWords, maxLen);
  }

  /**
   * Encodes a new review like the loaded ones: same tokenizer, vocabulary, {@code numWords} and
   * front padding/truncation to {@code maxLen}.
   */
  public int[] encode(String review) {
    List<String> tokens = Imdb.tokenize(review);
    int[] seq = new int[tokens.size() + 1];
    seq[0] = Imdb.START_ID;
    for (int i = 0; i < tokens.size(); i++) {
      Integer rank = wordIndex.get(tokens.get(i));
      seq[i + 1] = Imdb.idOf(rank == null ? 0 : rank, numWords);
    }
    return Sequences.padPre(seq, maxLen);
  }

  /**
   * Turns ids back into words separated by spaces, for inspection: padding is dropped, 1 becomes
   * {@code <start>}, 2 becomes {@code <oov>}.
   */
  public String decode(int[] ids) {
    List<String> byRank = new ArrayList<>(wordIndex.size() + 1);
    byRank.add(null);
    byRank.addAll(wordIndex.keySet()); // iteration is in rank order
    StringBuilder sb = new StringBuilder();
    for (int id : ids) {
      String word;
      if (id == Imdb.PAD_ID) {
        continue;
      } else if (id == Imdb.START_ID) {
        word = "<start>";
      } else if (id == Imdb.OOV_ID || id - Imdb.INDEX_FROM >= byRank.size() || id < 0) {
        word = "<oov>";
      } else {
        word = byRank.get(id - Imdb.INDEX_FROM);
        if (word == null) {
          word = "<unused>";
        }
      }
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(word);
    }
    return sb.toString();
  }

  private static void shuffle(int[][] x, float[] y, Random random) {
    for (int i = x.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int[] row = x[i];
      x[i] = x[j];
      x[j] = row;
      float label = y[i];
      y[i] = y[j];
      y[j] = label;
    }
  }
}

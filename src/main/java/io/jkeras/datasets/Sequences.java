package io.jkeras.datasets;

import java.util.Objects;

/**
 * Utilities for integer token sequences.
 *
 * <p>{@link #padSequences(int[][], int)} follows the defaults of Keras {@code pad_sequences}:
 * padding and truncation both happen at the front ({@code padding='pre'}, {@code
 * truncating='pre'}), so each row keeps the <em>last</em> {@code maxLen} ids and short rows get
 * zeros in front.
 *
 * <pre>{@code
 * int[][] padded = Sequences.padSequences(new int[][] {{1, 5, 6}, {1, 2, 3, 4, 5}}, 4);
 * // padded == {{0, 1, 5, 6}, {2, 3, 4, 5}}
 * }</pre>
 */
public final class Sequences {

  private Sequences() {}

  /**
   * Pads and truncates every sequence at the front to exactly {@code maxLen} ids.
   *
   * @param seqs the sequences; the array and its rows are not modified
   * @param maxLen the length of every output row, at least 1
   * @return a new {@code int[seqs.length][maxLen]} array: rows shorter than {@code maxLen} are
   *     preceded by zeros, longer rows keep their last {@code maxLen} ids
   * @throws IllegalArgumentException if {@code maxLen < 1}
   * @throws NullPointerException if {@code seqs} or one of its rows is null
   */
  public static int[][] padSequences(int[][] seqs, int maxLen) {
    Objects.requireNonNull(seqs, "seqs");
    if (maxLen < 1) {
      throw new IllegalArgumentException("maxLen must be >= 1, got " + maxLen);
    }
    int[][] out = new int[seqs.length][];
    for (int i = 0; i < seqs.length; i++) {
      int[] seq = seqs[i];
      if (seq == null) {
        throw new NullPointerException("seqs[" + i + "] is null");
      }
      out[i] = padPre(seq, maxLen);
    }
    return out;
  }

  /** One row of {@link #padSequences(int[][], int)}. */
  static int[] padPre(int[] seq, int maxLen) {
    int[] row = new int[maxLen];
    if (seq.length >= maxLen) {
      System.arraycopy(seq, seq.length - maxLen, row, 0, maxLen);
    } else {
      System.arraycopy(seq, 0, row, maxLen - seq.length, seq.length);
    }
    return row;
  }
}

package io.jkeras.distribute;

import io.jkeras.layers.Dense;
import io.jkeras.layers.Embedding;
import io.jkeras.layers.Flatten;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.models.Model;
import io.jkeras.optimizers.Adagrad;
import java.util.Arrays;

/**
 * A click-like problem for parameter-server runs, split into two worker partitions of unequal size:
 * two ids per row from a table of {@link #TABLE_ROWS} rows, a label additive in the ids' hidden
 * scores. Ids below {@link #WORKER1_ONLY_IDS} occur in both partitions; ids from there to {@link
 * #UNUSED_IDS} only in partition 1 (its last {@link #WORKER1_ONLY_ROWS} rows); ids from {@link
 * #UNUSED_IDS} up never occur, so their table rows keep their initial values.
 */
public final class TinyTableProblem {

  /** Rows of the embedding table. */
  public static final int TABLE_ROWS = 64;

  /** The first id that only partition 1 looks up. */
  public static final int WORKER1_ONLY_IDS = 48;

  /** The first id no row looks up. */
  public static final int UNUSED_IDS = 56;

  /** Embedding width. */
  public static final int DIM = 4;

  /** Rows of partition 0 and of partition 1. */
  static final int[] PARTITION_ROWS = {96, 160};

  /** Rows at the end of partition 1 that look up the ids only it has. */
  static final int WORKER1_ONLY_ROWS = 32;

  /** Each worker's batch size. */
  public static final int BATCH = 16;

  /** The seed every task sets before building the model. */
  public static final long SEED = 11;

  private TinyTableProblem() {}

  /**
   * The rows of partition {@code p} (0 or 1): both partitions follow each other in one sequence.
   */
  private static int first(int p) {
    return p == 0 ? 0 : PARTITION_ROWS[0];
  }

  /** The ids of partition {@code p}, (rows, 2). */
  public static int[][] ids(int p) {
    int n = PARTITION_ROWS[p];
    int[][] ids = new int[n][2];
    for (int i = 0; i < n; i++) {
      int g = first(p) + i;
      boolean only1 = p == 1 && i >= n - WORKER1_ONLY_ROWS;
      ids[i][0] = only1 ? WORKER1_ONLY_IDS + g % (UNUSED_IDS - WORKER1_ONLY_IDS) : (g * 5) % 48;
      ids[i][1] = (g * 11 + 3) % 48;
    }
    return ids;
  }

  /** The labels of partition {@code p}: 1 when the two ids' scores add up above 0. */
  public static float[] labels(int p) {
    int[][] ids = ids(p);
    float[] y = new float[ids.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = score(ids[i][0]) + score(ids[i][1]) > 0 ? 1f : 0f;
    }
    return y;
  }

  /** The ids of both partitions, partition 0 first. */
  public static int[][] allIds() {
    int[][] a = ids(0);
    int[][] b = ids(1);
    int[][] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  /** The labels of both partitions, partition 0 first. */
  public static float[] allLabels() {
    float[] a = labels(0);
    float[] b = labels(1);
    float[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  private static double score(int id) {
    return ((id * 37) % 11) / 10.0 - 0.45;
  }

  /**
   * Embedding(TABLE_ROWS, DIM) of the two ids, flattened, then Dense(1, sigmoid); Adagrad(0.3) and
   * binary cross-entropy. Its initial weights come from {@link io.jkeras.GlobalSeed}: set it first.
   */
  public static Model model() {
    KerasTensor in = Input.of("int32", 2);
    KerasTensor e = new Embedding(TABLE_ROWS, DIM).apply(in);
    Model m = new Model(in, new Dense(1, "sigmoid").apply(new Flatten().apply(e)));
    m.compile(new Adagrad(0.3), "binary_crossentropy");
    return m;
  }
}

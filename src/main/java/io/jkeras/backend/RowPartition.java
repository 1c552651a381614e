package io.jkeras.backend;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.DynamicPartition;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TType;

/**
 * How a table of {@code rows} rows is split into {@code shards} contiguous row ranges, as
 * TensorFlow's {@code ShardedVariable} and its "div" lookups split it: every shard holds {@code
 * rows / shards} rows, and the first {@code rows % shards} shards one more. Row {@code id} lives in
 * shard {@link #shardOf(long)} at local row {@code id - offset(shard)}.
 *
 * <p>A {@link Distribution} returns one from {@link Distribution#rowPartition} for a lookup table
 * it stores in pieces (for example one per parameter server); the table's variable and its
 * optimizer slots are then one variable per shard.
 *
 * <pre>{@code
 * RowPartition p = RowPartition.of(10, 3); // shards of 4, 3 and 3 rows
 * p.shardOf(4);                            // 1
 * p.offset(1);                             // 4
 * }</pre>
 */
public final class RowPartition {

  private final long rows;
  private final int shards;
  private final long base;
  private final long longer;

  private RowPartition(long rows, int shards) {
    this.rows = rows;
    this.shards = shards;
    this.base = rows / shards;
    this.longer = rows % shards;
  }

  /**
   * {@code rows} rows in {@code shards} shards.
   *
   * <pre>{@code
   * RowPartition p = RowPartition.of(1_000_000, 2);
   * }</pre>
   *
   * @throws IllegalArgumentException unless {@code 1 <= shards <= rows}
   */
  public static RowPartition of(long rows, int shards) {
    if (shards < 1 || shards > rows) {
      throw new IllegalArgumentException(
          "RowPartition: the number of shards must be in [1, " + rows + "], got " + shards);
    }
    return new RowPartition(rows, shards);
  }

  /** The group name under which shard {@code shard} of a variable of {@code group} is placed. */
  public static String shardGroup(String group, int shard) {
    return group + "/part_" + shard;
  }

  /** The number of rows of the whole table. */
  public long rows() {
    return rows;
  }

  /** The number of shards. */
  public int shards() {
    return shards;
  }

  /** The number of rows of shard {@code shard}. */
  public long shardRows(int shard) {
    return base + (shard < longer ? 1 : 0);
  }

  /** The first row of shard {@code shard}. */
  public long offset(int shard) {
    return shard * base + Math.min(shard, longer);
  }

  /** The shape of shard {@code shard} of a table of shape {@code table}: its rows, same width. */
  public Shape shardShape(int shard, Shape table) {
    long[] dims = table.asArray();
    dims[0] = shardRows(shard);
    return Shape.of(dims);
  }

  /**
   * The shard holding row {@code id}.
   *
   * @throws IllegalArgumentException if {@code id} is not in {@code [0, rows)}
   */
  public int shardOf(long id) {
    if (id < 0 || id >= rows) {
      throw new IllegalArgumentException(
          "RowPartition: row " + id + " is not in [0, " + rows + ")");
    }
    long split = longer * (base + 1);
    return (int) (id < split ? id / (base + 1) : longer + (id - split) / base);
  }

  /**
   * The graph form of {@link #shardOf(long)} for every id of the 1-D {@code ids}, as int32 (the
   * partition index {@code DynamicPartition} takes). Ids must be in range; out-of-range ids give
   * indices outside {@code [0, shards)}, which {@code DynamicPartition} refuses.
   */
  public Operand<TInt32> shardIndices(Ops tf, Operand<TInt64> ids) {
    long split = longer * (base + 1);
    Operand<TInt64> first = tf.math.floorDiv(ids, tf.constant(base + 1));
    Operand<TInt64> rest =
        tf.math.add(
            tf.constant(longer),
            tf.math.floorDiv(tf.math.sub(ids, tf.constant(split)), tf.constant(base)));
    Operand<TInt64> shard = tf.select(tf.math.less(ids, tf.constant(split)), first, rest);
    return tf.dtypes.cast(shard, TInt32.class);
  }

  /**
   * Splits the 1-D {@code values} (or the rows of a matrix) by the shard of the matching entry of
   * {@code shardIndices}; the entries keep their order within each shard.
   */
  public <T extends TType> List<Operand<T>> split(
      Ops tf, Operand<T> values, Operand<TInt32> shardIndices) {
    DynamicPartition<T> parts = tf.dynamicPartition(values, shardIndices, (long) shards);
    return new ArrayList<>(parts.outputs());
  }

  /** {@code ids - offset(shard)}: global row ids of shard {@code shard} as its local rows. */
  public Operand<TInt64> local(Ops tf, Operand<TInt64> ids, int shard) {
    return tf.math.sub(ids, tf.constant(offset(shard)));
  }

  @Override
  public String toString() {
    return "RowPartition[rows=" + rows + ", shards=" + shards + "]";
  }
}

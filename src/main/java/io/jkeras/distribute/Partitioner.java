package io.jkeras.distribute;

import java.io.Serializable;
import org.tensorflow.ndarray.Shape;

/**
 * Decides into how many row shards a {@link ParameterServerStrategy} splits a lookup table (an
 * Embedding's table and its optimizer slots), as Keras's {@code variable_partitioner} argument
 * ({@code tf.distribute.experimental.partitioners.Partitioner}): shards hold contiguous row ranges
 * and are placed round-robin on the ps tasks. Other weights are never split. A partitioner is
 * serializable, so that a Spark job can send it to its training tasks.
 *
 * <pre>{@code
 * Partitioner p = new MinSizePartitioner(64L << 20, 2); // 64 MB or more per shard, at most 2
 * var strategy = ParameterServerStrategy.builder(config).variablePartitioner(p).build();
 * }</pre>
 */
@FunctionalInterface
public interface Partitioner extends Serializable {

  /**
   * The number of row shards (1 keeps the table whole) of a float32 table of {@code shape}; the
   * strategy caps it at the number of rows.
   *
   * <pre>{@code
   * int shards = new FixedShardsPartitioner(2).numShards(Shape.of(1_000_000, 8)); // 2
   * }</pre>
   */
  int numShards(Shape shape);
}

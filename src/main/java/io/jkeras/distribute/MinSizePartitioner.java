package io.jkeras.distribute;

import org.tensorflow.ndarray.Shape;

/**
 * Splits a table into as many row shards as keep each at least {@code minShardBytes}, and at most
 * {@code maxShards}: Keras's {@code tf.distribute.experimental.partitioners.MinSizePartitioner}
 * ({@code min_shard_bytes} default 256 KiB, {@code max_shards} default 1), with its rounding
 * ({@code ceil(tableBytes / minShardBytes)}, at least 1, at most the rows).
 *
 * <pre>{@code
 * var strategy =
 *     ParameterServerStrategy.builder(config)
 *         .variablePartitioner(new MinSizePartitioner(256 << 10, 2))
 *         .build();
 * }</pre>
 */
public final class MinSizePartitioner implements Partitioner {

  private static final long serialVersionUID = 1L;

  private final long minShardBytes;
  private final int maxShards;

  /**
   * A partitioner with shards of at least {@code minShardBytes} bytes and at most {@code maxShards}
   * of them.
   *
   * @throws IllegalArgumentException if either is below 1
   */
  public MinSizePartitioner(long minShardBytes, int maxShards) {
    if (minShardBytes < 1) {
      throw new IllegalArgumentException(
          "MinSizePartitioner: min_shard_bytes must be positive, got " + minShardBytes);
    }
    if (maxShards < 1) {
      throw new IllegalArgumentException(
          "MinSizePartitioner: max_shards must be positive, got " + maxShards);
    }
    this.minShardBytes = minShardBytes;
    this.maxShards = maxShards;
  }

  /**
   * The shard count for a float32 table of {@code shape}.
   *
   * <pre>{@code
   * new MinSizePartitioner(1 << 20, 4).numShards(Shape.of(100_000, 8)); // 3.2 MB: 4
   * }</pre>
   */
  @Override
  public int numShards(Shape shape) {
    long bytes = 4 * shape.size();
    long wanted = (bytes + minShardBytes - 1) / minShardBytes;
    return (int) Math.max(1, Math.min(Math.min(wanted, maxShards), shape.size(0)));
  }
}

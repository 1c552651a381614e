package io.jkeras.distribute;

import org.tensorflow.ndarray.Shape;

/**
 * Splits every table into {@code numShards} row shards (fewer when it has fewer rows), as Keras's
 * {@code tf.distribute.experimental.partitioners.FixedShardsPartitioner}.
 *
 * <pre>{@code
 * var strategy =
 *     ParameterServerStrategy.builder(config)
 *         .variablePartitioner(new FixedShardsPartitioner(2))
 *         .build();
 * }</pre>
 */
public final class FixedShardsPartitioner implements Partitioner {

  private static final long serialVersionUID = 1L;

  private final int numShards;

  /**
   * A partitioner into {@code numShards} shards.
   *
   * @throws IllegalArgumentException if {@code numShards} is below 1
   */
  public FixedShardsPartitioner(int numShards) {
    if (numShards < 1) {
      throw new IllegalArgumentException(
          "FixedShardsPartitioner: num_shards must be positive, got " + numShards);
    }
    this.numShards = numShards;
  }

  /**
   * {@code numShards}, at most the rows of {@code shape}.
   *
   * <pre>{@code
   * new FixedShardsPartitioner(2).numShards(Shape.of(10, 4)); // 2
   * }</pre>
   */
  @Override
  public int numShards(Shape shape) {
    return (int) Math.min(numShards, shape.size(0));
  }
}

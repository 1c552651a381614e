package io.jkeras.metrics;

import io.jkeras.config.ConfigReader;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The (weighted) mean over samples of the cosine similarity {@code sum(ŷ ŷ')} along {@code axis} of
 * the L2-normalized labels and predictions, as Keras's {@code CosineSimilarity} metric (default
 * name "cosine_similarity", axis -1). Higher is better; it is the negative of the loss {@link
 * io.jkeras.losses.CosineSimilarity}. As Keras, the config holds only {@code name} and {@code
 * dtype}: the axis is not saved.
 *
 * <pre>{@code
 * model.compile(new Adam(), Losses.get("mse"), new CosineSimilarity());
 * }</pre>
 */
public class CosineSimilarity extends Mean {

  private final io.jkeras.losses.CosineSimilarity negative;

  /** The metric named "cosine_similarity", along the last axis. */
  public CosineSimilarity() {
    this("cosine_similarity", -1);
  }

  /**
   * The metric logged as {@code name}, along {@code axis}.
   *
   * <pre>{@code Metric m = new CosineSimilarity("cos", 1);}</pre>
   *
   * @param name the name in logs
   * @param axis the axis of the vectors compared (negative counts from the end)
   */
  public CosineSimilarity(String name, int axis) {
    super(name);
    this.negative = new io.jkeras.losses.CosineSimilarity(axis);
  }

  /**
   * The metric from its Keras config, as Python Keras 3 writes it ({@code name}, {@code dtype}).
   *
   * <pre>{@code Metric m = CosineSimilarity.fromConfig(Map.of("name", "cosine_similarity"));}</pre>
   *
   * @param config the Keras config
   * @return the metric
   */
  public static CosineSimilarity fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("CosineSimilarity", config);
    CosineSimilarity metric =
        new CosineSimilarity(readBaseConfig(c, "cosine_similarity"), c.integer("axis", -1));
    c.rejectUnknownKeys();
    return metric;
  }

  @Override
  protected Operand<TFloat32> values(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    List<Operand<TFloat32>> aligned = BatchShapes.sameRank(tf, yTrue, yPred);
    return tf.math.neg(negative.perSample(tf, aligned.get(0), aligned.get(1)));
  }

  @Override
  public Map<String, Object> getConfig() {
    return baseConfig();
  }

  /** Higher is better: {@code "up"}. */
  @Override
  public String direction() {
    return "up";
  }
}

package io.jkeras.spark;

import io.jkeras.models.Model;
import java.io.Serializable;

/**
 * Builds and compiles the model of a distributed training run on Spark. {@link SparkTrainer} sends
 * it to every training task, which calls it inside its strategy's scope, so it must be
 * serializable: a lambda assigned to this type is, when everything it captures is. Every task calls
 * it after seeding {@link io.jkeras.GlobalSeed} with the run's seed, so a run repeats (the replicas
 * start from the chief's weights, which {@code fit} broadcasts).
 *
 * <pre>{@code
 * ModelFactory factory = () -> {
 *   KerasTensor in = Input.of(4);
 *   Model m = new Model(in, new Dense(1).apply(new Dense(8, "relu").apply(in)));
 *   m.compile(new SGD(0.05), "mse");
 *   return m;
 * };
 * }</pre>
 */
@FunctionalInterface
public interface ModelFactory extends Serializable {

  /**
   * A new compiled model.
   *
   * @return the model, built and compiled
   */
  Model build();
}

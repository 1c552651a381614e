package io.jkeras.initializers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/** An initializer that draws random values, from its own seed if it has one. */
abstract class RandomInitializer extends AbstractInitializer {

  private final Long seed;

  RandomInitializer(Long seed) {
    this.seed = seed;
  }

  /** The seed, or null when values come from the generator passed to {@code generate}. */
  public Long seed() {
    return seed;
  }

  /** A fresh generator from the seed, so every call gives the same values; else {@code given}. */
  RandomGenerator source(RandomGenerator given) {
    if (seed != null) {
      return new SplittableRandom(seed);
    }
    if (given == null) {
      throw new IllegalArgumentException(
          className() + " has no seed, so generate() needs a non-null RandomGenerator");
    }
    return given;
  }

  /** A config map that starts with the seed, as every Keras random initializer's does. */
  LinkedHashMap<String, Object> seedConfig() {
    LinkedHashMap<String, Object> config = new LinkedHashMap<>();
    config.put("seed", seed);
    return config;
  }

  @Override
  public abstract Map<String, Object> getConfig();
}

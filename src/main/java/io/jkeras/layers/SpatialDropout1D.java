package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Drops whole channels of a sequence during training, as Keras 3's {@code
 * keras.layers.SpatialDropout1D}: a {@link Dropout} whose keep mask has shape {@code (batch, 1,
 * channels)}, so each channel is kept or zeroed for every step at once (better than Dropout when
 * neighbouring steps are strongly correlated). Kept channels are scaled by {@code 1 / (1 - rate)};
 * outside training the layer is the identity.
 *
 * <p>Arguments: {@code rate} in [0, 1]; {@code seed} (null: from {@link io.jkeras.GlobalSeed}).
 * Shapes: {@code (batch, steps, channels)} in and out.
 *
 * <pre>{@code
 * KerasTensor y = new SpatialDropout1D(0.2).apply(embedded);
 * }</pre>
 */
public class SpatialDropout1D extends Dropout {

  /**
   * Drops whole channels of {@code (batch, steps, channels)} sequences at {@code rate} during
   * training, with no seed and an automatic name.
   *
   * @throws IllegalArgumentException if {@code rate} is not in {@code [0, 1]}
   */
  public SpatialDropout1D(double rate) {
    this(rate, null, null);
  }

  /**
   * Drops whole channels of {@code (batch, steps, channels)} sequences at {@code rate} during
   * training (one draw per sample and channel, shared by all steps).
   *
   * @param seed makes the masks repeatable; null draws from the source {@link io.jkeras.GlobalSeed}
   *     seeds
   * @param name the layer name, or null for an automatic one
   * @throws IllegalArgumentException if {@code rate} is not in {@code [0, 1]}
   */
  public SpatialDropout1D(double rate, Long seed, String name) {
    super(Dropout.builder(rate).noiseShape(null, 1L, null).seed(seed).name(name));
    setInputSpec(InputSpec.rank(3));
  }

  /** A SpatialDropout1D layer from its Keras config: {@code rate}, {@code seed}. */
  public static SpatialDropout1D fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("SpatialDropout1D", config);
    if (!c.has("rate")) {
      throw c.fail("rate", "missing (expected a number)");
    }
    String name = c.name();
    double rate = c.number("rate", 0);
    return c.finish(new SpatialDropout1D(rate, c.optionalLong("seed"), name));
  }

  /** Keras writes just these keys, with the dtype as a plain string. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("rate", rate());
    config.put("seed", seed());
    config.put("name", name());
    config.put("dtype", dtype());
    return config;
  }
}

package io.jkeras.layers;

import io.jkeras.config.ConfigReader;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Drops whole feature volumes during training, as Keras 3's {@code keras.layers.SpatialDropout3D}:
 * a {@link Dropout} whose keep mask has one entry per sample and channel ({@code (batch, 1, 1, 1,
 * channels)} for channels_last), so a channel is kept or zeroed at every voxel at once. Kept
 * channels are scaled by {@code 1 / (1 - rate)}; outside training the layer is the identity.
 *
 * <p>Arguments: {@code rate} in [0, 1]; {@code dataFormat} ({@code "channels_last"} or {@code
 * "channels_first"}); {@code seed} (null: from {@link io.jkeras.GlobalSeed}). Shapes: rank-5
 * volumes in and out.
 *
 * <pre>{@code
 * KerasTensor y = new SpatialDropout3D(0.1).apply(featureVolumes);
 * }</pre>
 */
public class SpatialDropout3D extends Dropout {

  private final String dataFormat;

  /**
   * Drops whole channels of channels-last volumes at {@code rate} during training, with no seed and
   * an automatic name.
   *
   * @throws IllegalArgumentException if {@code rate} is not in {@code [0, 1]}
   */
  public SpatialDropout3D(double rate) {
    this(rate, null, null, null);
  }

  /**
   * Drops whole channels of volumes at {@code rate} during training (one draw per sample and
   * channel).
   *
   * @param dataFormat {@code "channels_last"} or {@code "channels_first"} (null: channels last)
   * @param seed makes the masks repeatable; null draws from the source {@link io.jkeras.GlobalSeed}
   *     seeds
   * @param name the layer name, or null for an automatic one
   * @throws IllegalArgumentException if {@code rate} is not in {@code [0, 1]} or the data format is
   *     unknown
   */
  public SpatialDropout3D(double rate, String dataFormat, Long seed, String name) {
    super(
        Dropout.builder(rate)
            .noiseShape(
                "channels_first".equals(SpatialArguments.dataFormat("SpatialDropout3D", dataFormat))
                    ? new Long[] {null, null, 1L, 1L, 1L}
                    : new Long[] {null, 1L, 1L, 1L, null})
            .seed(seed)
            .name(name));
    this.dataFormat = SpatialArguments.dataFormat("SpatialDropout3D", dataFormat);
    setInputSpec(InputSpec.rank(5));
  }

  /**
   * A SpatialDropout3D layer from its Keras config: {@code rate}, {@code seed}, {@code
   * data_format}.
   */
  public static SpatialDropout3D fromConfig(Map<String, Object> config) {
    ConfigReader c = ConfigReader.of("SpatialDropout3D", config);
    if (!c.has("rate")) {
      throw c.fail("rate", "missing (expected a number)");
    }
    String name = c.name();
    double rate = c.number("rate", 0);
    Long seed = c.optionalLong("seed");
    return c.finish(new SpatialDropout3D(rate, c.string("data_format", null), seed, name));
  }

  /**
   * {@code "channels_last"} or {@code "channels_first"}: which axis holds the channels that are
   * dropped.
   */
  public String dataFormat() {
    return dataFormat;
  }

  /** Keras writes just these keys, with the dtype as a plain string. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("rate", rate());
    config.put("seed", seed());
    config.put("name", name());
    config.put("dtype", dtype());
    config.put("data_format", dataFormat);
    return config;
  }
}

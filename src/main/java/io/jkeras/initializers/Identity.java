package io.jkeras.initializers;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Fills a 2-D weight with {@code gain} times the identity matrix (ones on the main diagonal, also
 * when the matrix is not square), as Keras's {@code Identity} ({@code "identity"}).
 *
 * <p>Keras 3's {@code Identity.get_config()} returns an empty map, so the gain is not part of the
 * config: an {@code Identity(2.0)} saved by Keras loads back with gain 1. {@link #getConfig()} does
 * the same for compatibility; {@link Initializers#fromConfig} still accepts a {@code "gain"} key.
 *
 * <pre>{@code float[] kernel = new Identity().generate(new long[] {4, 4}, null);}</pre>
 */
public final class Identity extends AbstractInitializer {

  private final double gain;

  /** Keras's default, {@code gain=1.0}. */
  public Identity() {
    this(1.0);
  }

  /**
   * @param gain the value on the diagonal; must be finite
   */
  public Identity(double gain) {
    this.gain = Checks.finite("Identity", "gain", gain);
  }

  /** The value on the diagonal. */
  public double gain() {
    return gain;
  }

  /**
   * @throws IllegalArgumentException if {@code shape} is not 2-D
   */
  @Override
  public float[] generate(long[] shape, RandomGenerator random) {
    if (shape == null || shape.length != 2) {
      throw new IllegalArgumentException(
          "Identity can only initialize 2-D weights, but the shape was "
              + Arrays.toString(shape)
              + (shape == null ? "" : " (rank " + shape.length + ")"));
    }
    float[] out = new float[Checks.size(shape)];
    int rows = (int) shape[0];
    int cols = (int) shape[1];
    for (int i = 0, n = Math.min(rows, cols); i < n; i++) {
      out[i * cols + i] = (float) gain;
    }
    return out;
  }

  @Override
  public String className() {
    return "Identity";
  }

  /** Empty, as Keras 3's (see the class comment). */
  @Override
  public Map<String, Object> getConfig() {
    return new LinkedHashMap<>();
  }

  @Override
  Map<String, Object> state() {
    return Map.of("gain", gain);
  }
}

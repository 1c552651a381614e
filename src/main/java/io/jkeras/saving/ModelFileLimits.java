package io.jkeras.saving;

/**
 * How much a model file may make jkeras read and allocate, so that memory is bounded by
 * configuration rather than by what a file claims. Each limit is a system property read at every
 * load, in bytes:
 *
 * <ul>
 *   <li>{@value #MAX_CONFIG_BYTES_PROPERTY} (default 64 MiB): the largest {@code config.json} or
 *       {@code metadata.json} of a {@code .keras} file, counted in bytes actually inflated, not in
 *       what the archive's header says. Real configs are kilobytes; more is padding or an attack.
 *   <li>{@value #MAX_WEIGHT_BYTES_PROPERTY} (default 4 GiB): the largest total size of a loaded
 *       model's weights (float32), checked layer by layer before each weight is allocated, together
 *       with each weight's shape against the arrays the file declares; the optimizer variables a
 *       file holds count, before each is read, against the same limit, apart. A {@code .keras}
 *       file's {@code model.weights.h5} is read only up to four times this limit plus the config
 *       limit.
 * </ul>
 *
 * <p>A file over a limit fails with a {@link KerasFileException} naming the file, the member or
 * layer and weight, the size and the property to raise.
 *
 * <pre>{@code
 * System.setProperty(ModelFileLimits.MAX_WEIGHT_BYTES_PROPERTY, String.valueOf(16L << 30));
 * Model big = KerasModelFile.load(Path.of("ctr.keras")); // up to 16 GiB of weights
 * }</pre>
 */
public final class ModelFileLimits {

  /** System property: the largest {@code config.json}/{@code metadata.json}, in bytes. */
  public static final String MAX_CONFIG_BYTES_PROPERTY = "jkeras.load.max_config_bytes";

  /** System property: the largest total of a loaded model's weights, in bytes. */
  public static final String MAX_WEIGHT_BYTES_PROPERTY = "jkeras.load.max_weight_bytes";

  /** {@value #MAX_CONFIG_BYTES_PROPERTY} when unset: 64 MiB. */
  public static final long DEFAULT_MAX_CONFIG_BYTES = 64L << 20;

  /** {@value #MAX_WEIGHT_BYTES_PROPERTY} when unset: 4 GiB. */
  public static final long DEFAULT_MAX_WEIGHT_BYTES = 4L << 30;

  private ModelFileLimits() {}

  /**
   * The configured config size limit.
   *
   * <pre>{@code
   * long cap = ModelFileLimits.maxConfigBytes(); // 67108864 unless configured
   * }</pre>
   *
   * @throws KerasFileException when the property is not a positive whole number
   */
  public static long maxConfigBytes() {
    return read(MAX_CONFIG_BYTES_PROPERTY, DEFAULT_MAX_CONFIG_BYTES);
  }

  /**
   * The configured weight size limit.
   *
   * <pre>{@code
   * long cap = ModelFileLimits.maxWeightBytes(); // 4294967296 unless configured
   * }</pre>
   *
   * @throws KerasFileException when the property is not a positive whole number
   */
  public static long maxWeightBytes() {
    return read(MAX_WEIGHT_BYTES_PROPERTY, DEFAULT_MAX_WEIGHT_BYTES);
  }

  private static long read(String property, long fallback) {
    String v = System.getProperty(property);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      long n = Long.parseLong(v.strip());
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new KerasFileException(
        "-D" + property + "=" + v + ": expected a positive number of bytes");
  }
}

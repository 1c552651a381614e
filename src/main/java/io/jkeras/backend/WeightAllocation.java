package io.jkeras.backend;

import java.util.function.Supplier;

/**
 * A check every layer runs before it allocates the initial values of a weight, for as long as a
 * model is being built under {@link #checkedBy}. Loading a model file builds its layers from the
 * file's config; the loader installs a check that compares each weight's shape with the arrays the
 * file declares, so that a config asking for a 20-million-row table is refused before 4 GB are
 * allocated, not after. Models built in Java outside such a call are not checked: they get the
 * weights they ask for.
 *
 * <pre>{@code
 * Model model =
 *     WeightAllocation.checkedBy(
 *         (layer, weight, shape) -> {
 *           if (shape.length > 0 && shape[0] > 1_000_000) {
 *             throw new IllegalArgumentException(layer + "/" + weight + " is too large");
 *           }
 *         },
 *         () -> ModelConfigReader.read(config, "model.keras: config.json", true));
 * }</pre>
 */
public final class WeightAllocation {

  /** Decides whether a layer may allocate a weight; throws to refuse it. */
  @FunctionalInterface
  public interface Check {
    /**
     * Called before layer {@code layer} allocates weight {@code weight} of {@code shape}.
     *
     * @param layer the layer's name
     * @param weight the weight's name within the layer ({@code kernel}, {@code embeddings})
     * @param shape the weight's dimensions, every one known
     * @throws RuntimeException to refuse the weight (the layer is then not built)
     */
    void beforeAllocating(String layer, String weight, long[] shape);
  }

  private static final ThreadLocal<Check> ACTIVE = new ThreadLocal<>();

  private WeightAllocation() {}

  /**
   * Runs {@code build} on this thread with {@code check} consulted before every weight allocation
   * (replacing any check already installed until {@code build} returns).
   *
   * <pre>{@code
   * Model m = WeightAllocation.checkedBy(check, () -> buildModel());
   * }</pre>
   *
   * @return what {@code build} returns
   */
  public static <T> T checkedBy(Check check, Supplier<T> build) {
    Check outer = ACTIVE.get();
    ACTIVE.set(check);
    try {
      return build.get();
    } finally {
      if (outer == null) {
        ACTIVE.remove();
      } else {
        ACTIVE.set(outer);
      }
    }
  }

  /**
   * Runs the installed check, if any, for weight {@code weight} of layer {@code layer}: what {@link
   * io.jkeras.layers.Layer} calls before generating a weight's initial values.
   *
   * <pre>{@code
   * WeightAllocation.beforeAllocating("embedding", "embeddings", new long[] {1000, 16});
   * }</pre>
   */
  public static void beforeAllocating(String layer, String weight, long[] shape) {
    Check check = ACTIVE.get();
    if (check != null) {
      check.beforeAllocating(layer, weight, shape);
    }
  }
}

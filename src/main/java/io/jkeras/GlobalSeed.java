package io.jkeras;

import java.util.SplittableRandom;

/**
 * The process-wide seed of jkeras, as Keras's {@code keras.utils.set_random_seed}: after {@link
 * #set}, weight initializers, dropout masks and the shuffling of {@code fit} repeat from run to
 * run. Without it they differ each run.
 *
 * <pre>{@code
 * GlobalSeed.set(1337);
 * }</pre>
 */
public final class GlobalSeed {

  private static SplittableRandom random = new SplittableRandom();

  private GlobalSeed() {}

  /**
   * Seeds every later random draw of jkeras (initializers, dropout, shuffling), as Keras's {@code
   * keras.utils.set_random_seed(seed)}.
   *
   * @param seed any value; the same seed gives the same draws in the same order
   */
  public static synchronized void set(long seed) {
    random = new SplittableRandom(seed);
  }

  /** An independent random source derived from the global one. */
  public static synchronized SplittableRandom split() {
    return random.split();
  }

  /** A seed for a TensorFlow random op (never 0, which TensorFlow reads as "unseeded"). */
  public static synchronized long nextOpSeed() {
    long s;
    do {
      s = random.nextLong() & Long.MAX_VALUE;
    } while (s == 0);
    return s;
  }
}

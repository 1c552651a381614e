package io.jkeras.initializers;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/** Fills float arrays from a random source; arithmetic is done in double, stored as float32. */
final class Sampling {

  /** Keras/TF truncate the normal at two standard deviations from the mean. */
  static final double TRUNCATION = 2.0;

  private Sampling() {}

  /**
   * Uniform on [minval, maxval), kept half-open after the rounding to float; minval everywhere when
   * the bounds are equal.
   */
  static void uniform(float[] out, RandomGenerator random, double minval, double maxval) {
    if (maxval == minval) {
      Arrays.fill(out, (float) minval);
      return;
    }
    double range = maxval - minval;
    float top = (float) maxval;
    for (int i = 0; i < out.length; i++) {
      float v = (float) (minval + range * random.nextDouble());
      out[i] = v < top ? v : Math.nextDown(top);
    }
  }

  static void normal(float[] out, RandomGenerator random, double mean, double stddev) {
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (mean + stddev * random.nextGaussian());
    }
  }

  /** Normal with draws farther than two stddev from the mean rejected and drawn again. */
  static void truncatedNormal(float[] out, RandomGenerator random, double mean, double stddev) {
    for (int i = 0; i < out.length; i++) {
      double z;
      do {
        z = random.nextGaussian();
      } while (Math.abs(z) > TRUNCATION);
      out[i] = (float) (mean + stddev * z);
    }
  }
}

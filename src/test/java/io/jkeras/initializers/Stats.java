package io.jkeras.initializers;

/** Summary statistics of a sample, computed in double. */
record Stats(int n, double mean, double variance, double min, double max, int negatives) {

  static Stats of(float[] values) {
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    int negatives = 0;
    for (float v : values) {
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
      if (v < 0) {
        negatives++;
      }
    }
    double mean = sum / values.length;
    double ss = 0;
    for (float v : values) {
      ss += (v - mean) * (v - mean);
    }
    return new Stats(values.length, mean, ss / (values.length - 1), min, max, negatives);
  }

  /**
   * Variance of a standard normal truncated to [-2, 2], by Simpson integration of z^2 phi(z) and
   * phi(z) over [-2, 2]; independent of the constant the code uses.
   */
  static double truncatedStandardNormalVariance() {
    int steps = 20_000;
    double h = 4.0 / steps;
    double mass = 0;
    double second = 0;
    for (int i = 0; i <= steps; i++) {
      double z = -2 + i * h;
      double w = (i == 0 || i == steps) ? 1 : (i % 2 == 1 ? 4 : 2);
      double phi = Math.exp(-z * z / 2);
      mass += w * phi;
      second += w * z * z * phi;
    }
    return second / mass;
  }
}

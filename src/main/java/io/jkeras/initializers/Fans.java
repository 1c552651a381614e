package io.jkeras.initializers;

import java.util.Arrays;
import java.util.List;

/**
 * The numbers of input and output units of a weight, by Keras's rules. Doubles, so that the
 * products of large dimensions cannot overflow.
 */
record Fans(double in, double out) {

  /**
   * Rank 0: (1, 1). Rank 1: (d0, d0). Rank 2: (d0, d1). Higher ranks are convolution kernels {@code
   * (*spatial, in_channels, out_channels)}: both fans are multiplied by the receptive field size,
   * the product of the spatial dims. When both axis lists are given they override all this: each
   * fan is the product of the dims on its axes (negative axes count from the end).
   */
  static Fans of(long[] shape, List<Integer> inputAxes, List<Integer> outputAxes) {
    if (inputAxes != null && outputAxes != null) {
      return new Fans(
          product(shape, inputAxes, "input_axes"), product(shape, outputAxes, "output_axes"));
    }
    int rank = shape.length;
    if (rank == 0) {
      return new Fans(1, 1);
    }
    if (rank == 1) {
      return new Fans(shape[0], shape[0]);
    }
    double receptiveField = 1;
    for (int i = 0; i < rank - 2; i++) {
      receptiveField *= shape[i];
    }
    return new Fans(shape[rank - 2] * receptiveField, shape[rank - 1] * receptiveField);
  }

  private static double product(long[] shape, List<Integer> axes, String name) {
    double p = 1;
    for (int axis : axes) {
      int a = axis < 0 ? axis + shape.length : axis;
      if (a < 0 || a >= shape.length) {
        throw new IllegalArgumentException(
            name
                + " "
                + axes
                + " has axis "
                + axis
                + ", out of range for shape "
                + Arrays.toString(shape)
                + " of rank "
                + shape.length);
      }
      p *= shape[a];
    }
    return p;
  }
}

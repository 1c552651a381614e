package io.jkeras.initializers;

import java.util.Arrays;
import java.util.Collection;

/** Argument checks whose messages name the owner, the argument, what was expected and what came. */
final class Checks {

  private Checks() {}

  static IllegalArgumentException bad(String owner, String arg, String expected, Object actual) {
    return new IllegalArgumentException(
        owner + ": argument '" + arg + "' must be " + expected + ", but was " + show(actual));
  }

  static double finite(String owner, String arg, double value) {
    if (!Double.isFinite(value)) {
      throw bad(owner, arg, "a finite number", value);
    }
    return value;
  }

  static double positive(String owner, String arg, double value) {
    if (!(value > 0) || !Double.isFinite(value)) {
      throw bad(owner, arg, "a finite number > 0", value);
    }
    return value;
  }

  static double nonNegative(String owner, String arg, double value) {
    if (!(value >= 0) || !Double.isFinite(value)) {
      throw bad(owner, arg, "a finite number >= 0", value);
    }
    return value;
  }

  static String oneOf(String owner, String arg, String value, Collection<String> allowed) {
    if (value == null || !allowed.contains(value)) {
      throw bad(owner, arg, "one of " + allowed, value);
    }
    return value;
  }

  /** Checks that {@code shape} is given and has no negative dimension. */
  static void dimensions(long[] shape) {
    if (shape == null) {
      throw new IllegalArgumentException("shape must not be null");
    }
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException(
            "shape must have non-negative dimensions, but was " + Arrays.toString(shape));
      }
    }
  }

  /** Number of elements of {@code shape}, which must fit in one Java array. */
  static int size(long[] shape) {
    dimensions(shape);
    long n = 1;
    for (long d : shape) {
      if (d == 0) {
        return 0;
      }
      // Stay below the largest array the JVM will allocate.
      if (n > (Integer.MAX_VALUE - 8) / d) {
        throw new IllegalArgumentException(
            "shape " + Arrays.toString(shape) + " has more elements than a Java array can hold");
      }
      n *= d;
    }
    return (int) n;
  }

  static String show(Object value) {
    return value instanceof String ? "'" + value + "'" : String.valueOf(value);
  }
}

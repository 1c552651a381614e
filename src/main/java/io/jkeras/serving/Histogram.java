package io.jkeras.serving;

import java.util.Locale;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus histogram: cumulative bucket counts, a sum and a count, updated without locks.
 *
 * <pre>{@code
 * Histogram h = new Histogram(0.001, 0.01, 0.1, 1);
 * h.observe(0.004);
 * StringBuilder sb = new StringBuilder();
 * h.appendTo(sb, "latency_seconds", "api=\"predict\"");
 * }</pre>
 */
final class Histogram {

  private final double[] bounds;
  private final LongAdder[] buckets;
  private final LongAdder count = new LongAdder();
  private final DoubleAdder sum = new DoubleAdder();

  Histogram(double... upperBounds) {
    this.bounds = upperBounds.clone();
    this.buckets = new LongAdder[bounds.length];
    for (int i = 0; i < bounds.length; i++) {
      buckets[i] = new LongAdder();
    }
  }

  void observe(double value) {
    for (int i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]) {
        buckets[i].increment();
        break;
      }
    }
    count.increment();
    sum.add(value);
  }

  long count() {
    return count.sum();
  }

  /** Appends the {@code _bucket}, {@code _sum} and {@code _count} samples. */
  void appendTo(StringBuilder sb, String name, String labels) {
    String sep = labels.isEmpty() ? "" : labels + ",";
    long cumulative = 0;
    for (int i = 0; i < bounds.length; i++) {
      cumulative += buckets[i].sum();
      sb.append(name)
          .append("_bucket{")
          .append(sep)
          .append("le=\"")
          .append(format(bounds[i]))
          .append("\"} ")
          .append(cumulative)
          .append('\n');
    }
    long c = count.sum();
    sb.append(name).append("_bucket{").append(sep).append("le=\"+Inf\"} ").append(c).append('\n');
    String braces = labels.isEmpty() ? "" : "{" + labels + "}";
    sb.append(name)
        .append("_sum")
        .append(braces)
        .append(' ')
        .append(format(sum.sum()))
        .append('\n');
    sb.append(name).append("_count").append(braces).append(' ').append(c).append('\n');
  }

  static String format(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%s", v);
  }
}

package io.jkeras.backend;

/**
 * Makes a {@link Distribution} current on this thread until closed, restoring the previous one (as
 * Keras's {@code with strategy.scope():} blocks nest).
 *
 * <pre>{@code
 * try (DistributionScope s = DistributionScope.enter(strategy)) {
 *   model = new Model(in, out);
 * }
 * }</pre>
 */
public final class DistributionScope implements AutoCloseable {

  private static final ThreadLocal<Distribution> CURRENT =
      ThreadLocal.withInitial(() -> Distribution.LOCAL);

  private final Distribution previous;
  private boolean closed;

  private DistributionScope(Distribution previous) {
    this.previous = previous;
  }

  /** Makes {@code distribution} current on this thread. */
  public static DistributionScope enter(Distribution distribution) {
    DistributionScope scope = new DistributionScope(CURRENT.get());
    CURRENT.set(distribution);
    return scope;
  }

  static Distribution current() {
    return CURRENT.get();
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      CURRENT.set(previous);
    }
  }
}

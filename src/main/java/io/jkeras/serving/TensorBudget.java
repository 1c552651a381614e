package io.jkeras.serving;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The decoded input bytes that all requests in flight may hold together ({@code
 * --max_inflight_tensor_bytes}), so that many large requests at once cannot exhaust the heap: each
 * request claims bytes as its body is decoded and gives them back when it has been answered.
 *
 * <pre>{@code
 * try (TensorBudget.Claim claim = budget.claim()) {
 *   claim.grow(1 << 20); // false when the budget is used up
 * }
 * }</pre>
 */
final class TensorBudget {

  /** Bytes claimed at a time, so that the shared counter is touched once per MiB. */
  static final long STEP = 1 << 20;

  private final long total;
  private final AtomicLong free;

  TensorBudget(long total) {
    this.total = total;
    this.free = new AtomicLong(total);
  }

  long total() {
    return total;
  }

  /** A budget with no limit. */
  static TensorBudget unlimited() {
    return new TensorBudget(Long.MAX_VALUE);
  }

  Claim claim() {
    return new Claim();
  }

  /** One request's share; closing it gives the bytes back. */
  final class Claim implements AutoCloseable {
    private long held;

    /** Makes sure at least {@code bytes} are held; false when the budget cannot give them. */
    boolean grow(long bytes) {
      while (held < bytes) {
        long want = Math.max(STEP, bytes - held);
        if (free.addAndGet(-want) < 0) {
          free.addAndGet(want);
          return false;
        }
        held += want;
      }
      return true;
    }

    @Override
    public void close() {
      free.addAndGet(held);
      held = 0;
    }
  }
}

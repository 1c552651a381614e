package io.jkeras.training;

import io.jkeras.backend.HostArray;
import org.tensorflow.Tensor;

/**
 * The samples of one step: rows {@code order[from..to)} of {@code data}, or rows {@code [from, to)}
 * when {@code order} is null.
 */
record BatchSlice(BatchData data, int[] order, int from, int to) {

  int size() {
    return to - from;
  }

  /** This step's rows of {@code array} (one of {@code data}'s) as a tensor of {@code dtype}. */
  Tensor rows(HostArray array, String dtype) {
    return order == null ? array.rows(from, to, dtype) : array.gather(order, from, to, dtype);
  }
}

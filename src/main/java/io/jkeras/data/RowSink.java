package io.jkeras.data;

/**
 * Receives click rows one at a time from a reader's scan: the field ids in the shared id space, the
 * numeric columns and the 0/1 label. The arrays are reused between calls; copy what is kept.
 */
interface RowSink {

  /** One parsed, checked row. */
  void row(int[] ids, float[] numeric, float label);
}

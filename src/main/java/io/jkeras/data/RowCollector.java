package io.jkeras.data;

import java.util.Arrays;

/** A {@link RowSink} that keeps every row, growing its arrays, for the in-memory readers. */
final class RowCollector implements RowSink {

  private int fields = -1;
  private int numericColumns;
  private int[] ids = new int[1 << 14];
  private float[] numeric = new float[1 << 12];
  private float[] labels = new float[1 << 12];
  private int rows;

  @Override
  public void row(int[] rowIds, float[] rowNumeric, float label) {
    if (fields < 0) {
      fields = rowIds.length;
      numericColumns = rowNumeric.length;
    }
    if (rows == labels.length) {
      labels = Arrays.copyOf(labels, grown(labels.length, rows + 1, 1));
    }
    if ((long) (rows + 1) * fields > ids.length) {
      ids = Arrays.copyOf(ids, grown(ids.length, rows + 1, fields));
    }
    if ((long) (rows + 1) * numericColumns > numeric.length) {
      numeric = Arrays.copyOf(numeric, grown(numeric.length, rows + 1, numericColumns));
    }
    System.arraycopy(rowIds, 0, ids, rows * fields, fields);
    System.arraycopy(rowNumeric, 0, numeric, rows * numericColumns, numericColumns);
    labels[rows++] = label;
  }

  /** Doubles {@code length} until {@code rows * width} fits in one Java array. */
  private static int grown(int length, int rows, int width) {
    long needed = (long) rows * width;
    long size = Math.max((long) length * 2, needed);
    if (needed > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "ClickData: "
              + rows
              + " rows of "
              + width
              + " values do not fit one Java array; read the file with ClickStream instead");
    }
    return (int) Math.min(size, Integer.MAX_VALUE - 8);
  }

  int count() {
    return rows;
  }

  ClickData toClickData() {
    return new ClickData(
        fields,
        numericColumns,
        Arrays.copyOf(ids, rows * fields),
        Arrays.copyOf(numeric, rows * numericColumns),
        Arrays.copyOf(labels, rows));
  }
}

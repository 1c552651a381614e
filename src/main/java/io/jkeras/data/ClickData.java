package io.jkeras.data;

import io.jkeras.backend.HostArray;
import java.util.List;
import java.util.Random;
import org.tensorflow.ndarray.Shape;

/**
 * Click rows in memory, as the CTR models take them: per row one categorical id per field (ids in
 * one global id space, see {@link Features}), optional numeric columns and a 0/1 label.
 *
 * <pre>{@code
 * ClickData all = LibfmReader.builder().fields(10).read(Path.of("frappe.validation.libfm"));
 * ClickData[] parts = all.split(0.2, 42);      // [train, held out], shuffled with seed 42
 * model.fit(parts[0].inputs(), List.of(parts[0].labels()), options);
 * }</pre>
 */
public final class ClickData {

  private final int rows;
  private final int fields;
  private final int numericColumns;
  private final int[] ids;
  private final float[] numeric;
  private final float[] labels;

  /**
   * Rows from flat row-major arrays: {@code ids} {@code rows * fields}, {@code numeric} {@code rows
   * * numericColumns}, {@code labels} {@code rows}, each label 0 or 1.
   */
  public ClickData(int fields, int numericColumns, int[] ids, float[] numeric, float[] labels) {
    this.rows = labels.length;
    if (fields <= 0 || ids.length != (long) rows * fields) {
      throw new IllegalArgumentException(
          "ClickData: expected " + rows + " x " + fields + " ids, got " + ids.length);
    }
    if (numericColumns < 0 || numeric.length != (long) rows * numericColumns) {
      throw new IllegalArgumentException(
          "ClickData: expected "
              + rows
              + " x "
              + numericColumns
              + " numeric values, got "
              + numeric.length);
    }
    this.fields = fields;
    this.numericColumns = numericColumns;
    this.ids = ids;
    this.numeric = numeric;
    this.labels = labels;
  }

  /** The number of rows (examples). */
  public int rows() {
    return rows;
  }

  /** The number of categorical fields (ids) per row. */
  public int fields() {
    return fields;
  }

  /** The number of numeric values per row (0 when the data has no numeric columns). */
  public int numericColumns() {
    return numericColumns;
  }

  /** The id of {@code field} in row {@code row}. */
  public int id(int row, int field) {
    return ids[row * fields + field];
  }

  /** The label of row {@code row}: 1 for a click, 0 for none. */
  public float label(int row) {
    return labels[row];
  }

  /** The largest id plus one (0 for no rows). */
  public int idBound() {
    int max = -1;
    for (int id : ids) {
      max = Math.max(max, id);
    }
    return max + 1;
  }

  /** The share of rows labelled 1. */
  public double positiveRate() {
    double s = 0;
    for (float y : labels) {
      s += y;
    }
    return rows == 0 ? 0 : s / rows;
  }

  /** The ids as an int32 array {@code (rows, fields)}. */
  public HostArray ids() {
    return HostArray.ofInts(Shape.of(rows, fields), ids);
  }

  /** The numeric columns as a float32 array {@code (rows, numericColumns)}. */
  public HostArray numeric() {
    return HostArray.ofFloats(Shape.of(rows, numericColumns), numeric);
  }

  /** The labels as a float32 array {@code (rows, 1)}. */
  public HostArray labels() {
    return HostArray.ofFloats(Shape.of(rows, 1), labels);
  }

  /** The model inputs: the ids, then the numeric columns when there are any. */
  public List<HostArray> inputs() {
    return numericColumns == 0 ? List.of(ids()) : List.of(ids(), numeric());
  }

  /** The labels as a plain array (a copy). */
  public float[] labelArray() {
    return labels.clone();
  }

  /** The rows at {@code index}, in that order. */
  public ClickData select(int[] index) {
    int[] i2 = new int[index.length * fields];
    float[] n2 = new float[index.length * numericColumns];
    float[] y2 = new float[index.length];
    for (int r = 0; r < index.length; r++) {
      int src = index[r];
      System.arraycopy(ids, src * fields, i2, r * fields, fields);
      System.arraycopy(numeric, src * numericColumns, n2, r * numericColumns, numericColumns);
      y2[r] = labels[src];
    }
    return new ClickData(fields, numericColumns, i2, n2, y2);
  }

  /**
   * Shuffles the rows with {@code seed} and cuts off the last {@code fraction} of them: {@code
   * [kept, heldOut]}. Both parts are non-empty.
   */
  public ClickData[] split(double fraction, long seed) {
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException(
          "ClickData.split: fraction must be in (0, 1), got " + fraction);
    }
    int held = (int) Math.round(rows * fraction);
    if (held == 0 || held == rows) {
      throw new IllegalArgumentException(
          "ClickData.split: " + rows + " rows are too few to hold out " + fraction + " of them");
    }
    int[] order = new int[rows];
    for (int i = 0; i < rows; i++) {
      order[i] = i;
    }
    Random rnd = new Random(seed);
    for (int i = rows - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int kept = rows - held;
    int[] a = java.util.Arrays.copyOfRange(order, 0, kept);
    int[] b = java.util.Arrays.copyOfRange(order, kept, rows);
    return new ClickData[] {select(a), select(b)};
  }
}

package io.jkeras.models;

import io.jkeras.backend.HostArray;
import io.jkeras.layers.Embedding;
import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Layer;
import io.jkeras.layers.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values each input of a model accepts beyond its dtype and shape, checked on the host before a
 * run, so that bad input is one clear {@link IllegalArgumentException} naming the input, the value,
 * its position, the layer and the range, rather than a TensorFlow error after the run started (or,
 * on a GPU, a silently wrong lookup):
 *
 * <ul>
 *   <li>an integer input (int32, int64) fed floats takes only whole, finite numbers that the dtype
 *       holds, as Keras refuses NaN or 3.7 for an id;
 *   <li>an input whose values index a table (an {@link Embedding}'s rows) takes only ids in {@code
 *       [0, rows)}; a float input is cast to an id as Keras casts it (truncated), so NaN and
 *       infinities are refused.
 * </ul>
 *
 * <p>{@link Model#predict(List, int)} runs this check; the CLI's {@code predict} goes through it,
 * and a SavedModel's inputs (the server's, the CLI's) are checked the same way with tables found in
 * the graph.
 *
 * <pre>{@code
 * InputRanges ranges = InputRanges.of(model);
 * ranges.check("ids", HostArray.of(new int[][] {{1, 2, 3}})); // fine
 * ranges.check("ids", HostArray.of(new int[][] {{1, 2, 5000}}));
 * // IllegalArgumentException: input "ids" has id 5000 at [0, 2], outside the range [0, 1000) of
 * // layer "emb" (Embedding)
 * }</pre>
 */
public final class InputRanges {

  /**
   * A table that an input's values index: ids must be in {@code [0, rows)}.
   *
   * @param layer the layer holding the table, for messages
   * @param kind the layer's class or op, for messages ({@code Embedding})
   * @param rows the table's number of rows
   */
  public record IdTable(String layer, String kind, long rows) {}

  private final Map<String, String> dtypes;
  private final Map<String, List<IdTable>> tables;

  /**
   * Ranges for inputs of the given Keras dtypes ({@code "int32"}, {@code "float32"}, ...), some of
   * which index tables.
   *
   * <pre>{@code
   * InputRanges r = new InputRanges(Map.of("ids", "int64"),
   *     Map.of("ids", List.of(new InputRanges.IdTable("emb", "Embedding", 1000))));
   * }</pre>
   */
  public InputRanges(Map<String, String> dtypes, Map<String, List<IdTable>> tables) {
    this.dtypes = Map.copyOf(dtypes);
    Map<String, List<IdTable>> copy = new LinkedHashMap<>();
    tables.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    this.tables = java.util.Collections.unmodifiableMap(copy);
  }

  /**
   * The ranges of {@code model}'s inputs: each input's dtype, and the Embedding layers called
   * directly on it.
   *
   * <pre>{@code
   * InputRanges.of(model).tables("ids"); // [IdTable[layer=emb, kind=Embedding, rows=1000]]
   * }</pre>
   */
  public static InputRanges of(Model model) {
    Map<String, String> dtypes = new LinkedHashMap<>();
    Map<String, List<IdTable>> tables = new LinkedHashMap<>();
    for (KerasTensor input : model.inputs()) {
      String name = input.layer().name();
      dtypes.put(name, input.dtype());
      for (Layer layer : model.layers()) {
        if (!(layer instanceof Embedding e)) {
          continue;
        }
        for (Node node : layer.inboundNodes()) {
          if (node.inputs().stream().anyMatch(t -> t == input)) {
            tables
                .computeIfAbsent(name, k -> new ArrayList<>())
                .add(new IdTable(e.name(), "Embedding", e.inputDim()));
            break;
          }
        }
      }
    }
    return new InputRanges(dtypes, tables);
  }

  /** The tables input {@code name} indexes (empty when none). */
  public List<IdTable> tables(String name) {
    return tables.getOrDefault(name, List.of());
  }

  /** Whether no input has a table or an integer dtype: {@link #check} then never refuses. */
  public boolean isEmpty() {
    return tables.isEmpty() && dtypes.values().stream().noneMatch(InputRanges::isInteger);
  }

  /**
   * Checks the values fed to each of {@code model}'s inputs: what {@link Model#predict(List, int)}
   * calls.
   *
   * @throws IllegalArgumentException naming the first input, value and position out of range
   */
  static void check(Model model, List<HostArray> xs) {
    InputRanges ranges = of(model);
    for (int i = 0; i < xs.size(); i++) {
      ranges.check(model.inputs().get(i).layer().name(), xs.get(i));
    }
  }

  /**
   * Checks the values fed to input {@code name}.
   *
   * @throws IllegalArgumentException naming the input, the value, its position and the range or
   *     dtype it violates
   */
  public void check(String name, HostArray x) {
    long[] shape = x.shape().asArray();
    boolean floats = x.dtype().equals("float32");
    check(
        name,
        shape,
        Math.toIntExact(x.shape().size()),
        floats,
        true,
        x::valueAt,
        i -> (long) x.valueAt(i));
  }

  /**
   * Checks int32 or int64 values ({@code int[]} or {@code long[]}) fed to input {@code name}.
   *
   * <pre>{@code
   * ranges.checkIds("ids", new long[] {2, 3}, new long[] {1, 2, 3, 4, 5, 6});
   * }</pre>
   *
   * @throws IllegalArgumentException for an id outside a table's range
   */
  public void checkIds(String name, long[] shape, Object ints) {
    if (ints instanceof int[] v) {
      check(name, shape, v.length, false, false, i -> v[i], i -> v[i]);
    } else if (ints instanceof long[] v) {
      check(name, shape, v.length, false, false, i -> v[i], i -> v[i]);
    } else {
      throw new IllegalArgumentException("checkIds takes int[] or long[], got " + ints);
    }
  }

  /**
   * Checks float32 or float64 values ({@code float[]} or {@code double[]}) fed to input {@code
   * name}.
   *
   * <pre>{@code
   * ranges.checkFloats("ids", new long[] {1, 2}, new float[] {1, Float.NaN}); // refused
   * }</pre>
   *
   * @throws IllegalArgumentException for a value an integer input cannot take, or that is no id of
   *     a table the input indexes
   */
  public void checkFloats(String name, long[] shape, Object floats) {
    if (floats instanceof float[] v) {
      check(name, shape, v.length, true, true, i -> v[i], i -> (long) v[i]);
    } else if (floats instanceof double[] v) {
      check(name, shape, v.length, true, false, i -> v[i], i -> (long) v[i]);
    } else {
      throw new IllegalArgumentException("checkFloats takes float[] or double[], got " + floats);
    }
  }

  private interface DoubleAt {
    double at(int i);
  }

  private interface LongAt {
    long at(int i);
  }

  /** {@code single}: the floats are float32 (shown as such in messages). */
  private void check(
      String name,
      long[] shape,
      int n,
      boolean floats,
      boolean single,
      DoubleAt asDouble,
      LongAt asLong) {
    String dtype = dtypes.getOrDefault(name, "");
    List<IdTable> mine = tables(name);
    boolean integer = isInteger(dtype);
    if (!(floats && integer) && mine.isEmpty()) {
      return;
    }
    IdTable narrowest = null;
    for (IdTable t : mine) {
      if (narrowest == null || t.rows() < narrowest.rows()) {
        narrowest = t;
      }
    }
    for (int i = 0; i < n; i++) {
      if (floats) {
        double v = asDouble.at(i);
        if (integer && (!Double.isFinite(v) || v != Math.rint(v) || !fits(v, dtype))) {
          throw new IllegalArgumentException(
              "input \""
                  + name
                  + "\" is "
                  + dtype
                  + " but holds "
                  + format(v, single)
                  + " at "
                  + position(i, shape)
                  + (Double.isFinite(v) && v == Math.rint(v)
                      ? ", which " + dtype + " cannot hold"
                      : ", not a whole number")
                  + " (like Keras, an integer input takes only whole, finite numbers)");
        }
        if (narrowest != null && !Double.isFinite(v)) {
          throw outOfRange(name, format(v, single), i, shape, narrowest);
        }
        if (narrowest != null && (v <= -1 || v >= narrowest.rows())) {
          // A float input is cast to an id by truncation, as Keras does.
          throw outOfRange(name, format(v, single), i, shape, narrowest);
        }
      } else if (narrowest != null) {
        long id = asLong.at(i);
        if (id < 0 || id >= narrowest.rows()) {
          throw outOfRange(name, Long.toString(id), i, shape, narrowest);
        }
      }
    }
  }

  private static IllegalArgumentException outOfRange(
      String name, String value, int flat, long[] shape, IdTable t) {
    return new IllegalArgumentException(
        "input \""
            + name
            + "\" has id "
            + value
            + " at "
            + position(flat, shape)
            + ", outside the range [0, "
            + t.rows()
            + ") of layer \""
            + t.layer()
            + "\" ("
            + t.kind()
            + ")");
  }

  private static boolean isInteger(String dtype) {
    return dtype.equals("int32") || dtype.equals("int64");
  }

  private static boolean fits(double v, String dtype) {
    return dtype.equals("int32")
        ? v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE
        : v >= -0x1p63 && v < 0x1p63;
  }

  private static String format(double v, boolean single) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return single ? Float.toString((float) v) : Double.toString(v);
  }

  /** The multi-index of flat position {@code flat} in a row-major array of {@code shape}. */
  private static String position(int flat, long[] shape) {
    long[] idx = new long[shape.length];
    long rest = flat;
    for (int d = shape.length - 1; d >= 0; d--) {
      long size = Math.max(1, shape[d]);
      idx[d] = rest % size;
      rest /= size;
    }
    StringBuilder sb = new StringBuilder("[");
    for (int d = 0; d < idx.length; d++) {
      sb.append(d > 0 ? ", " : "").append(idx[d]);
    }
    return sb.append(']').toString();
  }
}

package io.jkeras.serving;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Converts between nested JSON lists and {@link TensorData}, checking dtype and shape against a
 * {@link TensorSpec} on the way in.
 *
 * <pre>{@code
 * // row format: one JSON value per instance, stacked along a new dimension 0
 * TensorData x = JsonTensors.fromInstances(List.of(json("[1,2,3]"), json("[4,5,6]")), "x", spec);
 * // x has shape [2, 3]
 * }</pre>
 *
 * <p>Rules: integer dtypes take only integer tokens within range ({@code 1.5} and {@code 1.0} are
 * rejected for {@code DT_INT32}); float dtypes take any number, including {@code NaN} and {@code
 * ±Infinity}; {@code DT_BOOL} takes {@code true}/{@code false}. Every list at one depth must have
 * the same length (no ragged tensors). The resulting shape must have the spec's rank and agree with
 * every known dimension.
 */
final class JsonTensors {

  private JsonTensors() {}

  /**
   * Stacks one JSON value per instance into a tensor of shape {@code [items.size()] + the instance
   * shape} (row format, {@code "instances"}).
   */
  static TensorData fromInstances(List<JsonNode> items, String input, TensorSpec spec)
      throws ServingException {
    checkDtype(input, spec);
    if (items.isEmpty()) {
      throw ServingException.invalid(
          "\"instances\" is empty: input \"" + input + "\" needs at least one instance");
    }
    long[] inner = shapeOf(items.get(0));
    for (int i = 1; i < items.size(); i++) {
      long[] s = shapeOf(items.get(i));
      if (!Arrays.equals(s, inner)) {
        throw ServingException.invalid(
            "Ragged instances for input \""
                + input
                + "\": instance 0"
                + " has shape "
                + Arrays.toString(inner)
                + " but instance "
                + i
                + " has shape "
                + Arrays.toString(s)
                + "; every instance must have the same shape");
      }
    }
    long[] shape = prepend(items.size(), inner);
    checkShape(input, spec, shape, true);
    Filler f = new Filler(spec.dtype(), shape, input);
    for (int i = 0; i < items.size(); i++) {
      f.fill(items.get(i), inner, 0, "instance " + i);
    }
    return f.result();
  }

  /** Converts one whole JSON tensor (columnar format, {@code "inputs"}). */
  static TensorData fromTensor(JsonNode node, String input, TensorSpec spec)
      throws ServingException {
    checkDtype(input, spec);
    long[] shape = shapeOf(node);
    if (shape.length > 0 && shape[0] == 0) {
      throw ServingException.invalid("Input \"" + input + "\" is an empty list");
    }
    checkShape(input, spec, shape, false);
    Filler f = new Filler(spec.dtype(), shape, input);
    f.fill(node, shape, 0, "the tensor");
    return f.result();
  }

  private static void checkDtype(String input, TensorSpec spec) throws ServingException {
    if (!TensorData.isSupported(spec.dtype())) {
      throw ServingException.invalid(
          "Input \""
              + input
              + "\" has dtype "
              + spec.dtype()
              + ", which jkeras serving cannot feed from JSON (supported: DT_FLOAT, DT_DOUBLE, "
              + "DT_INT32, DT_INT64, DT_BOOL)");
    }
  }

  /**
   * The shape a JSON value claims, following the first element at each depth; raggedness is found
   * later while filling.
   */
  private static long[] shapeOf(JsonNode node) {
    List<Long> dims = new ArrayList<>();
    JsonNode n = node;
    while (n.isArray()) {
      dims.add((long) n.size());
      if (n.size() == 0) {
        break;
      }
      n = n.get(0);
    }
    return dims.stream().mapToLong(Long::longValue).toArray();
  }

  private static long[] prepend(long first, long[] rest) {
    long[] s = new long[rest.length + 1];
    s[0] = first;
    System.arraycopy(rest, 0, s, 1, rest.length);
    return s;
  }

  private static void checkShape(String input, TensorSpec spec, long[] shape, boolean rows)
      throws ServingException {
    long[] want = spec.shape();
    if (want == null) {
      return;
    }
    boolean ok = want.length == shape.length;
    for (int i = 0; ok && i < want.length; i++) {
      ok = want[i] < 0 || want[i] == shape[i];
    }
    if (ok) {
      return;
    }
    String message = "Input \"" + input + "\" expects shape " + Arrays.toString(want);
    if (rows) {
      long[] inner = Arrays.copyOfRange(shape, 1, shape.length);
      String wantInner =
          want.length == 0
              ? "a scalar input (rank 0), which the row format " + "cannot batch; use \"inputs\""
              : Arrays.toString(Arrays.copyOfRange(want, 1, want.length)) + " per instance";
      message += " (" + wantInner + ") but the instances have shape " + Arrays.toString(inner);
      if (want.length > 0 && want[0] >= 0 && want[0] != shape[0]) {
        message += " and there are " + shape[0] + " of them, not " + want[0];
      }
    } else {
      message += " but got a tensor of shape " + Arrays.toString(shape);
    }
    throw ServingException.invalid(message + " (-1 is any size)");
  }

  /** Writes the leaves of nested lists into a flat primitive array, checking as it goes. */
  private static final class Filler {
    private final String dtype;
    private final long[] shape;
    private final String input;
    private final Object data;
    private int at;

    Filler(String dtype, long[] shape, String input) throws ServingException {
      this.dtype = dtype;
      this.shape = shape;
      this.input = input;
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      if (n > Integer.MAX_VALUE - 8) {
        throw ServingException.invalid(
            "Input \"" + input + "\" is too large: shape " + Arrays.toString(shape));
      }
      this.data = TensorData.zeros(dtype, new long[] {n}).data();
    }

    /** Fills {@code node}, which must have shape {@code dims[depth..]}. */
    void fill(JsonNode node, long[] dims, int depth, String where) throws ServingException {
      if (depth == dims.length) {
        leaf(node, where);
        return;
      }
      if (!node.isArray() || node.size() != dims[depth]) {
        throw ServingException.invalid(
            "Ragged tensor for input \""
                + input
                + "\": in "
                + where
                + " a "
                + describe(node)
                + " stands where a list of "
                + dims[depth]
                + " was expected (all lists at one depth must have the same length)");
      }
      for (int i = 0; i < node.size(); i++) {
        fill(node.get(i), dims, depth + 1, where + "[" + i + "]");
      }
    }

    private void leaf(JsonNode v, String where) throws ServingException {
      switch (dtype) {
        case TensorData.DT_FLOAT -> ((float[]) data)[at] = (float) number(v, where);
        case TensorData.DT_DOUBLE -> ((double[]) data)[at] = number(v, where);
        case TensorData.DT_INT32 -> {
          if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw wrongType(v, where, "an integer in the int32 range");
          }
          ((int[]) data)[at] = v.intValue();
        }
        case TensorData.DT_INT64 -> {
          if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw wrongType(v, where, "an integer in the int64 range");
          }
          ((long[]) data)[at] = v.longValue();
        }
        case TensorData.DT_BOOL -> {
          if (!v.isBoolean()) {
            throw wrongType(v, where, "true or false");
          }
          ((boolean[]) data)[at] = v.booleanValue();
        }
        default -> throw new IllegalStateException(dtype);
      }
      at++;
    }

    private double number(JsonNode v, String where) throws ServingException {
      if (!v.isNumber()) {
        throw wrongType(v, where, "a number");
      }
      return v.doubleValue();
    }

    private ServingException wrongType(JsonNode v, String where, String wanted) {
      if (v.isArray() || v.isObject()) {
        return ServingException.invalid(
            "Ragged tensor for input \""
                + input
                + "\": in "
                + where
                + " a "
                + describe(v)
                + " stands where a single value was expected");
      }
      return ServingException.invalid(
          "Input \""
              + input
              + "\" is "
              + dtype
              + " and needs "
              + wanted
              + ", but "
              + where
              + " is "
              + clip(v.toString()));
    }

    TensorData result() {
      return switch (dtype) {
        case TensorData.DT_FLOAT -> TensorData.ofFloats((float[]) data, shape);
        case TensorData.DT_DOUBLE -> TensorData.ofDoubles((double[]) data, shape);
        case TensorData.DT_INT32 -> TensorData.ofInts((int[]) data, shape);
        case TensorData.DT_INT64 -> TensorData.ofLongs((long[]) data, shape);
        case TensorData.DT_BOOL -> TensorData.ofBooleans((boolean[]) data, shape);
        default -> throw new IllegalStateException(dtype);
      };
    }
  }

  private static String describe(JsonNode n) {
    if (n.isArray()) {
      return "list of " + n.size();
    }
    if (n.isObject()) {
      return "JSON object";
    }
    return "single value " + clip(n.toString());
  }

  private static String clip(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }

  /** Writes the whole tensor as nested lists (a bare value for rank 0). */
  static void write(JsonGenerator g, TensorData t) throws IOException {
    write(g, t, 0, 0);
  }

  /** Writes row {@code row} of a tensor of rank at least 1. */
  static void writeRow(JsonGenerator g, TensorData t, int row) throws IOException {
    write(g, t, 1, Math.toIntExact(row * t.rowSize()));
  }

  private static void write(JsonGenerator g, TensorData t, int dim, int offset) throws IOException {
    if (dim == t.rank()) {
      writeLeaf(g, t, offset);
      return;
    }
    long n = t.dim(dim);
    long stride = 1;
    for (int i = dim + 1; i < t.rank(); i++) {
      stride *= t.dim(i);
    }
    g.writeStartArray();
    if (dim == t.rank() - 1) {
      for (int i = 0; i < n; i++) {
        writeLeaf(g, t, offset + i);
      }
    } else {
      for (int i = 0; i < n; i++) {
        write(g, t, dim + 1, Math.toIntExact(offset + i * stride));
      }
    }
    g.writeEndArray();
  }

  private static void writeLeaf(JsonGenerator g, TensorData t, int i) throws IOException {
    switch (t.dtype()) {
      case TensorData.DT_FLOAT -> g.writeNumber(((float[]) t.data())[i]);
      case TensorData.DT_DOUBLE -> g.writeNumber(((double[]) t.data())[i]);
      case TensorData.DT_INT32 -> g.writeNumber(((int[]) t.data())[i]);
      case TensorData.DT_INT64 -> g.writeNumber(((long[]) t.data())[i]);
      case TensorData.DT_BOOL -> g.writeBoolean(((boolean[]) t.data())[i]);
      default -> throw new IllegalStateException(t.dtype());
    }
  }
}

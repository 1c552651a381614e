package io.jkeras.serving;

import com.fasterxml.jackson.core.JsonGenerator;
import io.jkeras.io.DecimalText;
import java.io.IOException;
import java.util.Arrays;

/**
 * Converts between nested JSON lists and {@link TensorData}, checking dtype and shape against a
 * {@link TensorSpec} on the way in.
 *
 * <pre>{@code
 * // row format: one JSON value per instance, stacked along a new dimension 0
 * PredictCodec.Request r = PredictCodec.read(body, 10_000, 64L << 20); // [[1,2,3],[4,5,6]]
 * TensorData x = JsonTensors.fromLeaves(r.unnamed(), true, "x", spec); // shape [2, 3]
 * }</pre>
 *
 * <p>Rules: integer dtypes take only integer tokens within range ({@code 1.5} and {@code 1.0} are
 * rejected for {@code DT_INT32}, 256 and -1 for {@code DT_UINT8}); float dtypes take any number,
 * including {@code NaN} and {@code ±Infinity}; {@code DT_BOOL} takes {@code true}/{@code false};
 * {@code DT_STRING} takes JSON strings (fed as their UTF-8 bytes) and binary values {@code {"b64":
 * "<base64>"}} (fed as the decoded bytes), and only {@code DT_STRING} takes them. Every list at one
 * depth must have the same length (no ragged tensors). The resulting shape must have the spec's
 * rank and agree with every known dimension.
 */
final class JsonTensors {

  private JsonTensors() {}

  /**
   * Converts the values of one input, read by {@link PredictBodyReader}: in the row format ({@code
   * rows}) the instances stack along a new dimension 0, in the columnar format the value is the
   * whole tensor.
   */
  static TensorData fromLeaves(JsonLeaves leaves, boolean rows, String input, TensorSpec spec)
      throws ServingException {
    checkDtype(input, spec);
    long[] shape = rows ? prepend(leaves.instances, leaves.shape) : leaves.shape;
    if (!rows && shape.length > 0 && shape[0] == 0) {
      throw ServingException.invalid("Input \"" + input + "\" is an empty list");
    }
    checkShape(input, spec, shape, rows);
    return new Filler(spec.dtype(), shape, input, rows).fill(leaves);
  }

  private static void checkDtype(String input, TensorSpec spec) throws ServingException {
    if (!TensorData.isSupported(spec.dtype())) {
      throw ServingException.invalid(
          "Input \""
              + input
              + "\" has dtype "
              + spec.dtype()
              + ", which jkeras serving cannot feed from JSON (supported: DT_FLOAT, DT_DOUBLE, "
              + "DT_INT32, DT_INT64, DT_BOOL, DT_UINT8, DT_STRING)");
    }
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

  /** Writes leaves into a flat primitive array of the spec's dtype, checking each. */
  private static final class Filler {
    private final String dtype;
    private final long[] shape;
    private final String input;
    private final boolean rows;
    private final Object data;

    Filler(String dtype, long[] shape, String input, boolean rows) throws ServingException {
      this.dtype = dtype;
      this.shape = shape;
      this.input = input;
      this.rows = rows;
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

    TensorData fill(JsonLeaves leaves) throws ServingException {
      int n = java.lang.reflect.Array.getLength(data);
      for (int i = 0; i < n; i++) {
        byte kind = leaves.kind(i);
        switch (dtype) {
          case TensorData.DT_FLOAT -> ((float[]) data)[i] = (float) number(leaves, i);
          case TensorData.DT_DOUBLE -> ((double[]) data)[i] = number(leaves, i);
          case TensorData.DT_INT32 -> {
            long v = leaves.longAt(i);
            if (kind != JsonLeaves.INT || v != (int) v) {
              throw wrongType(leaves, i, "an integer in the int32 range");
            }
            ((int[]) data)[i] = (int) v;
          }
          case TensorData.DT_INT64 -> {
            if (kind != JsonLeaves.INT) {
              throw wrongType(leaves, i, "an integer in the int64 range");
            }
            ((long[]) data)[i] = leaves.longAt(i);
          }
          case TensorData.DT_UINT8 -> {
            long v = leaves.longAt(i);
            if (kind != JsonLeaves.INT || v < 0 || v > 255) {
              throw wrongType(leaves, i, "an integer from 0 to 255");
            }
            ((byte[]) data)[i] = (byte) v;
          }
          case TensorData.DT_BOOL -> {
            if (kind != JsonLeaves.TRUE && kind != JsonLeaves.FALSE) {
              throw wrongType(leaves, i, "true or false");
            }
            ((boolean[]) data)[i] = kind == JsonLeaves.TRUE;
          }
          case TensorData.DT_STRING -> {
            if (kind != JsonLeaves.STRING && kind != JsonLeaves.BYTES) {
              throw wrongType(leaves, i, "a string or {\"b64\": \"<base64>\"}");
            }
            ((byte[][]) data)[i] = leaves.stringAt(i);
          }
          default -> throw new IllegalStateException(dtype);
        }
      }
      return switch (dtype) {
        case TensorData.DT_FLOAT -> TensorData.ofFloats((float[]) data, shape);
        case TensorData.DT_DOUBLE -> TensorData.ofDoubles((double[]) data, shape);
        case TensorData.DT_INT32 -> TensorData.ofInts((int[]) data, shape);
        case TensorData.DT_INT64 -> TensorData.ofLongs((long[]) data, shape);
        case TensorData.DT_BOOL -> TensorData.ofBooleans((boolean[]) data, shape);
        case TensorData.DT_UINT8 -> TensorData.ofUint8s((byte[]) data, shape);
        case TensorData.DT_STRING -> TensorData.ofStrings((byte[][]) data, shape);
        default -> throw new IllegalStateException(dtype);
      };
    }

    private double number(JsonLeaves leaves, int i) throws ServingException {
      byte kind = leaves.kind(i);
      if (kind != JsonLeaves.INT && kind != JsonLeaves.FLOAT) {
        throw wrongType(leaves, i, "a number");
      }
      return leaves.doubleAt(i);
    }

    private ServingException wrongType(JsonLeaves leaves, int i, String wanted) {
      return ServingException.invalid(
          "Input \""
              + input
              + "\" is "
              + dtype
              + " and needs "
              + wanted
              + ", but "
              + where(i)
              + " is "
              + leaves.text(i));
    }

    /** "instance 3[0][2]" (row format) or "the tensor[1][0]" for flat element {@code i}. */
    private String where(int i) {
      StringBuilder sb = new StringBuilder();
      long rest = i;
      for (int d = shape.length - 1; d >= 0; d--) {
        long dim = shape[d];
        long at = rest % dim;
        rest /= dim;
        sb.insert(0, d == 0 && rows ? "instance " + at : "[" + at + "]");
      }
      return rows ? sb.toString() : "the tensor" + sb;
    }
  }

  /**
   * True when output {@code name} of dtype {@code dtype} is written as binary values {@code {"b64":
   * "<base64>"}}: TensorFlow Serving's rule is a DT_STRING output whose name ends in {@code
   * _bytes}.
   */
  static boolean isBinaryOutput(String name, String dtype) {
    return dtype.equals(TensorData.DT_STRING) && name.endsWith("_bytes");
  }

  /**
   * Writes the whole tensor as nested lists (a bare value for rank 0); {@code binary}: strings as
   * {@code {"b64": "<base64>"}}.
   */
  static void write(JsonGenerator g, TensorData t, boolean binary) throws IOException {
    write(g, t, binary, 0, 0);
  }

  /** Writes row {@code row} of a tensor of rank at least 1, as {@link #write} does. */
  static void writeRow(JsonGenerator g, TensorData t, boolean binary, int row) throws IOException {
    write(g, t, binary, 1, Math.toIntExact(row * t.rowSize()));
  }

  private static void write(JsonGenerator g, TensorData t, boolean binary, int dim, int offset)
      throws IOException {
    if (dim == t.rank()) {
      writeLeaf(g, t, binary, offset);
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
        writeLeaf(g, t, binary, offset + i);
      }
    } else {
      for (int i = 0; i < n; i++) {
        write(g, t, binary, dim + 1, Math.toIntExact(offset + i * stride));
      }
    }
    g.writeEndArray();
  }

  private static void writeLeaf(JsonGenerator g, TensorData t, boolean binary, int i)
      throws IOException {
    switch (t.dtype()) {
      case TensorData.DT_FLOAT -> g.writeNumber(decimal(((float[]) t.data())[i], true));
      case TensorData.DT_DOUBLE -> g.writeNumber(decimal(((double[]) t.data())[i], false));
      case TensorData.DT_INT32 -> g.writeNumber(((int[]) t.data())[i]);
      case TensorData.DT_INT64 -> g.writeNumber(((long[]) t.data())[i]);
      case TensorData.DT_BOOL -> g.writeBoolean(((boolean[]) t.data())[i]);
      case TensorData.DT_UINT8 -> g.writeNumber(((byte[]) t.data())[i] & 0xff);
      case TensorData.DT_STRING -> {
        byte[] b = ((byte[][]) t.data())[i];
        if (binary) {
          g.writeStartObject();
          g.writeStringField(
              PredictBodyReader.BASE64_KEY, java.util.Base64.getEncoder().encodeToString(b));
          g.writeEndObject();
        } else {
          g.writeString(new String(b, java.nio.charset.StandardCharsets.UTF_8));
        }
      }
      default -> throw new IllegalStateException(t.dtype());
    }
  }

  /**
   * A float or double as TensorFlow Serving writes it: six significant digits in C's {@code %g}
   * form when they read back as the same value ({@code 0.1}, {@code 9e+06}, {@code 3e-05}), else
   * all the digits the type needs ({@code %.9g} for a float, {@code %.17g} for a double: 1/3 as a
   * float is {@code 0.333333343}); {@code .0} is added to whole numbers without an exponent ({@code
   * 3.0}); {@code NaN}, {@code Infinity} and {@code -Infinity} are bare tokens.
   *
   * <pre>{@code
   * JsonTensors.decimal(9e6f, true); // "9e+06"
   * }</pre>
   *
   * @param isFloat whether {@code v} is a float (read back as a float) or a double
   */
  static String decimal(double v, boolean isFloat) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "Infinity" : "-Infinity";
    }
    if (v == 0) {
      return 1 / v < 0 ? "-0.0" : "0.0";
    }
    String s = DecimalText.general(v, 6);
    if (isFloat ? Float.parseFloat(s) != (float) v : Double.parseDouble(s) != v) {
      s = DecimalText.general(v, isFloat ? 9 : 17);
    }
    return s.indexOf('.') < 0 && s.indexOf('e') < 0 ? s + ".0" : s;
  }
}

package io.jkeras.serving;

import java.util.Arrays;

/**
 * The numbers, booleans and strings of one input as the streaming reader found them in a request
 * body, in document order, before the signature decides their dtype: 9 bytes per leaf (a kind and
 * 64 bits) plus each string's UTF-8 bytes, where a Jackson tree costs several times that.
 *
 * <pre>{@code
 * JsonLeaves x = new JsonLeaves("x");
 * x.addLong(3);
 * x.addDouble(0.5);
 * // x.size() == 2, x.kind(1) == JsonLeaves.FLOAT
 * }</pre>
 */
final class JsonLeaves {

  /** An integer token that fits in 64 bits. */
  static final byte INT = 0;

  /** A number with a fraction or exponent, NaN or ±Infinity, or an integer beyond 64 bits. */
  static final byte FLOAT = 1;

  static final byte TRUE = 2;
  static final byte FALSE = 3;

  /** A null: never a valid tensor element; {@link #otherText} keeps the first. */
  static final byte OTHER = 4;

  /** A JSON string: its UTF-8 bytes are kept, for DT_STRING inputs. */
  static final byte STRING = 5;

  /**
   * A binary value sent as {@code {"b64": "<base64>"}}: its decoded bytes are kept, for DT_STRING
   * inputs.
   */
  static final byte BYTES = 6;

  /** Per string, beyond its bytes: the array header and the reference. */
  static final long STRING_OVERHEAD = 24;

  private final java.util.List<byte[]> strings = new java.util.ArrayList<>();
  private long stringHeapBytes;

  private final String input;
  private byte[] kinds = new byte[8];
  private long[] bits = new long[8];
  private int size;
  private String otherText;

  /** The shape of instance 0 (row format) or of the whole value (columnar format). */
  long[] shape;

  /** Instances read so far (row format). */
  int instances;

  /** Row format with named inputs: the first instance without this input, or -1. */
  int firstLacking = -1;

  /** Row format with named inputs: the first instance with this input. */
  int firstHaving;

  JsonLeaves(String input) {
    this.input = input;
  }

  String input() {
    return input;
  }

  int size() {
    return size;
  }

  byte kind(int i) {
    return kinds[i];
  }

  long longAt(int i) {
    return bits[i];
  }

  double doubleAt(int i) {
    return kinds[i] == INT ? (double) bits[i] : Double.longBitsToDouble(bits[i]);
  }

  /** The UTF-8 bytes of string leaf {@code i}, or the decoded bytes of a binary leaf. */
  byte[] stringAt(int i) {
    return strings.get((int) bits[i]);
  }

  /** The first null leaf, as JSON text. */
  String otherText() {
    return otherText;
  }

  void addLong(long v) {
    add(INT, v);
  }

  void addDouble(double v) {
    add(FLOAT, Double.doubleToRawLongBits(v));
  }

  void addBoolean(boolean v) {
    add(v ? TRUE : FALSE, 0);
  }

  /** A string leaf, kept as its UTF-8 bytes. */
  void addString(byte[] utf8) {
    addBytes(STRING, utf8);
  }

  /** A binary leaf ({@code {"b64": ...}}), kept as its decoded bytes. */
  void addBinary(byte[] decoded) {
    addBytes(BYTES, decoded);
  }

  private void addBytes(byte kind, byte[] bytes) {
    stringHeapBytes += bytes.length + STRING_OVERHEAD;
    strings.add(bytes);
    add(kind, strings.size() - 1);
  }

  void addOther(String jsonText) {
    if (otherText == null) {
      otherText = jsonText;
    }
    add(OTHER, 0);
  }

  /** Heap bytes of the leaf arrays (their capacity, not their use) and of the strings. */
  long heapBytes() {
    return 9L * kinds.length + stringHeapBytes;
  }

  /** {@link #heapBytes} once one more leaf has been added. */
  long heapBytesAfterAdd() {
    return size < kinds.length ? heapBytes() : 2 * heapBytes();
  }

  private void add(byte kind, long v) {
    if (size == kinds.length) {
      int n = (int) Math.min(Integer.MAX_VALUE - 8L, size * 2L);
      kinds = Arrays.copyOf(kinds, n);
      bits = Arrays.copyOf(bits, n);
    }
    kinds[size] = kind;
    bits[size++] = v;
  }

  /** The leaf as JSON text, for error messages. */
  String text(int i) {
    return switch (kinds[i]) {
      case INT -> Long.toString(bits[i]);
      case FLOAT -> Double.toString(Double.longBitsToDouble(bits[i]));
      case TRUE -> "true";
      case FALSE -> "false";
      case STRING -> {
        String s = new String(stringAt(i), java.nio.charset.StandardCharsets.UTF_8);
        yield "\"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
      }
      case BYTES -> {
        String s = java.util.Base64.getEncoder().encodeToString(stringAt(i));
        yield "{\"b64\": \"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"}";
      }
      default -> otherText;
    };
  }
}

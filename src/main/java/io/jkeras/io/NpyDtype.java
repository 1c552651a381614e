package io.jkeras.io;

import java.util.Locale;

/** The element types {@link NpyFile} reads and writes, with their NumPy type codes. */
enum NpyDtype {
  FLOAT32("float32", 'f', 4, float[].class),
  FLOAT64("float64", 'f', 8, double[].class),
  INT32("int32", 'i', 4, int[].class),
  INT64("int64", 'i', 8, long[].class),
  BOOL("bool", 'b', 1, boolean[].class),
  UINT8("uint8", 'u', 1, byte[].class),
  /** NumPy's {@code <U<n>}: text of at most n UCS-4 characters, held as UTF-8 bytes. */
  STR("str", 'U', 0, byte[][].class),
  /** NumPy's {@code |S<n>}: byte strings of at most n bytes. */
  BYTES("bytes", 'S', 0, byte[][].class);

  /** The NumPy name, as {@code numpy.dtype(...).name} prints it. */
  final String numpyName;

  /** The NumPy kind character: f, i, u, b, U or S. */
  final char kind;

  /** Bytes per element; 0 for strings, whose width each file's header gives. */
  final int itemSize;

  /** The Java array class that holds the data. */
  final Class<?> arrayClass;

  NpyDtype(String numpyName, char kind, int itemSize, Class<?> arrayClass) {
    this.numpyName = numpyName;
    this.kind = kind;
    this.itemSize = itemSize;
    this.arrayClass = arrayClass;
  }

  /** The little-endian descriptor written to headers: {@code <f4}, {@code |b1}, ... */
  String descr() {
    return (itemSize == 1 ? "|" : "<") + kind + itemSize;
  }

  /** Whether elements are strings (STR or BYTES). */
  boolean isString() {
    return itemSize == 0;
  }

  /** The dtype with this NumPy name, or null. */
  static NpyDtype byName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    for (NpyDtype d : values()) {
      if (d.numpyName.equals(n)) {
        return d;
      }
    }
    return null;
  }

  /** The dtype with this kind and size, or null. */
  static NpyDtype byCode(char kind, int itemSize) {
    for (NpyDtype d : values()) {
      if (d.kind == kind && d.itemSize == itemSize && itemSize > 0) {
        return d;
      }
    }
    return null;
  }
}

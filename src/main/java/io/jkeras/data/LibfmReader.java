package io.jkeras.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads libfm / libsvm files of one-hot rows: {@code label id:value id:value ...}, one row per
 * line, the label {@code +1}/{@code 1} (a click) or {@code -1}/{@code 0} (none), ids global
 * non-negative integers, every value 1. The i-th pair of a row is field i, so every row has the
 * same number of pairs (Frappe: 10). Blank lines are skipped.
 *
 * <p>Every problem is a {@link DataFormatException} naming the file, line and field, thrown before
 * any rows are returned: an empty file, a line with another number of pairs than the first (or than
 * {@link Builder#fields}), a pair that is not {@code id:value}, a label that is not ±1/0/1, a value
 * other than 1, an id at or above {@link Builder#idBound}, a line longer than {@link
 * Builder#maxLineLength}.
 *
 * <pre>{@code
 * LibfmReader reader = LibfmReader.builder().fields(10).idBound(5382).build();
 * ClickData train = reader.read(Path.of("../shared/datasets/frappe/frappe.validation.libfm"));
 * }</pre>
 */
public final class LibfmReader {

  private final int fields;
  private final int idBound;
  private final int maxLineLength;

  private LibfmReader(Builder b) {
    this.fields = b.fields;
    this.idBound = b.idBound;
    this.maxLineLength = b.maxLineLength;
  }

  /**
   * A builder of a reader; without {@link Builder#fields} the first data line fixes the field
   * count.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Reads every row of {@code file}. */
  public ClickData read(Path file) {
    RowCollector rows = new RowCollector();
    scan(file, rows);
    if (rows.count() == 0) {
      throw new DataFormatException(file, 0, -1, "the file holds no rows");
    }
    return rows.toClickData();
  }

  /**
   * Parses {@code file} line by line and hands each row to {@code sink} (its arrays are reused
   * between rows); returns the number of rows. A bad line throws before its row reaches the sink.
   */
  long scan(Path file, RowSink sink) {
    try (InputStream in = Files.newInputStream(file)) {
      return scan(new LineReader(in, file, maxLineLength), file, sink);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read libfm file " + file + ": " + e, e);
    }
  }

  private long scan(LineReader in, Path file, RowSink sink) throws IOException {
    int width = fields;
    int[] ids = width < 0 ? null : new int[width];
    float[] none = new float[0];
    long rows = 0;
    long lineNo = 0;
    String line;
    while ((line = in.next(lineNo + 1)) != null) {
      lineNo++;
      String[] parts = line.trim().split("\\s+");
      if (parts.length == 1 && parts[0].isEmpty()) {
        continue;
      }
      int pairs = parts.length - 1;
      if (width < 0) {
        if (pairs == 0) {
          throw new DataFormatException(
              file, lineNo, -1, "a row with a label and no id:value pair");
        }
        width = pairs;
        ids = new int[width];
      }
      if (pairs != width) {
        throw new DataFormatException(
            file,
            lineNo,
            -1,
            "expected "
                + width
                + " id:value pairs (one per field"
                + (fields < 0 ? ", as on the first row" : "")
                + "), got "
                + pairs);
      }
      float label = label(parts[0], file, lineNo);
      for (int f = 0; f < width; f++) {
        ids[f] = id(parts[f + 1], file, lineNo, f);
      }
      sink.row(ids, none, label);
      rows++;
    }
    return rows;
  }

  private static float label(String s, Path file, long line) {
    double v;
    try {
      v = Double.parseDouble(s);
    } catch (NumberFormatException e) {
      v = Double.NaN;
    }
    if (v == 1) {
      return 1f;
    }
    if (v == -1 || v == 0) {
      return 0f;
    }
    throw new DataFormatException(
        file, line, -1, "the label must be +1, 1, -1 or 0, got \"" + s + "\"");
  }

  private int id(String pair, Path file, long line, int field) {
    int colon = pair.indexOf(':');
    if (colon <= 0 || colon == pair.length() - 1) {
      throw new DataFormatException(
          file, line, field, "expected an id:value pair, got \"" + pair + "\"");
    }
    long id;
    try {
      id = Long.parseLong(pair.substring(0, colon));
    } catch (NumberFormatException e) {
      if (!pair.substring(0, colon).matches("[+-]?[0-9]+")) {
        throw new DataFormatException(
            file, line, field, "the id must be a whole number, got \"" + pair + "\"");
      }
      id = -1; // a whole number beyond a long: out of range, reported below
    }
    if (id < 0 || id >= Integer.MAX_VALUE || (idBound >= 0 && id >= idBound)) {
      throw new DataFormatException(
          file,
          line,
          field,
          "id "
              + pair.substring(0, colon)
              + " is out of range [0, "
              + (idBound >= 0 ? idBound : Integer.MAX_VALUE)
              + ")");
    }
    String value = pair.substring(colon + 1);
    double v;
    try {
      v = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      v = Double.NaN;
    }
    if (v != 1) {
      throw new DataFormatException(
          file,
          line,
          field,
          "the value must be 1 (one-hot rows), got \""
              + value
              + "\" in \""
              + pair
              + "\"; weighted libfm values are not supported");
    }
    return (int) id;
  }

  /** Options of {@link LibfmReader}. */
  public static final class Builder {
    private int fields = -1;
    private int idBound = -1;
    private int maxLineLength = 1 << 20;

    private Builder() {}

    /** The number of pairs (fields) every row must have; by default the first row's. */
    public Builder fields(int fields) {
      if (fields <= 0) {
        throw new IllegalArgumentException("LibfmReader: fields must be positive, got " + fields);
      }
      this.fields = fields;
      return this;
    }

    /** Ids must be below this (an embedding table's rows); unbounded by default. */
    public Builder idBound(int idBound) {
      if (idBound <= 0) {
        throw new IllegalArgumentException("LibfmReader: idBound must be positive, got " + idBound);
      }
      this.idBound = idBound;
      return this;
    }

    /**
     * The longest line, in characters, the reader accepts (default 1 Mi); a longer one is a {@link
     * DataFormatException} before it is held in memory.
     */
    public Builder maxLineLength(int chars) {
      if (chars <= 0) {
        throw new IllegalArgumentException(
            "LibfmReader: maxLineLength must be positive, got " + chars);
      }
      this.maxLineLength = chars;
      return this;
    }

    /** The reader with these options. */
    public LibfmReader build() {
      return new LibfmReader(this);
    }

    /** Shorthand for {@code build().read(file)}. */
    public ClickData read(Path file) {
      return build().read(file);
    }
  }
}

package io.jkeras.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads CSV or TSV click logs with a header line, a 0/1 (or ±1) label column, categorical columns
 * and numeric columns; other columns are ignored. Fields may be double-quoted ({@code "a,b"}, with
 * {@code ""} for a quote).
 *
 * <p>A categorical column either gets a vocabulary built on the training file by {@link #fit}
 * (values seen at least {@code minCount} times, by descending count then value; id 0 of the field
 * is the out-of-vocabulary id every other value, in training or later, maps to) or is hashed into a
 * fixed number of bins with 64-bit FNV-1a over the value's UTF-8 bytes. The ids are written in the
 * shared id space of the {@link Features} that {@link Fitted#features()} describes.
 *
 * <p>Bad input is a {@link DataFormatException} naming file, line and column, before any rows are
 * returned: an empty file, a missing declared column or one the header names twice, a line with
 * another number of columns than the header, a label that is not ±1/0/1, a numeric value that is
 * not a finite number (empty included), a line longer than {@link Builder#maxLineLength}.
 *
 * <pre>{@code
 * CsvReader csv = CsvReader.builder().separator('\t').label("clicked")
 *     .categorical("user").hashed("ad", 1 << 16).numeric("price").build();
 * CsvReader.Fitted fitted = csv.fit(Path.of("train.tsv"));
 * ClickData train = fitted.read(Path.of("train.tsv"));
 * ClickData test = fitted.read(Path.of("test.tsv"));     // unseen users -> the OOV id
 * Model m = CtrModels.deepFm(fitted.features().withEmbeddingDim(16)).build();
 * }</pre>
 */
public final class CsvReader {

  private final char separator;
  private final String label;
  private final Map<String, Integer> categorical; // name -> hashing bins, or 0 for a vocabulary
  private final List<String> numeric;
  private final int minCount;
  private final int embeddingDim;
  private final int maxLineLength;

  private CsvReader(Builder b) {
    if (b.label == null) {
      throw new IllegalArgumentException("CsvReader: name the label column with label(...)");
    }
    if (b.categorical.isEmpty()) {
      throw new IllegalArgumentException("CsvReader: declare at least one categorical column");
    }
    if (b.categorical.containsKey(b.label) || b.numeric.contains(b.label)) {
      throw new IllegalArgumentException(
          "CsvReader: column \""
              + b.label
              + "\" is the label and cannot also be a feature (the model would read the answer)");
    }
    this.separator = b.separator;
    this.label = b.label;
    this.categorical = new LinkedHashMap<>(b.categorical);
    this.numeric = List.copyOf(b.numeric);
    this.minCount = b.minCount;
    this.embeddingDim = b.embeddingDim;
    this.maxLineLength = b.maxLineLength;
  }

  /**
   * A builder of a reader: declare the label column, then the categorical and numeric columns to
   * use.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds the vocabularies of the categorical columns from {@code trainFile}. */
  public Fitted fit(Path trainFile) {
    List<Map<String, Integer>> counts = new ArrayList<>();
    for (int i = 0; i < categorical.size(); i++) {
      counts.add(new HashMap<>());
    }
    int fieldCount = categorical.size();
    scan(
        trainFile,
        (cells, columns, line) -> {
          // Checked here too, so that a bad training file fails before anything is built.
          label(cells[columns[columns.length - 1]], trainFile, line, columns[columns.length - 1]);
          for (int n = fieldCount; n < columns.length - 1; n++) {
            number(cells[columns[n]], trainFile, line, columns[n]);
          }
          int f = 0;
          for (Map.Entry<String, Integer> c : categorical.entrySet()) {
            if (c.getValue() == 0) {
              counts.get(f).merge(cells[columns[f]], 1, Integer::sum);
            }
            f++;
          }
        });
    List<Map<String, Integer>> vocabularies = new ArrayList<>();
    Features.Builder fb = Features.builder(embeddingDim);
    int f = 0;
    for (Map.Entry<String, Integer> c : categorical.entrySet()) {
      if (c.getValue() > 0) {
        vocabularies.add(null);
        fb.hashed(c.getKey(), c.getValue());
      } else {
        List<Map.Entry<String, Integer>> kept = new ArrayList<>();
        for (Map.Entry<String, Integer> e : counts.get(f).entrySet()) {
          if (e.getValue() >= minCount) {
            kept.add(e);
          }
        }
        kept.sort(
            (a, b) ->
                a.getValue().equals(b.getValue())
                    ? a.getKey().compareTo(b.getKey())
                    : Integer.compare(b.getValue(), a.getValue()));
        Map<String, Integer> vocab = new HashMap<>();
        for (Map.Entry<String, Integer> e : kept) {
          vocab.put(e.getKey(), vocab.size() + 1); // 0 is the out-of-vocabulary id
        }
        vocabularies.add(vocab);
        fb.categorical(c.getKey(), vocab.size() + 1);
      }
      f++;
    }
    for (String n : numeric) {
      fb.numeric(n);
    }
    return new Fitted(vocabularies, fb.build());
  }

  /** 64-bit FNV-1a of the UTF-8 bytes of {@code value}, reduced to {@code [0, bins)}. */
  static int hashBin(String value, int bins) {
    long h = 0xcbf29ce484222325L;
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return (int) Long.remainderUnsigned(h, bins);
  }

  /** The vocabularies fitted on a training file; reads any file with the same columns. */
  public final class Fitted {
    private final List<Map<String, Integer>> vocabularies;
    private final Features features;

    private Fitted(List<Map<String, Integer>> vocabularies, Features features) {
      this.vocabularies = vocabularies;
      this.features = features;
    }

    /** The fields (vocabulary sizes, hashing bins) and numeric columns, in declaration order. */
    public Features features() {
      return features;
    }

    /** The vocabulary size (with the OOV id) or bins of categorical column {@code name}. */
    public int size(String name) {
      for (Features.Field f : features.fields()) {
        if (f.name().equals(name)) {
          return f.size();
        }
      }
      throw new IllegalArgumentException("CsvReader: no categorical column \"" + name + "\"");
    }

    /** Reads every row of {@code file} into ids in the shared id space. */
    public ClickData read(Path file) {
      RowCollector rows = new RowCollector();
      scanRows(file, rows);
      return rows.toClickData();
    }

    /**
     * Parses {@code file} line by line and hands each row, as ids in the shared id space, to {@code
     * sink} (its arrays are reused between rows); returns the number of rows.
     */
    long scanRows(Path file, RowSink sink) {
      int fields = features.fieldCount();
      int nums = numeric.size();
      int[] ids = new int[fields];
      float[] values = new float[nums];
      long[] rows = {0};
      scan(
          file,
          (cells, columns, line) -> {
            float label = label(cells[columns[fields + nums]], file, line, columns[fields + nums]);
            for (int f = 0; f < fields; f++) {
              Features.Field field = features.fields().get(f);
              String v = cells[columns[f]];
              Map<String, Integer> vocab = vocabularies.get(f);
              int local = vocab == null ? hashBin(v, field.size()) : vocab.getOrDefault(v, 0);
              ids[f] = field.offset() + local;
            }
            for (int n = 0; n < nums; n++) {
              int col = columns[fields + n];
              values[n] = number(cells[col], file, line, col);
            }
            sink.row(ids, values, label);
            rows[0]++;
          });
      return rows[0];
    }
  }

  private interface CellSink {
    /** {@code columns}: the cell index of each categorical, then numeric column, then the label. */
    void accept(String[] cells, int[] columns, long line);
  }

  private void scan(Path file, CellSink sink) {
    try (InputStream stream = Files.newInputStream(file)) {
      LineReader in = new LineReader(stream, file, maxLineLength);
      String header = in.next(1);
      if (header == null || header.isBlank()) {
        throw new DataFormatException(file, 0, -1, "the file is empty (expected a header line)");
      }
      String[] names = split(header, file, 1);
      List<String> wanted = new ArrayList<>(categorical.keySet());
      wanted.addAll(numeric);
      wanted.add(label);
      int[] columns = new int[wanted.size()];
      for (int i = 0; i < columns.length; i++) {
        columns[i] = Arrays.asList(names).indexOf(wanted.get(i));
        if (columns[i] < 0) {
          throw new DataFormatException(
              file,
              1,
              -1,
              "no column \"" + wanted.get(i) + "\" in the header " + Arrays.toString(names));
        }
        int again = Arrays.asList(names).lastIndexOf(wanted.get(i));
        if (again != columns[i]) {
          throw new DataFormatException(
              file,
              1,
              again,
              "column \""
                  + wanted.get(i)
                  + "\" appears twice in the header (columns "
                  + columns[i]
                  + " and "
                  + again
                  + "), so which one to read is ambiguous");
        }
      }
      long lineNo = 1;
      long rows = 0;
      String line;
      while ((line = in.next(lineNo + 1)) != null) {
        lineNo++;
        if (line.isEmpty()) {
          continue;
        }
        String[] cells = split(line, file, lineNo);
        if (cells.length != names.length) {
          throw new DataFormatException(
              file,
              lineNo,
              -1,
              "expected " + names.length + " columns (as in the header), got " + cells.length);
        }
        sink.accept(cells, columns, lineNo);
        rows++;
      }
      if (rows == 0) {
        throw new DataFormatException(file, 0, -1, "the file holds a header and no rows");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file + ": " + e, e);
    }
  }

  private String[] split(String line, Path file, long lineNo) {
    List<String> cells = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cur.append(c);
        }
      } else if (c == '"' && cur.length() == 0) {
        quoted = true;
      } else if (c == separator) {
        cells.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    if (quoted) {
      throw new DataFormatException(
          file, lineNo, cells.size(), "a quoted value is not closed before the end of the line");
    }
    cells.add(cur.toString());
    return cells.toArray(new String[0]);
  }

  private static float label(String s, Path file, long line, int column) {
    double v;
    try {
      v = Double.parseDouble(s.trim());
    } catch (NumberFormatException e) {
      v = Double.NaN;
    }
    if (v == 1) {
      return 1f;
    }
    if (v == 0 || v == -1) {
      return 0f;
    }
    throw new DataFormatException(
        file, line, column, "the label must be 1, 0, +1 or -1, got \"" + s + "\"");
  }

  private static float number(String s, Path file, long line, int column) {
    try {
      float v = Float.parseFloat(s.trim());
      if (Float.isFinite(v)) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new DataFormatException(
        file, line, column, "expected a finite number, got \"" + s + "\"");
  }

  /** Columns and options of a {@link CsvReader}. */
  public static final class Builder {
    private char separator = ',';
    private String label;
    private final Map<String, Integer> categorical = new LinkedHashMap<>();
    private final List<String> numeric = new ArrayList<>();
    private int minCount = 1;
    private int embeddingDim = 8;
    private int maxLineLength = 1 << 20;

    private Builder() {}

    /** {@code ','} (default) or {@code '\t'} for TSV. */
    public Builder separator(char separator) {
      this.separator = separator;
      return this;
    }

    /** The column that holds the click label, 0/1 or -1/+1 (required). */
    public Builder label(String column) {
      this.label = column;
      return this;
    }

    /** A categorical column with a vocabulary built on the training file. */
    public Builder categorical(String column) {
      return declare(column, 0);
    }

    /** A categorical column hashed into {@code bins} ids. */
    public Builder hashed(String column, int bins) {
      if (bins <= 0) {
        throw new IllegalArgumentException(
            "CsvReader: hashing bins of \"" + column + "\" must be positive, got " + bins);
      }
      return declare(column, bins);
    }

    /**
     * A numeric (float) column fed to the model as is.
     *
     * @throws IllegalArgumentException if the column is already declared
     */
    public Builder numeric(String column) {
      if (numeric.contains(column) || categorical.containsKey(column)) {
        throw new IllegalArgumentException("CsvReader: column \"" + column + "\" declared twice");
      }
      numeric.add(column);
      return this;
    }

    /** Vocabulary values seen fewer times in training map to the OOV id (default 1). */
    public Builder minCount(int minCount) {
      if (minCount < 1) {
        throw new IllegalArgumentException("CsvReader: minCount must be >= 1, got " + minCount);
      }
      this.minCount = minCount;
      return this;
    }

    /** The embedding size written into the fitted {@link Features} (default 8). */
    public Builder embeddingDim(int embeddingDim) {
      this.embeddingDim = embeddingDim;
      return this;
    }

    /**
     * The longest line, in characters, the reader accepts (default 1 Mi); a longer one is a {@link
     * DataFormatException} before it is held in memory.
     */
    public Builder maxLineLength(int chars) {
      if (chars <= 0) {
        throw new IllegalArgumentException(
            "CsvReader: maxLineLength must be positive, got " + chars);
      }
      this.maxLineLength = chars;
      return this;
    }

    private Builder declare(String column, int bins) {
      if (numeric.contains(column) || categorical.containsKey(column)) {
        throw new IllegalArgumentException("CsvReader: column \"" + column + "\" declared twice");
      }
      categorical.put(column, bins);
      return this;
    }

    /**
     * The reader with these columns and options.
     *
     * @throws IllegalArgumentException if no label column was named, or the label column is also
     *     declared as a feature
     */
    public CsvReader build() {
      return new CsvReader(this);
    }
  }
}

package io.jkeras.data;

import io.jkeras.io.AtomicFile;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A Criteo-like click log of any length, for scale and memory benchmarks: {@code categoricalFields}
 * categorical columns whose ids follow a bounded Zipf law, {@code numericColumns} count-like
 * numeric columns, and labels drawn from a hidden factorization machine over them, so that a CTR
 * model has something real to learn.
 *
 * <p>The hidden model: each (field, id) has a weight {@code w ~ N(0, 0.5²)} and a latent vector
 * {@code v ~ N(0, 0.35²)^latentDim}, derived from the seed, field and id (no table is stored, so a
 * billion-id vocabulary costs nothing); numeric column n adds {@code β_n · (log1p(x_n) − μ_n)}.
 * {@code P(click) = sigmoid(b + Σ w + Σ_{i<j} <v_i, v_j> + numeric terms)}, with the bias {@code b}
 * set so that about {@code positiveRate} of the rows are clicks. Ids of field f are drawn with
 * {@code P(rank r) ∝ r^-s} over {@code vocabularySizes[f]} ranks (a continuous inverse-CDF
 * approximation of the discrete law).
 *
 * <p>Formats: TSV with a header ({@code label, I1..In, C1..Cf}; categorical values as 8-digit hex
 * strings, as Criteo's), read with {@link CsvReader} and hashing; or libfm with one-hot ids in one
 * global id space (field f's ids start at the sum of the earlier vocabulary sizes; numeric columns
 * are not written), read with {@link LibfmReader}. Files are written atomically.
 *
 * <pre>{@code
 * SyntheticClicks clicks = SyntheticClicks.builder().rows(10_000_000).seed(7).build();
 * clicks.writeTsv(Path.of("clicks.tsv"));
 * SyntheticClicks.builder().rows(1_000_000).firstRow(10_000_000).seed(7).build()
 *     .writeTsv(Path.of("test.tsv"));                  // the next million rows
 * CsvReader.Builder csv = clicks.csvReader(1 << 20);   // hashed C1..C26, numeric I1..I13
 * }</pre>
 */
public final class SyntheticClicks {

  private final long rows;
  private final long firstRow;
  private final long seed;
  private final int[] vocabularySizes;
  private final int numericColumns;
  private final double zipfExponent;
  private final int latentDim;
  private final double bias;

  private SyntheticClicks(Builder b) {
    this.rows = b.rows;
    this.firstRow = b.firstRow;
    this.seed = b.seed;
    this.vocabularySizes = b.vocabularySizes.clone();
    this.numericColumns = b.numericColumns;
    this.zipfExponent = b.zipfExponent;
    this.latentDim = b.latentDim;
    this.bias = calibrate(b.positiveRate);
  }

  /** Options with Criteo's shape: 26 categorical fields, 13 numeric columns, 1,000 rows. */
  public static Builder builder() {
    return new Builder();
  }

  /** The number of rows written. */
  public long rows() {
    return rows;
  }

  /** The vocabulary size (number of distinct ids) of each categorical field. */
  public int[] vocabularySizes() {
    return vocabularySizes.clone();
  }

  /** The size of the global id space of the libfm format (the sum of the vocabulary sizes). */
  public long idBound() {
    long n = 0;
    for (int v : vocabularySizes) {
      n += v;
    }
    return n;
  }

  /**
   * A CSV reader for the TSV format: label {@code label}, categorical {@code C1..} hashed into
   * {@code bins} bins each, numeric {@code I1..}.
   */
  public CsvReader.Builder csvReader(int bins) {
    CsvReader.Builder b = CsvReader.builder().separator('\t').label("label");
    for (int f = 0; f < vocabularySizes.length; f++) {
      b.hashed("C" + (f + 1), bins);
    }
    for (int n = 0; n < numericColumns; n++) {
      b.numeric("I" + (n + 1));
    }
    return b;
  }

  /** Writes the rows as TSV with a header line; returns the share of clicks written. */
  public double writeTsv(Path file) {
    return write(file, true);
  }

  /** Writes the rows as one-hot libfm ({@code label id:1 ...}); returns the share of clicks. */
  public double writeLibfm(Path file) {
    return write(file, false);
  }

  private double write(Path file, boolean tsv) {
    long[] clicks = {0};
    try {
      AtomicFile.write(
          file,
          temporary -> {
            try (Writer w =
                new BufferedWriter(
                    new OutputStreamWriter(
                        Files.newOutputStream(temporary), StandardCharsets.UTF_8),
                    1 << 16)) {
              if (tsv) {
                writeHeader(w);
              }
              Row row = new Row();
              StringBuilder line = new StringBuilder(256);
              for (long r = firstRow; r < firstRow + rows; r++) {
                // Each row its own generator: row r is the same in any file that holds it.
                row.draw(
                    new SplittableRandom(
                        mix(seed ^ 0x632BE59BD9B4E019L, (int) (r >>> 32), (int) r)));
                clicks[0] += row.label;
                line.setLength(0);
                if (tsv) {
                  formatTsv(row, line);
                } else {
                  formatLibfm(row, line);
                }
                w.append(line);
              }
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("SyntheticClicks: cannot write " + file + ": " + e, e);
    }
    return rows == 0 ? 0 : (double) clicks[0] / rows;
  }

  private void writeHeader(Writer w) throws IOException {
    StringBuilder h = new StringBuilder("label");
    for (int n = 0; n < numericColumns; n++) {
      h.append("\tI").append(n + 1);
    }
    for (int f = 0; f < vocabularySizes.length; f++) {
      h.append("\tC").append(f + 1);
    }
    w.append(h).append('\n');
  }

  private void formatTsv(Row row, StringBuilder line) {
    line.append(row.label);
    for (int n = 0; n < numericColumns; n++) {
      line.append('\t').append(row.counts[n]);
    }
    for (int f = 0; f < vocabularySizes.length; f++) {
      // Criteo-style opaque value: 8 hex digits, distinct per (field, id).
      int token = (int) mix(seed ^ 0x5bd1e995L, f, row.ids[f]);
      String hex = Integer.toHexString(token);
      line.append('\t');
      for (int pad = hex.length(); pad < 8; pad++) {
        line.append('0');
      }
      line.append(hex);
    }
    line.append('\n');
  }

  private void formatLibfm(Row row, StringBuilder line) {
    line.append(row.label);
    long offset = 0;
    for (int f = 0; f < vocabularySizes.length; f++) {
      line.append(' ').append(offset + row.ids[f]).append(":1");
      offset += vocabularySizes[f];
    }
    line.append('\n');
  }

  /** The bias that makes the mean click probability of a sample of rows {@code positiveRate}. */
  private double calibrate(double positiveRate) {
    int sample = 20_000;
    double[] logits = new double[sample];
    Row row = new Row();
    SplittableRandom random = new SplittableRandom(seed ^ 0x2545F4914F6CDD1DL);
    for (int i = 0; i < sample; i++) {
      row.draw(random);
      logits[i] = row.logitWithoutBias;
    }
    double lo = -30;
    double hi = 30;
    for (int it = 0; it < 60; it++) {
      double mid = (lo + hi) / 2;
      double mean = 0;
      for (double z : logits) {
        mean += 1 / (1 + Math.exp(-(z + mid)));
      }
      if (mean / sample < positiveRate) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return (lo + hi) / 2;
  }

  /** A 64-bit mix of the seed, field and id (SplitMix64's finalizer over their combination). */
  private static long mix(long seed, int field, int id) {
    long z = seed + 0x9E3779B97F4A7C15L * (((long) field << 32) ^ (id & 0xffffffffL) ^ 0x1234567L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** One drawn row and its hidden FM logit; reused between rows. */
  private final class Row {
    final int[] ids = new int[vocabularySizes.length];
    final long[] counts = new long[numericColumns];
    final double[] sum = new double[latentDim];
    int label;
    double logitWithoutBias;

    void draw(SplittableRandom random) {
      Arrays.fill(sum, 0);
      double linear = 0;
      double squares = 0;
      for (int f = 0; f < ids.length; f++) {
        int id = zipf(random.nextDouble(), vocabularySizes[f]);
        ids[f] = id;
        SplittableRandom hidden = new SplittableRandom(mix(seed, f, id));
        linear += 0.5 * gaussian(hidden);
        for (int d = 0; d < latentDim; d++) {
          double v = 0.35 * gaussian(hidden);
          sum[d] += v;
          squares += v * v;
        }
      }
      double pairs = -squares;
      for (double s : sum) {
        pairs += s * s;
      }
      double numeric = 0;
      for (int n = 0; n < numericColumns; n++) {
        double mu = 1 + (n % 5);
        double logCount = mu + gaussian(random);
        long count = Math.max(0, (long) Math.floor(Math.expm1(Math.max(0, logCount))));
        counts[n] = count;
        double beta = ((n % 3) - 1) * 0.3;
        numeric += beta * (Math.log1p(count) - mu);
      }
      logitWithoutBias = linear + 0.5 * pairs + numeric;
      double p = 1 / (1 + Math.exp(-(logitWithoutBias + bias)));
      label = random.nextDouble() < p ? 1 : 0;
    }

    private int zipf(double u, int n) {
      double s = zipfExponent;
      double x;
      if (Math.abs(s - 1) < 1e-9) {
        x = Math.exp(u * Math.log(n + 1.0));
      } else {
        double a = Math.pow(n + 1.0, 1 - s);
        x = Math.pow((a - 1) * u + 1, 1 / (1 - s));
      }
      return (int) Math.min(n - 1, Math.max(0, (long) Math.floor(x) - 1));
    }
  }

  private static double gaussian(SplittableRandom random) {
    // Box-Muller; SplittableRandom has no nextGaussian before Java 17's RandomGenerator default.
    double u1 = 1 - random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Options of {@link SyntheticClicks}. */
  public static final class Builder {
    private long rows = 1_000;
    private long firstRow;
    private long seed = 1;
    private int[] vocabularySizes = criteoLikeSizes();
    private int numericColumns = 13;
    private double zipfExponent = 1.1;
    private int latentDim = 4;
    private double positiveRate = 0.25;

    private Builder() {}

    /**
     * 26 fields whose vocabularies range from 4 to 10 million ids, in the spread of Criteo's day-0
     * columns.
     */
    private static int[] criteoLikeSizes() {
      return new int[] {
        1_460,
        583,
        10_000_000,
        2_000_000,
        305,
        24,
        12_517,
        633,
        3,
        93_145,
        5_683,
        8_351_593,
        3_194,
        27,
        14_992,
        5_461_306,
        10,
        5_652,
        2_173,
        4,
        7_046_547,
        18,
        15,
        286_181,
        105,
        142_572
      };
    }

    /** Rows to write (default 1,000). */
    public Builder rows(long rows) {
      if (rows < 0) {
        throw new IllegalArgumentException("SyntheticClicks: rows must be >= 0, got " + rows);
      }
      this.rows = rows;
      return this;
    }

    /**
     * The index of the first row written (default 0): a test file of the same seed starts where the
     * training file ends, so both come from one hidden model and share no row.
     */
    public Builder firstRow(long firstRow) {
      if (firstRow < 0) {
        throw new IllegalArgumentException(
            "SyntheticClicks: firstRow must be >= 0, got " + firstRow);
      }
      this.firstRow = firstRow;
      return this;
    }

    /** The seed of the ids, counts, hidden model and labels (default 1). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** The vocabulary size of each categorical field (default: 26 Criteo-like sizes). */
    public Builder vocabularySizes(int... sizes) {
      if (sizes.length == 0) {
        throw new IllegalArgumentException("SyntheticClicks: give at least one categorical field");
      }
      for (int s : sizes) {
        if (s <= 0) {
          throw new IllegalArgumentException(
              "SyntheticClicks: vocabulary sizes must be > 0, got " + Arrays.toString(sizes));
        }
      }
      this.vocabularySizes = sizes.clone();
      return this;
    }

    /** The number of numeric columns (default 13). */
    public Builder numericColumns(int columns) {
      if (columns < 0) {
        throw new IllegalArgumentException(
            "SyntheticClicks: numericColumns must be >= 0, got " + columns);
      }
      this.numericColumns = columns;
      return this;
    }

    /** The Zipf exponent s of the id ranks (default 1.1; larger is more skewed). */
    public Builder zipfExponent(double s) {
      if (!(s > 0)) {
        throw new IllegalArgumentException("SyntheticClicks: zipfExponent must be > 0, got " + s);
      }
      this.zipfExponent = s;
      return this;
    }

    /** The latent size of the hidden FM (default 4). */
    public Builder latentDim(int dim) {
      if (dim < 0) {
        throw new IllegalArgumentException("SyntheticClicks: latentDim must be >= 0, got " + dim);
      }
      this.latentDim = dim;
      return this;
    }

    /** The share of clicks the bias is calibrated to (default 0.25, about Criteo's). */
    public Builder positiveRate(double rate) {
      if (!(rate > 0 && rate < 1)) {
        throw new IllegalArgumentException(
            "SyntheticClicks: positiveRate must be in (0, 1), got " + rate);
      }
      this.positiveRate = rate;
      return this;
    }

    /** The generator. */
    public SyntheticClicks build() {
      return new SyntheticClicks(this);
    }
  }
}

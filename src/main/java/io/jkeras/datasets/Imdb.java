package io.jkeras.datasets;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Loader of the IMDB movie review sentiment dataset (Maas et al., ACL 2011) from the official
 * {@code aclImdb_v1.tar.gz} archive, with Keras-style conventions.
 *
 * <p><b>Archive.</b> The reviews are read straight from the gzipped tar (nothing is extracted):
 * entries {@code .../{train,test}/{pos,neg}/<id>_<rating>.txt}, UTF-8; {@code pos} is label 1,
 * {@code neg} label 0. Everything else ({@code train/unsup}, {@code .feat} files, {@code
 * urls_*.txt}, the README and {@code imdb.vocab}) is ignored. An uncompressed {@code .tar} is
 * accepted as well. The archive is found by {@link #resolveArchive()}: the {@value #ENV_VAR}
 * environment variable, else {@code ~/.jkeras/datasets/aclImdb_v1.tar.gz}, which is downloaded from
 * {@link #OFFICIAL_URL} (and checked against {@link #OFFICIAL_SHA256}) the first time.
 *
 * <p><b>Tokens.</b> A review is lowercased ({@link Locale#ROOT}), every {@code <br />} is replaced
 * by a space, and its tokens are the maximal runs of {@code [a-z0-9']}. Words are ranked by their
 * number of occurrences in the <em>training</em> reviews, most frequent first (rank 1), ties in
 * ascending {@link String} order; {@link ImdbData#wordIndex()} holds these ranks.
 *
 * <p><b>Ids.</b> A review becomes {@code [1, rank(w1) + 3, rank(w2) + 3, ...]}; an id at or above
 * {@code numWords}, and any word absent from the training reviews, becomes 2; then the sequence is
 * padded with 0 or truncated <em>at the front</em> to {@code maxLen} (the last {@code maxLen} ids
 * are kept), like Keras {@code pad_sequences} with its defaults.
 *
 * <p><b>Order.</b> Deterministic: within each split, all {@code neg} reviews then all {@code pos}
 * reviews, each by ascending numeric id. Keras shuffles with seed 113; call {@link
 * ImdbData#shuffled(long)} for a seeded shuffle (its permutation differs from Keras').
 *
 * <pre>{@code
 * ImdbData data = Imdb.load(Path.of("aclImdb_v1.tar.gz"), 20_000, 200);
 * int[][] x = data.xTrain();   // [25000][200]
 * float[] y = data.yTrain();   // 12,500 zeros then 12,500 ones
 * ImdbData mixed = data.shuffled(113);
 * }</pre>
 */
public final class Imdb {

  /** The official archive. */
  public static final URI OFFICIAL_URL =
      URI.create("https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz");

  /**
   * SHA-256 of the official {@code aclImdb_v1.tar.gz} (84,125,825 bytes), as published by the many
   * dataset libraries that pin it; a download must match it exactly or it is discarded. It was not
   * recomputed here (no internet access where this was written).
   */
  public static final String OFFICIAL_SHA256 =
      "c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe";

  /** Environment variable holding the path of the archive. */
  public static final String ENV_VAR = "JKERAS_IMDB";

  /** File name of the archive in the cache folder. */
  public static final String ARCHIVE_NAME = "aclImdb_v1.tar.gz";

  /** Padding id. */
  public static final int PAD_ID = 0;

  /** Id that starts every review. */
  public static final int START_ID = 1;

  /** Id of out-of-vocabulary words. */
  public static final int OOV_ID = 2;

  /** Offset between a word's rank and its id. */
  public static final int INDEX_FROM = 3;

  private static final Pattern REVIEW =
      Pattern.compile("(?:.*/)?(train|test)/(pos|neg)/([0-9]+)_([0-9]+)\\.txt");

  private Imdb() {}

  /**
   * Loads the dataset from the archive found by {@link #resolveArchive()}, downloading it on first
   * use.
   *
   * @see #load(Path, int, int)
   */
  public static ImdbData load(int numWords, int maxLen) throws IOException {
    checkArgs(numWords, maxLen);
    return load(resolveArchive(), numWords, maxLen);
  }

  /**
   * Loads the dataset from {@code archive} (no checksum check).
   *
   * @param archive the {@code aclImdb_v1.tar.gz} (or a tar.gz with the same layout)
   * @param numWords ids at or above this become {@link #OOV_ID}; at least 3
   * @param maxLen length of every row; at least 1
   * @throws IOException if the archive is missing, unreadable, corrupt or holds no training or no
   *     test reviews
   * @throws IllegalArgumentException if {@code numWords < 3} or {@code maxLen < 1}
   */
  public static ImdbData load(Path archive, int numWords, int maxLen) throws IOException {
    Objects.requireNonNull(archive, "archive");
    checkArgs(numWords, maxLen);
    if (!Files.isRegularFile(archive)) {
      throw new NoSuchFileException(
          archive.toString(),
          null,
          "IMDB archive not found (expected a file like " + ARCHIVE_NAME + ")");
    }
    Corpus corpus = readCorpus(archive);
    return corpus.toData(numWords, maxLen);
  }

  /**
   * Finds the archive: the {@value #ENV_VAR} environment variable if set, else {@code
   * ~/.jkeras/datasets/aclImdb_v1.tar.gz}, downloading the official archive there if absent.
   *
   * @throws IOException if {@value #ENV_VAR} names a missing file, or the download fails
   */
  public static Path resolveArchive() throws IOException {
    Path cache = Path.of(System.getProperty("user.home"), ".jkeras", "datasets", ARCHIVE_NAME);
    return resolveArchive(System.getenv(ENV_VAR), cache, OFFICIAL_URL, OFFICIAL_SHA256, System.err);
  }

  /** {@link #resolveArchive()} with every input injectable, for tests. */
  static Path resolveArchive(
      String envValue, Path cacheFile, URI url, String sha256, PrintStream progress)
      throws IOException {
    if (envValue != null && !envValue.isBlank()) {
      Path p = Path.of(envValue);
      if (!Files.isRegularFile(p)) {
        throw new NoSuchFileException(p.toString(), null, ENV_VAR + " is set but names no file");
      }
      return p;
    }
    if (!Files.isRegularFile(cacheFile)) {
      Downloads.download(url, cacheFile, sha256, progress);
    }
    return cacheFile;
  }

  /**
   * Splits a text into tokens exactly as the loader does (see the class documentation).
   *
   * <pre>{@code
   * Imdb.tokenize("Isn't it GREAT?<br />10/10") // [isn't, it, great, 10, 10]
   * }</pre>
   */
  public static List<String> tokenize(String text) {
    List<String> tokens = new ArrayList<>();
    String s = normalize(text);
    int n = s.length();
    int i = 0;
    while (i < n) {
      while (i < n && !isTokenChar(s.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && isTokenChar(s.charAt(i))) {
        i++;
      }
      if (i > start) {
        tokens.add(s.substring(start, i));
      }
    }
    return tokens;
  }

  /** Id of the word with the given rank (0 = unknown word) under {@code numWords}. */
  static int idOf(int rank, int numWords) {
    if (rank <= 0) {
      return OOV_ID;
    }
    long id = (long) rank + INDEX_FROM;
    return id < numWords ? (int) id : OOV_ID;
  }

  private static void checkArgs(int numWords, int maxLen) {
    if (numWords < 3) {
      throw new IllegalArgumentException(
          "numWords must be >= 3 (ids 0-2 are reserved), got " + numWords);
    }
    if (maxLen < 1) {
      throw new IllegalArgumentException("maxLen must be >= 1, got " + maxLen);
    }
  }

  /** Lowercases and replaces {@code <br />}; the tokens are then the runs of token chars. */
  static String normalize(String text) {
    return text.toLowerCase(Locale.ROOT).replace("<br />", " ");
  }

  private static boolean isTokenChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '\'';
  }

  // ---------------------------------------------------------------------------------------------
  // Reading

  /** One review: label, numeric id, and its words as slots of the {@link WordTable}. */
  private record Review(int label, long id, int[] slots) {}

  private static final Comparator<Review> ORDER =
      Comparator.comparingInt(Review::label).thenComparingLong(Review::id);

  /** Everything read from the archive, before ranking. */
  private static final class Corpus {
    final WordTable table = new WordTable();
    int[] trainCounts = new int[1 << 17];
    final List<Review> train = new ArrayList<>(25_000);
    final List<Review> test = new ArrayList<>(25_000);

    /** Tokenizes one review (UTF-8) into slots, counting the words of training reviews. */
    int[] add(byte[] utf8, boolean isTrain) {
      int[] slots = table.tokenize(utf8);
      if (trainCounts.length < table.size()) {
        trainCounts = Arrays.copyOf(trainCounts, Math.max(table.size(), trainCounts.length * 2));
      }
      if (isTrain) {
        for (int slot : slots) {
          trainCounts[slot]++;
        }
      }
      return slots;
    }

    ImdbData toData(int numWords, int maxLen) {
      // Rank the words seen in training: count descending, then word ascending.
      int nWords = table.size();
      String[] words = new String[nWords];
      Integer[] order = new Integer[nWords];
      int ranked = 0;
      for (int slot = 0; slot < nWords; slot++) {
        if (trainCounts[slot] > 0) {
          words[slot] = table.word(slot);
          order[ranked++] = slot;
        }
      }
      int[] counts = trainCounts;
      Arrays.sort(
          order,
          0,
          ranked,
          (a, b) ->
              counts[a] != counts[b]
                  ? Integer.compare(counts[b], counts[a])
                  : words[a].compareTo(words[b]));
      int[] idOfSlot = new int[nWords];
      Arrays.fill(idOfSlot, OOV_ID);
      Map<String, Integer> wordIndex = new LinkedHashMap<>(ranked * 4 / 3 + 1);
      for (int r = 0; r < ranked; r++) {
        int slot = order[r];
        wordIndex.put(words[slot], r + 1);
        idOfSlot[slot] = idOf(r + 1, numWords);
      }
      return new ImdbData(
          rows(train, idOfSlot, maxLen),
          labels(train),
          rows(test, idOfSlot, maxLen),
          labels(test),
          Collections.unmodifiableMap(wordIndex),
          numWords,
          maxLen);
    }

    private static int[][] rows(List<Review> reviews, int[] idOfSlot, int maxLen) {
      int[][] x = new int[reviews.size()][];
      for (int r = 0; r < x.length; r++) {
        int[] slots = reviews.get(r).slots();
        int n = slots.length;
        int[] row = new int[maxLen];
        if (n + 1 <= maxLen) {
          int at = maxLen - n - 1;
          row[at++] = START_ID;
          for (int slot : slots) {
            row[at++] = idOfSlot[slot];
          }
        } else {
          // The full sequence is [1, slots...]; keep its last maxLen ids.
          for (int k = 0, j = n - maxLen; k < maxLen; k++, j++) {
            row[k] = idOfSlot[slots[j]];
          }
        }
        x[r] = row;
      }
      return x;
    }

    private static float[] labels(List<Review> reviews) {
      float[] y = new float[reviews.size()];
      for (int r = 0; r < y.length; r++) {
        y[r] = reviews.get(r).label();
      }
      return y;
    }
  }

  private static Corpus readCorpus(Path archive) throws IOException {
    Corpus corpus = new Corpus();
    String source = archive.toString();
    try (TarReader tar = new TarReader(open(archive), source)) {
      for (TarReader.Entry e = tar.next(); e != null; e = tar.next()) {
        if (!e.isFile()) {
          continue;
        }
        Matcher m = REVIEW.matcher(e.name());
        if (!m.matches()) {
          continue;
        }
        boolean isTrain = m.group(1).equals("train");
        int label = m.group(2).equals("pos") ? 1 : 0;
        long id;
        try {
          id = Long.parseLong(m.group(3));
        } catch (NumberFormatException ex) {
          throw new IOException(source + ": review id out of range in entry " + e.name(), ex);
        }
        int[] slots = corpus.add(tar.readContent(), isTrain);
        (isTrain ? corpus.train : corpus.test).add(new Review(label, id, slots));
      }
      tar.drain(); // lets gunzip verify its CRC and length trailer
    }
    if (corpus.train.isEmpty() || corpus.test.isEmpty()) {
      throw new IOException(
          source
              + ": expected training and test reviews (entries like"
              + " aclImdb/train/pos/<id>_<rating>.txt and aclImdb/test/neg/<id>_<rating>.txt),"
              + " found "
              + corpus.train.size()
              + " training and "
              + corpus.test.size()
              + " test reviews");
    }
    sortAndCheck(corpus.train, source, "train");
    sortAndCheck(corpus.test, source, "test");
    return corpus;
  }

  private static void sortAndCheck(List<Review> reviews, String source, String split)
      throws IOException {
    reviews.sort(ORDER);
    for (int i = 1; i < reviews.size(); i++) {
      Review a = reviews.get(i - 1);
      Review b = reviews.get(i);
      if (a.label() == b.label() && a.id() == b.id()) {
        throw new IOException(
            source
                + ": review "
                + split
                + "/"
                + (a.label() == 1 ? "pos" : "neg")
                + "/"
                + a.id()
                + "_* appears more than once");
      }
    }
  }

  /** Opens a .tar.gz (or plain .tar) for streaming, with buffering on both sides of gunzip. */
  private static InputStream open(Path archive) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
    try {
      raw.mark(2);
      int b0 = raw.read();
      int b1 = raw.read();
      raw.reset();
      if (b0 == 0x1f && b1 == 0x8b) {
        return new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
      }
      return raw;
    } catch (IOException e) {
      raw.close();
      throw new IOException(archive + ": cannot read the gzip header: " + e.getMessage(), e);
    }
  }
}

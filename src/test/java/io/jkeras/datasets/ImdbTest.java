package io.jkeras.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loader on a small archive built by the test, with hand-checked expectations. */
class ImdbTest {

  /** Train pos review 4, stored under a > 100 character name (GNU long name entry). */
  static final String LONG_NAME = "aclImdb/train/pos/" + "0".repeat(100) + "4_10.txt";

  /**
   * A small archive in the official layout, entries deliberately out of order, with the files the
   * loader must ignore.
   */
  static TarBuilder smallArchive() {
    return new TarBuilder()
        .dir("aclImdb/")
        .file("aclImdb/README", "Large Movie Review Dataset v1.0 bad bad bad")
        .file("aclImdb/imdb.vocab", "the\nand\nbad\n")
        .dir("aclImdb/test/")
        .dir("aclImdb/test/pos/")
        .prefixFile("aclImdb/test", "pos/5_8.txt", "A great UNSEEN movie<BR />fun")
        .dir("aclImdb/test/neg/")
        .file("aclImdb/test/neg/12_1.txt", "")
        .file("aclImdb/test/neg/3_4.txt", "bad.  Not 10/10")
        .file("aclImdb/test/labeledBow.feat", "0:1 1:2")
        .dir("aclImdb/train/")
        .dir("aclImdb/train/pos/")
        .file(LONG_NAME, "GREAT great fun; the movie's score: 9/10.")
        .file("aclImdb/train/pos/1_9.txt", "Great movie!<br />I'd watch it again in 2024.")
        .dir("aclImdb/train/unsup/")
        .file("aclImdb/train/unsup/0_0.txt", "unsup unsup unsup bad")
        .file("aclImdb/train/urls_pos.txt", "http://www.imdb.com/title/tt0453418/usercomments")
        .dir("aclImdb/train/neg/")
        .file("aclImdb/train/neg/10_1.txt", "bad bad movie")
        .paxFile("aclImdb/train/neg/2_2.txt", "Not good.<br/>Not fun at ALL!")
        .file(
            "aclImdb/train/neg/0_3.txt",
            "This movie was BAD.<br /><br />Really bad, isn't it? 10/10 would not watch.");
  }

  /** Vocabulary in rank order: counts 4, 3 (x4), 2 (x3), 1 (x17), ties in String order. */
  static final List<String> VOCAB =
      List.of(
          "bad", "10", "great", "movie", "not", "fun", "it", "watch", "2024", "9", "again", "all",
          "at", "br", "good", "i'd", "in", "isn't", "movie's", "really", "score", "the", "this",
          "was", "would");

  /**
   * Unpadded sequences with numWords large: train neg 0, 2, 10; pos 1, 4; test neg 3, 12; pos 5.
   */
  static final int[][] FULL = {
    {1, 26, 7, 27, 4, 23, 4, 21, 10, 5, 5, 28, 8, 11},
    {1, 8, 18, 17, 8, 9, 16, 15},
    {1, 4, 4, 7},
    {1, 6, 7, 19, 11, 10, 14, 20, 12},
    {1, 6, 6, 9, 25, 22, 24, 13, 5},
    {1, 4, 8, 5, 5},
    {1},
    {1, 2, 6, 2, 7, 9},
  };

  @TempDir Path dir;

  private Path archive() throws IOException {
    return smallArchive().writeTarGz(dir.resolve("small.tar.gz"));
  }

  @Test
  void vocabularyRanksByTrainingCountThenWord() throws IOException {
    ImdbData data = Imdb.load(archive(), 1000, 20);
    assertEquals(VOCAB, new ArrayList<>(data.wordIndex().keySet()));
    for (int i = 0; i < VOCAB.size(); i++) {
      assertEquals(i + 1, data.wordIndex().get(VOCAB.get(i)), VOCAB.get(i));
    }
    // Test-only, unsup-only and README words are not in the vocabulary.
    assertTrue(
        !data.wordIndex().containsKey("unseen")
            && !data.wordIndex().containsKey("unsup")
            && !data.wordIndex().containsKey("a")
            && !data.wordIndex().containsKey("dataset"));
    assertThrows(UnsupportedOperationException.class, () -> data.wordIndex().put("x", 1));
  }

  @Test
  void exactSequencesLabelsAndOrder() throws IOException {
    ImdbData data = Imdb.load(archive(), 1000, 20);
    assertArrayEquals(Sequences.padSequences(Arrays.copyOfRange(FULL, 0, 5), 20), data.xTrain());
    assertArrayEquals(Sequences.padSequences(Arrays.copyOfRange(FULL, 5, 8), 20), data.xTest());
    assertArrayEquals(
        new int[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 4, 8, 5, 5}, data.xTest()[0]);
    assertArrayEquals(new float[] {0, 0, 0, 1, 1}, data.yTrain());
    assertArrayEquals(new float[] {0, 0, 1}, data.yTest());
    assertEquals(1000, data.numWords());
    assertEquals(20, data.maxLen());
  }

  @Test
  void prePaddingAndPreTruncation() throws IOException {
    ImdbData data = Imdb.load(archive(), 1000, 10);
    assertArrayEquals(
        new int[][] {
          {4, 23, 4, 21, 10, 5, 5, 28, 8, 11},
          {0, 0, 1, 8, 18, 17, 8, 9, 16, 15},
          {0, 0, 0, 0, 0, 0, 1, 4, 4, 7},
          {0, 1, 6, 7, 19, 11, 10, 14, 20, 12},
          {0, 1, 6, 6, 9, 25, 22, 24, 13, 5},
        },
        data.xTrain());
    assertArrayEquals(
        new int[][] {
          {0, 0, 0, 0, 0, 1, 4, 8, 5, 5},
          {0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
          {0, 0, 0, 0, 1, 2, 6, 2, 7, 9},
        },
        data.xTest());
    // maxLen equal to a review's full length keeps its start id.
    assertArrayEquals(FULL[1], Imdb.load(archive(), 1000, 8).xTrain()[1]);
    assertArrayEquals(new int[] {7}, Imdb.load(archive(), 1000, 1).xTrain()[2]);
  }

  @Test
  void idsAtOrAboveNumWordsBecomeOov() throws IOException {
    ImdbData data = Imdb.load(archive(), 8, 10); // keeps ids 4..7: bad, 10, great, movie
    assertArrayEquals(
        new int[][] {
          {4, 2, 4, 2, 2, 5, 5, 2, 2, 2},
          {0, 0, 1, 2, 2, 2, 2, 2, 2, 2},
          {0, 0, 0, 0, 0, 0, 1, 4, 4, 7},
          {0, 1, 6, 7, 2, 2, 2, 2, 2, 2},
          {0, 1, 6, 6, 2, 2, 2, 2, 2, 5},
        },
        data.xTrain());
    assertArrayEquals(
        new int[][] {
          {0, 0, 0, 0, 0, 1, 4, 2, 5, 5},
          {0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
          {0, 0, 0, 0, 1, 2, 6, 2, 7, 2},
        },
        data.xTest());
    assertEquals(VOCAB.size(), data.wordIndex().size(), "the vocabulary is not cut by numWords");
    ImdbData minimal = Imdb.load(archive(), 3, 4);
    assertArrayEquals(new int[] {1, 2, 2, 2}, minimal.xTrain()[2]);
    assertArrayEquals(new int[] {2, 2, 2, 2}, minimal.xTrain()[0]);
    assertArrayEquals(new int[] {0, 0, 0, 1}, minimal.xTest()[1]);
  }

  @Test
  void tokenizer() {
    assertEquals(
        List.of("isn't", "it", "great", "10", "10"), Imdb.tokenize("Isn't it GREAT?<br />10/10"));
    // Only the exact "<br />" (after lowercasing) is replaced; other spellings leave "br".
    assertEquals(
        List.of("a", "b", "br", "c", "br", "d", "e"),
        Imdb.tokenize("a<BR />b<br/>c<br  />d<br />e"));
    // Non-ASCII letters separate tokens; '_' and '-' too; apostrophes stay inside tokens.
    assertEquals(
        List.of("caf", "cr", "me", "well", "known", "snake", "case", "'quoted'", "''"),
        Imdb.tokenize("Café Crème well-known snake_case 'quoted' ''"));
    // Locale.ROOT lowercasing: the Kelvin sign becomes k; dotted capital I becomes i + U+0307,
    // and the combining dot then splits the word.
    assertEquals(
        List.of("kelvin", "i", "stanbul", "i"), Imdb.tokenize("\u212Aelvin \u0130stanbul I"));
    assertEquals(List.of(), Imdb.tokenize(" ,.!<br /> "));
  }

  @Test
  void encodeAndDecodeUseTheLoadedVocabulary() throws IOException {
    ImdbData data = Imdb.load(archive(), 8, 6);
    assertArrayEquals(new int[] {0, 1, 4, 2, 6, 2}, data.encode("BAD, unseen great fun"));
    assertArrayEquals(data.xTrain()[2], data.encode("bad bad movie"));
    assertEquals("<start> bad <oov> great <oov>", data.decode(new int[] {0, 1, 4, 2, 6, 2}));
    ImdbData wide = Imdb.load(archive(), 1000, 20);
    assertEquals("<start> bad not 10 10", wide.decode(wide.xTest()[0]));
  }

  @Test
  void shuffledIsASeededPermutationOfRowsWithTheirLabels() throws IOException {
    ImdbData data = Imdb.load(archive(), 1000, 20);
    ImdbData a = data.shuffled(113);
    ImdbData b = data.shuffled(113);
    assertArrayEquals(a.xTrain(), b.xTrain());
    assertArrayEquals(a.yTest(), b.yTest());
    Set<String> before = new HashSet<>();
    Set<String> after = new HashSet<>();
    for (int i = 0; i < data.xTrain().length; i++) {
      before.add(Arrays.toString(data.xTrain()[i]) + data.yTrain()[i]);
      after.add(Arrays.toString(a.xTrain()[i]) + a.yTrain()[i]);
    }
    assertEquals(before, after);
    assertArrayEquals(new float[] {0, 0, 0, 1, 1}, data.yTrain(), "the original is unchanged");
    boolean anyDifferent = false;
    for (long seed = 0; seed < 5 && !anyDifferent; seed++) {
      anyDifferent = !Arrays.deepEquals(data.xTrain(), data.shuffled(seed).xTrain());
    }
    assertTrue(anyDifferent);
  }

  @Test
  void argumentErrorsNameExpectedAndActual() throws IOException {
    Path archive = archive();
    IllegalArgumentException words =
        assertThrows(IllegalArgumentException.class, () -> Imdb.load(archive, 2, 10));
    assertEquals("numWords must be >= 3 (ids 0-2 are reserved), got 2", words.getMessage());
    IllegalArgumentException len =
        assertThrows(IllegalArgumentException.class, () -> Imdb.load(archive, 100, 0));
    assertEquals("maxLen must be >= 1, got 0", len.getMessage());
  }

  @Test
  void missingArchiveNamesThePath() {
    Path missing = dir.resolve("nope.tar.gz");
    NoSuchFileException e =
        assertThrows(NoSuchFileException.class, () -> Imdb.load(missing, 100, 10));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("IMDB archive not found"), e.getMessage());
  }

  @Test
  void archiveWithoutReviewsIsRejected() throws IOException {
    Path noTest =
        new TarBuilder()
            .file("aclImdb/train/pos/1_9.txt", "good")
            .file("aclImdb/train/unsup/2_0.txt", "meh")
            .writeTarGz(dir.resolve("no-test.tar.gz"));
    IOException e = assertThrows(IOException.class, () -> Imdb.load(noTest, 100, 10));
    assertTrue(
        e.getMessage().startsWith(noTest + ": expected training and test reviews"), e.getMessage());
    assertTrue(e.getMessage().endsWith("found 1 training and 0 test reviews"), e.getMessage());

    Path empty = Files.write(dir.resolve("empty.tar.gz"), TarBuilder.gzip(new byte[1024]));
    IOException e2 = assertThrows(IOException.class, () -> Imdb.load(empty, 100, 10));
    assertTrue(e2.getMessage().endsWith("found 0 training and 0 test reviews"), e2.getMessage());
  }

  @Test
  void duplicateReviewIsRejected() throws IOException {
    Path dup =
        new TarBuilder()
            .file("aclImdb/train/pos/1_9.txt", "good")
            .file("aclImdb/train/pos/1_8.txt", "good again")
            .file("aclImdb/test/pos/1_9.txt", "good")
            .writeTarGz(dir.resolve("dup.tar.gz"));
    IOException e = assertThrows(IOException.class, () -> Imdb.load(dup, 100, 10));
    assertTrue(
        e.getMessage().contains("review train/pos/1_* appears more than once"), e.getMessage());
  }

  @Test
  void plainTarIsAcceptedToo() throws IOException {
    Path tar = Files.write(dir.resolve("small.tar"), smallArchive().tar());
    ImdbData data = Imdb.load(tar, 1000, 10);
    assertArrayEquals(Imdb.load(archive(), 1000, 10).xTrain(), data.xTrain());
  }

  @Test
  void truncatedOrCorruptGzipFailsClearlyAndQuickly() throws IOException {
    byte[] gz = smallArchive().tarGz();
    int[] cuts = {1, 5, 10, 20, gz.length / 3, gz.length / 2, gz.length - 9, gz.length - 1};
    for (int cut : cuts) {
      Path truncated = Files.write(dir.resolve("cut-" + cut + ".tar.gz"), Arrays.copyOf(gz, cut));
      IOException e =
          assertTimeoutPreemptively(
              Duration.ofSeconds(10),
              () -> assertThrows(IOException.class, () -> Imdb.load(truncated, 100, 10)),
              "cut at " + cut);
      assertTrue(e.getMessage().contains(truncated.toString()), e.getMessage());
    }
    byte[] flipped = gz.clone();
    for (int i = gz.length / 2; i < gz.length / 2 + 16; i++) {
      flipped[i] ^= (byte) 0x5a;
    }
    Path corrupt = Files.write(dir.resolve("corrupt.tar.gz"), flipped);
    IOException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10),
            () -> assertThrows(IOException.class, () -> Imdb.load(corrupt, 100, 10)));
    assertTrue(e.getMessage().contains(corrupt.toString()), e.getMessage());
  }
}

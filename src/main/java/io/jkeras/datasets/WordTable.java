package io.jkeras.datasets;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fast path of the IMDB tokenizer: scans UTF-8 review bytes and interns each token into a
 * numbered slot of an open-addressing hash table, without a String per token.
 *
 * <p>It produces exactly the tokens of {@link Imdb#tokenize(String)}. Pure-ASCII reviews (nearly
 * all of them) are lowercased byte by byte and {@code <br />} is skipped while scanning (the same
 * as replacing it by a space, since {@code <} and {@code >} separate tokens anyway). A review with
 * any other byte goes through the String path (UTF-8 decoding, {@code toLowerCase(Locale.ROOT)},
 * replacement) so that Unicode lowercasing stays exact, and is then scanned the same way. Tokens
 * are always ASCII, so a slot's word is stored as its bytes.
 */
final class WordTable {

  private static final boolean[] TOKEN = new boolean[128];

  static {
    for (char c = 'a'; c <= 'z'; c++) {
      TOKEN[c] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      TOKEN[c] = true;
    }
    TOKEN['\''] = true;
  }

  private byte[][] words = new byte[1 << 16][];
  private int[] hashes = new int[1 << 16];
  private int size;

  /** Slot + 1 per bucket, 0 for empty; the capacity is a power of two, at most half full. */
  private int[] buckets = new int[1 << 17];

  private int[] buffer = new int[1024];

  /** Number of distinct words seen. */
  int size() {
    return size;
  }

  /** The word in a slot. */
  String word(int slot) {
    return new String(words[slot], StandardCharsets.ISO_8859_1);
  }

  /**
   * Tokenizes one review and returns the slots of its tokens in order, adding new words.
   *
   * @param utf8 the review's bytes; a pure-ASCII array is lowercased in place
   */
  int[] tokenize(byte[] utf8) {
    byte[] s = normalize(utf8);
    int n = s.length;
    int count = 0;
    int i = 0;
    while (i < n) {
      byte c = s[i];
      if (TOKEN[c]) {
        int start = i;
        int h = 0;
        do {
          h = 31 * h + c;
          i++;
        } while (i < n && TOKEN[c = s[i]]);
        if (count == buffer.length) {
          buffer = Arrays.copyOf(buffer, count * 2);
        }
        buffer[count++] = slotOf(s, start, i, h);
      } else if (c == '<'
          && i + 6 <= n
          && s[i + 1] == 'b'
          && s[i + 2] == 'r'
          && s[i + 3] == ' '
          && s[i + 4] == '/'
          && s[i + 5] == '>') {
        i += 6;
      } else {
        i++;
      }
    }
    return Arrays.copyOf(buffer, count);
  }

  /**
   * Returns lowercased ASCII bytes in which every non-token character of the normalized text is
   * ASCII (so the scanner may index {@link #TOKEN} directly).
   */
  private static byte[] normalize(byte[] utf8) {
    for (byte b : utf8) {
      if (b < 0) {
        String text = Imdb.normalize(new String(utf8, StandardCharsets.UTF_8));
        byte[] out = new byte[text.length()];
        for (int i = 0; i < out.length; i++) {
          char c = text.charAt(i);
          out[i] = c < 128 && TOKEN[c] ? (byte) c : (byte) ' ';
        }
        return out;
      }
    }
    for (int i = 0; i < utf8.length; i++) {
      byte b = utf8[i];
      if (b >= 'A' && b <= 'Z') {
        utf8[i] = (byte) (b + ('a' - 'A'));
      }
    }
    return utf8;
  }

  private int slotOf(byte[] s, int from, int to, int hash) {
    int mask = buckets.length - 1;
    int b = mix(hash) & mask;
    int len = to - from;
    while (true) {
      int entry = buckets[b];
      if (entry == 0) {
        break;
      }
      int slot = entry - 1;
      if (hashes[slot] == hash
          && words[slot].length == len
          && Arrays.equals(words[slot], 0, len, s, from, to)) {
        return slot;
      }
      b = (b + 1) & mask;
    }
    int slot = size++;
    if (slot == words.length) {
      words = Arrays.copyOf(words, slot * 2);
      hashes = Arrays.copyOf(hashes, slot * 2);
    }
    words[slot] = Arrays.copyOfRange(s, from, to);
    hashes[slot] = hash;
    buckets[b] = slot + 1;
    if (size * 2 > buckets.length) {
      rehash();
    }
    return slot;
  }

  private void rehash() {
    int[] bigger = new int[buckets.length * 2];
    int mask = bigger.length - 1;
    for (int slot = 0; slot < size; slot++) {
      int b = mix(hashes[slot]) & mask;
      while (bigger[b] != 0) {
        b = (b + 1) & mask;
      }
      bigger[b] = slot + 1;
    }
    buckets = bigger;
  }

  private static int mix(int h) {
    h *= 0x9E3779B9;
    return h ^ (h >>> 15);
  }
}

package io.jkeras.cli;

import io.jkeras.data.SyntheticClicks;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * {@code jkeras clicks}: writes a synthetic Criteo-like click log ({@link SyntheticClicks}) for
 * scale and memory runs, and prints the {@code jkeras ctr} options that read it.
 */
final class ClicksCommand {

  static final String HELP =
      String.join(
          "\n",
          "usage: jkeras clicks --rows N --out FILE [options]",
          "",
          "Writes a synthetic Criteo-like click log: 26 categorical fields with Zipf-distributed",
          "ids, 13 count-like numeric columns, labels from a hidden factorization machine.",
          "",
          "options:",
          "  --rows N         rows to write (required)",
          "  --out FILE       the file; .tsv (header label,I1..I13,C1..C26) or .libfm (one-hot",
          "                   ids in one id space, no numeric columns)",
          "  --vocab N        ids per categorical field (default: Criteo-like sizes, 3 to 10^7)",
          "  --zipf S         Zipf exponent of the ids (default 1.1)",
          "  --seed N         (default 1)",
          "  --first-row N    index of the first row (default 0): a test file of the same seed",
          "                   and --first-row equal to the training rows shares its hidden model",
          "  --help           this text");

  int run(String[] args) {
    Arguments a =
        new Arguments(
            "clicks",
            args,
            Set.of("rows", "out", "vocab", "zipf", "seed", "first-row"),
            Set.of("help"));
    if (a.has("help")) {
      System.out.println(HELP);
      return 0;
    }
    if (!a.has("rows") || !a.has("out")) {
      throw new Arguments.UsageException("clicks: give --rows N and --out FILE");
    }
    long rows = wholeNumber(a, "rows", 1, Long.MAX_VALUE);
    Path out = Path.of(a.get("out", null));
    String name = out.getFileName() == null ? "" : out.getFileName().toString();
    boolean tsv = name.endsWith(".tsv");
    if (!tsv && !name.endsWith(".libfm")) {
      throw new Arguments.UsageException(
          "clicks: --out must end in .tsv or .libfm, got \"" + name + "\"");
    }
    checkWritable(out);
    SyntheticClicks.Builder b = SyntheticClicks.builder().rows(rows).seed(a.getInt("seed", 1));
    if (a.has("vocab")) {
      int[] sizes = new int[26];
      Arrays.fill(sizes, (int) wholeNumber(a, "vocab", 1, Integer.MAX_VALUE));
      b.vocabularySizes(sizes);
    }
    if (a.has("first-row")) {
      b.firstRow(wholeNumber(a, "first-row", 0, Long.MAX_VALUE));
    }
    if (a.has("zipf")) {
      String zipf = a.get("zipf", null);
      double s;
      try {
        s = Double.parseDouble(zipf);
      } catch (NumberFormatException e) {
        throw new Arguments.UsageException(
            "clicks: --zipf: expected a number > 0, got \"" + zipf + "\"");
      }
      if (!(s > 0) || Double.isInfinite(s)) {
        throw new Arguments.UsageException(
            "clicks: --zipf: expected a number > 0, got \"" + zipf + "\"");
      }
      b.zipfExponent(s);
    }
    SyntheticClicks clicks = b.build();
    long t0 = System.nanoTime();
    double rate;
    try {
      // Written to a temporary file that replaces --out only when complete.
      rate = tsv ? clicks.writeTsv(out) : clicks.writeLibfm(out);
    } catch (UncheckedIOException e) {
      throw new Arguments.UsageException(
          "clicks: --out: cannot write " + out + ": " + e.getCause().getMessage());
    }
    System.out.printf(
        Locale.ROOT,
        "wrote %,d rows to %s in %.1f s (%.1f%% clicks)%n",
        rows,
        out,
        (System.nanoTime() - t0) / 1e9,
        100 * rate);
    if (tsv) {
      String categorical =
          IntStream.rangeClosed(1, 26).mapToObj(i -> "C" + i).collect(Collectors.joining(","));
      String numeric =
          IntStream.rangeClosed(1, 13).mapToObj(i -> "I" + i).collect(Collectors.joining(","));
      System.out.println(
          "read it with: jkeras ctr --train "
              + out
              + " --test TEST.tsv --label label --categorical "
              + categorical
              + " --numeric "
              + numeric
              + " --hash-bins N");
    } else {
      System.out.println("id space: " + clicks.idBound() + " ids over 26 fields");
    }
    return 0;
  }

  /**
   * Option {@code name} as a whole number from {@code min} to {@code max} ({@code _} separators
   * allowed).
   */
  private static long wholeNumber(Arguments a, String name, long min, long max) {
    String text = a.get(name, null);
    long value;
    try {
      value = Long.parseLong(text.replace("_", ""));
    } catch (NumberFormatException e) {
      value = Long.MIN_VALUE;
    }
    if (value < min || value > max) {
      throw new Arguments.UsageException(
          "clicks: --"
              + name
              + ": expected a whole number "
              + (max == Long.MAX_VALUE ? ">= " + min : "from " + min + " to " + max)
              + ", got \""
              + text
              + "\"");
    }
    return value;
  }

  /** Refuses an {@code --out} whose folder is missing or not writable, before any row is drawn. */
  private static void checkWritable(Path out) {
    Path folder = out.toAbsolutePath().getParent();
    if (Files.isDirectory(out)) {
      throw new Arguments.UsageException(
          "clicks: --out: expected a file, got the folder \"" + out + "\"");
    }
    if (!Files.isDirectory(folder)) {
      throw new Arguments.UsageException(
          "clicks: --out: expected an existing folder for "
              + out.getFileName()
              + ", got \""
              + folder
              + "\", which "
              + (Files.exists(folder) ? "is not a folder" : "does not exist"));
    }
    if (!Files.isWritable(folder)) {
      throw new Arguments.UsageException(
          "clicks: --out: expected a writable folder, got \"" + folder + "\" (not writable)");
    }
  }
}

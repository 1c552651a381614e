package io.jkeras.datasets;

import io.jkeras.io.AtomicFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Downloads a dataset file into a cache folder: into a temporary file next to the target, with a
 * progress bar, SHA-256 verification and an atomic move into place, so the target path either does
 * not exist or holds the complete, verified file.
 */
final class Downloads {

  private static final int BUFFER = 1 << 16;
  private static final int BAR_WIDTH = 30;

  private Downloads() {}

  /**
   * Downloads {@code url} to {@code target}.
   *
   * @param url the file to fetch (http or https; redirects are followed)
   * @param target where the verified file ends up; its folder is created if needed
   * @param expectedSha256 lowercase or uppercase hex SHA-256 the content must have
   * @param progress where the progress bar goes (usually {@code System.err}), or null for none
   * @throws IOException on HTTP errors, short downloads and checksum mismatches; no file is left
   *     behind in those cases
   */
  static void download(URI url, Path target, String expectedSha256, PrintStream progress)
      throws IOException {
    AtomicFile.writeCreatingFolder(
        target, tmp -> fetch(url, tmp, target, expectedSha256, progress));
  }

  /** Streams {@code url} into {@code tmp}, checking its length and SHA-256. */
  private static void fetch(
      URI url, Path tmp, Path target, String expectedSha256, PrintStream progress)
      throws IOException {
    HttpClient client =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(30))
            .build();
    HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(2)).GET().build();
    HttpResponse<InputStream> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("download of " + url + " was interrupted");
    } catch (IOException e) {
      // A refused or unresolvable connection often comes without a message of its own.
      throw new IOException(
          "download of " + url + " failed: " + (e.getMessage() == null ? e : e.getMessage()), e);
    }
    MessageDigest sha = sha256();
    long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
    long received = 0;
    try (InputStream in = response.body();
        OutputStream out = Files.newOutputStream(tmp)) {
      if (response.statusCode() != 200) {
        throw new IOException(
            "download of "
                + url
                + " failed: HTTP status "
                + response.statusCode()
                + " (expected 200)");
      }
      ProgressBar bar = new ProgressBar(progress, target.getFileName().toString(), total);
      byte[] buf = new byte[BUFFER];
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        sha.update(buf, 0, n);
        received += n;
        bar.update(received);
      }
      bar.finish(received);
    }
    if (total >= 0 && received != total) {
      throw new IOException(
          "download of "
              + url
              + " is incomplete: received "
              + received
              + " of "
              + total
              + " bytes");
    }
    String actual = HexFormat.of().formatHex(sha.digest());
    if (!actual.equalsIgnoreCase(expectedSha256)) {
      throw new IOException(
          "checksum mismatch for "
              + url
              + " ("
              + received
              + " bytes): "
              + "expected sha256 "
              + expectedSha256.toLowerCase(Locale.ROOT)
              + ", actual "
              + actual
              + "; the download was discarded");
    }
  }

  /** SHA-256 of a file, as lowercase hex. */
  static String sha256(Path file) throws IOException {
    MessageDigest sha = sha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[BUFFER];
      int n;
      while ((n = in.read(buf)) >= 0) {
        sha.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }

  /** A one-line progress bar redrawn with carriage returns, at most once per percent. */
  private static final class ProgressBar {
    private final PrintStream out;
    private final String label;
    private final long total;
    private long lastShown = -1;

    ProgressBar(PrintStream out, String label, long total) {
      this.out = out;
      this.label = label;
      this.total = total;
    }

    void update(long received) {
      if (out == null) {
        return;
      }
      // Redraw on each new percent, or each new MiB when the size is unknown.
      long step = total > 0 ? received * 100 / total : received >> 20;
      if (step != lastShown) {
        lastShown = step;
        draw(received);
      }
    }

    void finish(long received) {
      if (out == null) {
        return;
      }
      draw(received);
      out.println();
      out.flush();
    }

    private void draw(long received) {
      StringBuilder line = new StringBuilder("\rDownloading ").append(label).append(' ');
      if (total > 0) {
        int percent = (int) Math.min(100, received * 100 / total);
        int filled = percent * BAR_WIDTH / 100;
        line.append('[')
            .append("=".repeat(filled))
            .append(" ".repeat(BAR_WIDTH - filled))
            .append("] ")
            .append(String.format(Locale.ROOT, "%3d%% ", percent))
            .append(received)
            .append('/')
            .append(total)
            .append(" bytes");
      } else {
        line.append(received).append(" bytes");
      }
      out.print(line);
      out.flush();
    }
  }
}

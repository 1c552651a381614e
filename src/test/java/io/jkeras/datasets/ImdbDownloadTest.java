package io.jkeras.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The download-into-cache path, against a loopback HTTP server (no internet needed). */
class ImdbDownloadTest {

  @TempDir Path dir;

  private HttpServer server;
  private byte[] archive;
  private String sha256;
  private final AtomicInteger requests = new AtomicInteger();
  private final ByteArrayOutputStream progressBytes = new ByteArrayOutputStream();
  private final PrintStream progress = new PrintStream(progressBytes, true, StandardCharsets.UTF_8);

  @BeforeEach
  void startServer() throws Exception {
    // Big enough for several progress updates.
    TarBuilder tar = ImdbTest.smallArchive();
    byte[] noise = new byte[300_000];
    new java.util.Random(1).nextBytes(noise);
    tar.file("aclImdb/train/unsup/noise.bin", noise);
    archive = tar.tarGz();
    sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(archive));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/data/aclImdb_v1.tar.gz",
        exchange -> {
          requests.incrementAndGet();
          exchange.sendResponseHeaders(200, archive.length);
          try (OutputStream out = exchange.getResponseBody()) {
            for (int off = 0; off < archive.length; off += 10_000) {
              out.write(archive, off, Math.min(10_000, archive.length - off));
            }
          }
        });
    server.createContext(
        "/missing",
        exchange -> {
          requests.incrementAndGet();
          exchange.sendResponseHeaders(404, -1);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  private List<Path> cacheFiles(Path cacheDir) throws IOException {
    if (!Files.exists(cacheDir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(cacheDir)) {
      return s.toList();
    }
  }

  @Test
  void downloadsOnceIntoTheCacheAndVerifiesTheChecksum() throws IOException {
    Path cacheDir = dir.resolve("home/.jkeras/datasets");
    Path cached = cacheDir.resolve(Imdb.ARCHIVE_NAME);

    Path resolved =
        Imdb.resolveArchive(
            null, cached, url("/data/aclImdb_v1.tar.gz"), sha256.toUpperCase(), progress);
    assertEquals(cached, resolved);
    assertArrayEquals(archive, Files.readAllBytes(cached));
    assertEquals(List.of(cached), cacheFiles(cacheDir), "no temporary file is left behind");
    assertEquals(1, requests.get());
    String bar = progressBytes.toString(StandardCharsets.UTF_8);
    assertTrue(bar.contains("100% " + archive.length + "/" + archive.length + " bytes"), bar);
    assertTrue(bar.contains("\r") && bar.endsWith(System.lineSeparator()), bar);

    // Second resolution uses the cache without any request, and the data loads.
    assertEquals(
        cached,
        Imdb.resolveArchive(
            null, cached, url("/data/aclImdb_v1.tar.gz"), "0".repeat(64), progress));
    assertEquals(1, requests.get());
    assertArrayEquals(new float[] {0, 0, 0, 1, 1}, Imdb.load(resolved, 100, 10).yTrain());
  }

  @Test
  void checksumMismatchFailsAndLeavesNothingBehind() {
    Path cacheDir = dir.resolve("cache");
    Path cached = cacheDir.resolve(Imdb.ARCHIVE_NAME);
    String wrong = "ab".repeat(32);
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                Imdb.resolveArchive(null, cached, url("/data/aclImdb_v1.tar.gz"), wrong, progress));
    assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    assertTrue(
        e.getMessage().contains("expected sha256 " + wrong + ", actual " + sha256), e.getMessage());
    assertFalse(Files.exists(cached));
    assertDoesNotLeaveFiles(cacheDir);
  }

  @Test
  void refusedConnectionNamesTheUrlAndLeavesNothingBehind() throws IOException {
    Path cacheDir = dir.resolve("cache");
    Path cached = cacheDir.resolve(Imdb.ARCHIVE_NAME);
    int port;
    try (java.net.ServerSocket closed = new java.net.ServerSocket(0)) {
      port = closed.getLocalPort(); // nothing listens there once it is closed
    }
    URI nowhere = URI.create("http://127.0.0.1:" + port + "/data/aclImdb_v1.tar.gz");
    IOException e =
        assertThrows(
            IOException.class, () -> Imdb.resolveArchive(null, cached, nowhere, sha256, progress));
    assertTrue(
        e.getMessage().contains("download of " + nowhere + " failed: ")
            && e.getMessage().contains("ConnectException")
            && !e.getMessage().endsWith("null"),
        e.getMessage());
    assertDoesNotLeaveFiles(cacheDir);
  }

  @Test
  void httpErrorFailsAndLeavesNothingBehind() {
    Path cacheDir = dir.resolve("cache");
    Path cached = cacheDir.resolve(Imdb.ARCHIVE_NAME);
    IOException e =
        assertThrows(
            IOException.class,
            () -> Imdb.resolveArchive(null, cached, url("/missing"), sha256, progress));
    assertTrue(e.getMessage().contains("HTTP status 404"), e.getMessage());
    assertDoesNotLeaveFiles(cacheDir);
  }

  @Test
  void environmentVariableWinsOverCacheAndMustNameAFile() throws IOException {
    Path cached = dir.resolve("cache").resolve(Imdb.ARCHIVE_NAME);
    Path mine = Files.write(dir.resolve("mine.tar.gz"), archive);
    assertEquals(
        mine, Imdb.resolveArchive(mine.toString(), cached, url("/missing"), sha256, progress));
    assertEquals(0, requests.get());
    NoSuchFileException e =
        assertThrows(
            NoSuchFileException.class,
            () ->
                Imdb.resolveArchive(
                    dir.resolve("gone.tar.gz").toString(),
                    cached,
                    url("/missing"),
                    sha256,
                    progress));
    assertTrue(
        e.getMessage().contains("gone.tar.gz") && e.getMessage().contains(Imdb.ENV_VAR),
        e.getMessage());
  }

  private void assertDoesNotLeaveFiles(Path cacheDir) {
    try {
      assertEquals(List.of(), cacheFiles(cacheDir));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}

package io.jkeras.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.backend.SessionOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code jkeras serve} command line. */
class ServeMainTest {

  @TempDir Path base;

  private int exit(String... args) {
    PrintStream err = System.err;
    System.setErr(new PrintStream(new ByteArrayOutputStream()));
    try {
      return ServeMain.run(args, new FakeModel.Loader());
    } finally {
      System.setErr(err);
    }
  }

  @Test
  void badUsageExitsWith2() {
    assertEquals(2, exit());
    assertEquals(2, exit("--model_name", "fm"));
    assertEquals(2, exit("--model_name", "fm", "--model_base_path", base.toString(), "--bogus"));
    assertEquals(
        2, exit("--model_name", "fm", "--model_base_path", base.toString(), "--port", "http"));
    assertEquals(
        2, exit("--model_name", "fm", "--model_base_path", base.toString(), "--port", "70000"));
    assertEquals(2, exit("--model_name", "../fm", "--model_base_path", base.toString()));
    assertEquals(
        2,
        exit(
            "--model_name",
            "fm",
            "--model_base_path",
            base.resolve("missing").toString(),
            "--port",
            "0"));
    assertEquals(2, exit("--model_name", "fm", "--model_base_path"));
    assertEquals(2, exit("stray"));
  }

  @Test
  void aBadCommandLineIsOneLineNamingTheProblem() {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured));
    try {
      assertEquals(2, ServeMain.run(new String[] {"--model_name", "fm"}, new FakeModel.Loader()));
    } finally {
      System.setErr(err);
    }
    String[] lines = captured.toString().strip().split("\n");
    assertEquals(1, lines.length, captured.toString());
    assertTrue(lines[0].startsWith("jkeras serve: ") && lines[0].contains("--help"), lines[0]);
  }

  @Test
  void helpExitsWith0() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertNull(
        ServeMain.start(new String[] {"--help"}, new FakeModel.Loader(), new PrintStream(out)));
    assertTrue(out.toString().contains("--model_base_path"));
    assertEquals(0, exit("-h"));
  }

  @Test
  void theSavedModelLoaderIsRegisteredForServiceLoader() {
    // ServeMain.run(args) and the benchmark's "--loader service" find it this way.
    assertTrue(
        java.util.ServiceLoader.load(ModelLoader.class).findFirst().orElseThrow()
            instanceof SavedModelLoader);
  }

  @Test
  void optionsMapToServerOptions() throws Exception {
    ServerOptions o =
        ServeMain.options(
            ServeMain.parse(
                new String[] {
                  "--model-name=fm",
                  "--model_base_path",
                  base.toString(),
                  "--rest_api_port",
                  "9000",
                  "--host",
                  "0.0.0.0",
                  "--file_system_poll_wait_seconds",
                  "0.5",
                  "--max_versions",
                  "2",
                  "--enable_batching",
                  "--max_batch_size",
                  "64",
                  "--batch_timeout_micros",
                  "2500",
                  "--num_batch_threads",
                  "3",
                  "--max_body_bytes",
                  "1000",
                  "--rest_api_num_threads",
                  "16",
                  "--shutdown_timeout_seconds",
                  "5"
                }));
    assertEquals("fm", o.modelName());
    assertEquals(9000, o.port());
    assertEquals("0.0.0.0", o.host());
    assertEquals(Duration.ofMillis(500), o.pollInterval());
    assertEquals(2, o.maxVersions());
    assertEquals(new BatchingOptions(true, 64, Duration.ofNanos(2_500_000), 3), o.batching());
    assertEquals(1000, o.maxBodyBytes());
    assertEquals(16, o.httpThreads());
    assertEquals(Duration.ofSeconds(5), o.shutdownTimeout());
    ServerOptions d =
        ServeMain.options(
            ServeMain.parse(
                new String[] {"--model_name", "fm", "--model_base_path", base.toString()}));
    assertEquals(8501, d.port());
    assertEquals("127.0.0.1", d.host());
    assertEquals(false, d.batching().enabled());
    assertEquals(false, d.batching().waitWhenIdle());
    ServerOptions waiting =
        ServeMain.options(
            ServeMain.parse(
                new String[] {
                  "--model_name",
                  "fm",
                  "--model_base_path",
                  base.toString(),
                  "--enable_batching",
                  "--batch_wait_when_idle"
                }));
    assertEquals(
        new BatchingOptions(true, 32, Duration.ofMillis(1), cores(), true), waiting.batching());
    assertThrows(
        ServeMain.UsageException.class,
        () -> ServeMain.parse(new String[] {"--enable_batching=maybe"}));
  }

  @Test
  void tensorflowThreadOptionsBecomeSessionDefaults() throws Exception {
    String[] common = {"--model_name", "fm", "--model_base_path", base.toString()};
    assertNull(ServeMain.sessionOptions(ServeMain.parse(common)));
    SessionOptions s =
        ServeMain.sessionOptions(
            ServeMain.parse(new String[] {"--tensorflow-intra-op-parallelism=1"}));
    assertEquals(1, s.intraOpThreads());
    assertEquals(0, s.interOpThreads());
    assertEquals(
        -1,
        ServeMain.sessionOptions(
                ServeMain.parse(new String[] {"--tensorflow_inter_op_parallelism", "-1"}))
            .interOpThreads());
    assertThrows(
        ServeMain.UsageException.class,
        () ->
            ServeMain.sessionOptions(
                ServeMain.parse(new String[] {"--tensorflow_inter_op_parallelism", "-2"})));
    for (String bad : new String[] {"-1", "two", "2000"}) {
      ServeMain.UsageException e =
          assertThrows(
              ServeMain.UsageException.class,
              () ->
                  ServeMain.sessionOptions(
                      ServeMain.parse(new String[] {"--tensorflow_intra_op_parallelism", bad})));
      assertTrue(e.getMessage().contains("tensorflow_intra_op_parallelism"), e.getMessage());
    }
  }

  @Test
  void startsAndServes() throws Exception {
    FakeModel.writeVersion(base, 3, "bias=1\n");
    ModelServer server =
        ServeMain.start(
            new String[] {
              "--model_name",
              "fm",
              "--model_base_path",
              base.toString(),
              "--port",
              "0",
              "--enable_batching",
              "--batch_timeout_micros",
              "100"
            },
            new FakeModel.Loader(),
            System.out);
    try {
      TestHttp http = new TestHttp(server.uri());
      assertEquals(
          "3",
          http.get("/v1/models/fm")
              .json()
              .get("model_version_status")
              .get(0)
              .get("version")
              .asText());
      assertEquals(
          200, http.post("/v1/models/fm:predict", "{\"instances\": [[1, 2, 3]]}").status());
    } finally {
      server.stop();
    }
  }

  private static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }
}

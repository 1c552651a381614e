package io.jkeras.serving;

import java.nio.file.Path;

/**
 * A model server in a process of its own, for tests that measure its resident memory: serves the
 * {@link FakeModel} versions under {@code args[0]} with the default limits on a free port, prints
 * {@code port N} and stops when its standard input closes.
 */
final class ServingChild {

  private ServingChild() {}

  public static void main(String[] args) throws Exception {
    try (ModelServer server =
        new ModelServer(
                ServerOptions.of("fm", Path.of(args[0])).withPort(0).withLog(m -> {}),
                new FakeModel.Loader())
            .start()) {
      System.out.println("port " + server.port());
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait for the parent to close our input
      }
    }
  }
}

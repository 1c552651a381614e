package io.jkeras.cli;

import java.util.Arrays;

/**
 * The {@code jkeras} command line: {@code jkeras imdb ...} runs the reference experiment. Each
 * subcommand has {@code --help}.
 *
 * <pre>{@code
 * int code = Main.run(new String[] {"inspect", "model.keras"}); // 0, or 2 on failure
 * }</pre>
 */
public final class Main {

  private Main() {}

  static final String USAGE =
      String.join(
          "\n",
          "usage: jkeras <command> [options]",
          "",
          "commands:",
          "  imdb      train the baseline and FM sentiment models on IMDB (the reference"
              + " experiment)",
          "  ctr       train CTR models (FM, DeepFM, DCN-v2, xDeepFM, ...) on click data",
          "  clicks    write a synthetic Criteo-like click log for scale runs",
          "  inspect   show the inputs, outputs and layers or signatures of a model file",
          "  convert   .keras or legacy .h5 to .keras or to a SavedModel directory",
          "  predict   run a model on .npy input and write .npy output",
          "  fit       continue training a compiled model file on .npy data and save it",
          "  serve     serve SavedModels over TensorFlow Serving's REST API",
          "",
          "Run 'jkeras <command> --help' for the options of a command. Every failure is one"
              + " 'jkeras:' line",
          "and exit code 2 (1 when serve cannot open its port); --debug adds the Java stack"
              + " trace.");

  /**
   * The {@code jkeras} command line: runs the command in {@code args} and exits the JVM with its
   * code (0 on success, 2 on any failure, reported as one {@code jkeras:} line).
   *
   * @param args the command and its options, for example {@code inspect model.keras}
   */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /**
   * Runs a command and returns the process exit code (0 ok, 2 for any failure, reported as one
   * {@code jkeras:} line; {@code --debug} anywhere also prints the stack trace).
   */
  public static int run(String[] args) {
    boolean debug = Arrays.asList(args).contains("--debug");
    if (debug) {
      args = Arrays.stream(args).filter(a -> !a.equals("--debug")).toArray(String[]::new);
    }
    try {
      return runCommand(args);
    } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
      // Anything else is still one line, never a stack trace (unless --debug asks for it).
      String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      if (e instanceof StackOverflowError) {
        what = "the input is nested too deeply to read";
      } else if (e instanceof OutOfMemoryError) {
        what =
            "out of memory (" + what + "); raise -Xmx with JKERAS_JAVA_OPTS or use smaller input";
      }
      int nl = what.indexOf('\n');
      System.err.println("jkeras: " + args[0] + ": " + (nl < 0 ? what : what.substring(0, nl)));
      if (debug) {
        e.printStackTrace();
      }
      return 2;
    }
  }

  private static int runCommand(String[] args) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      System.out.println(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    try {
      switch (args[0]) {
        case "imdb":
          return new ImdbCommand().run(rest);
        case "ctr":
          return new CtrCommand().run(rest);
        case "clicks":
          return new ClicksCommand().run(rest);
        case "inspect":
          return ModelCommands.inspect(rest);
        case "convert":
          return ModelCommands.convert(rest);
        case "predict":
          return ModelCommands.predict(rest);
        case "fit":
          return ModelCommands.fit(rest);
        case "serve":
          return io.jkeras.serving.ServeMain.run(rest, new io.jkeras.serving.SavedModelLoader());
        default:
          System.err.println("jkeras: unknown command \"" + args[0] + "\"\n\n" + USAGE);
          return 2;
      }
    } catch (Arguments.UsageException e) {
      System.err.println("jkeras: " + e.getMessage());
      return 2;
    } catch (io.jkeras.saving.KerasFileException | io.jkeras.savedmodel.SavedModelException e) {
      System.err.println("jkeras: " + e.getMessage());
      return 2;
    } catch (io.jkeras.data.DataFormatException e) {
      System.err.println("jkeras: " + e.getMessage());
      return 2;
    } catch (IllegalArgumentException e) {
      // Data that does not fit the model: label counts, shapes.
      System.err.println("jkeras: " + e.getMessage());
      return 2;
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      // Missing, unreadable or corrupt input files.
      System.err.println("jkeras: " + e.getMessage());
      return 2;
    }
  }
}

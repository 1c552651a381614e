package io.jkeras.cli;

import java.util.Arrays;

/**
 * The {@code jkeras} command line: {@code jkeras imdb ...} runs the reference experiment. Each
 * subcommand has {@code --help}.
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
          "  inspect   show the inputs, outputs and layers or signatures of a model file",
          "  convert   .keras or legacy .h5 to .keras or to a SavedModel directory",
          "  predict   run a model on .npy input and write .npy output",
          "  fit       continue training a compiled model file on .npy data and save it",
          "  serve     serve SavedModels over TensorFlow Serving's REST API",
          "",
          "Run 'jkeras <command> --help' for the options of a command.");

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command and returns the process exit code (0 ok, 1 failure, 2 bad usage or input). */
  public static int run(String[] args) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      System.out.println(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    try {
      switch (args[0]) {
        case "imdb":
          return new ImdbCommand().run(rest);
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

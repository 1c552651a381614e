package io.jkeras.savedmodel;

import java.nio.file.Path;

/**
 * A SavedModel that cannot be written, read or run: a missing or non-SavedModel directory, an
 * unknown signature, inputs that do not match a signature, or a graph that this TensorFlow runtime
 * cannot load. The message names the directory and, where it applies, the signature, the input key,
 * and the expected and actual dtype or shape.
 *
 * <pre>{@code
 * try (LoadedSavedModel m = SavedModel.load(Path.of("export/1"))) {
 *   m.run("serving_default", Map.of("features", x));
 * } catch (SavedModelException e) {
 *   System.err.println(e.getMessage()); // SavedModel export/1: signature "serving_default" ...
 * }
 * }</pre>
 */
public class SavedModelException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Path directory;

  /**
   * A failure concerning the SavedModel at {@code directory}; the message is prefixed with the
   * directory.
   */
  public SavedModelException(Path directory, String message) {
    super(prefix(directory) + message);
    this.directory = directory;
  }

  /**
   * A failure concerning the SavedModel at {@code directory}, caused by {@code cause} (for example
   * a TensorFlow error).
   */
  public SavedModelException(Path directory, String message, Throwable cause) {
    super(prefix(directory) + message, cause);
    this.directory = directory;
  }

  /** The SavedModel directory the error is about. */
  public Path directory() {
    return directory;
  }

  private static String prefix(Path directory) {
    return directory == null ? "SavedModel: " : "SavedModel " + directory + ": ";
  }
}

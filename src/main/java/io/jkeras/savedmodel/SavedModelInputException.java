package io.jkeras.savedmodel;

import java.nio.file.Path;

/**
 * A run that TensorFlow refused because of the values fed, not the model: an id outside an
 * Embedding's vocabulary, say. {@link #inputMessage()} explains it without the directory, so a
 * server can hand it to the client that sent the input.
 *
 * <pre>{@code
 * try {
 *   model.run("serving_default", Map.of("ids", ids));
 * } catch (SavedModelInputException e) {
 *   System.err.println(e.inputMessage()); // input "ids" of signature ...: id 123 is not in [0, 100)
 * }
 * }</pre>
 */
public final class SavedModelInputException extends SavedModelException {

  private static final long serialVersionUID = 1L;

  private final String inputMessage;

  SavedModelInputException(Path directory, String inputMessage, Throwable cause) {
    super(directory, inputMessage, cause);
    this.inputMessage = inputMessage;
  }

  /** What was wrong with the input, without the SavedModel's path. */
  public String inputMessage() {
    return inputMessage;
  }
}

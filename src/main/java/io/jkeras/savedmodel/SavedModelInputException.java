package io.jkeras.savedmodel;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

  private static final Pattern OUT_OF_RANGE =
      Pattern.compile("indices\\[([\\d,]+)\\] = (-?\\d+) is not in \\[(\\d+), (\\d+)\\)");
  private static final Pattern NODE = Pattern.compile("\\{\\{node ([^}]+)}}");

  /**
   * Explains TensorFlow's INVALID_ARGUMENT for {@code inputs} (e.g. {@code input "ids"}): an index
   * out of range becomes the id, its position, the range and the layer (from the node name, {@code
   * model/embedding/GatherV2} is layer {@code embedding}); other messages keep their first line.
   */
  public static String describe(IllegalArgumentException e, String inputs) {
    String msg = String.valueOf(e.getMessage());
    String layer = "";
    Matcher node = NODE.matcher(msg);
    if (node.find()) {
      String[] parts = node.group(1).split("/");
      layer = " (layer " + (parts.length >= 2 ? parts[parts.length - 2] : parts[0]) + ")";
    }
    Matcher m = OUT_OF_RANGE.matcher(msg);
    if (m.find()) {
      return inputs
          + " has id "
          + m.group(2)
          + " at ["
          + m.group(1)
          + "], outside the range ["
          + m.group(3)
          + ", "
          + m.group(4)
          + ")"
          + layer;
    }
    int nl = msg.indexOf('\n');
    return "TensorFlow rejected "
        + inputs
        + layer
        + ": "
        + (nl < 0 ? msg : msg.substring(0, nl)).replaceAll("\\s*\\[\\[\\{\\{node [^}]*}}]]", "");
  }

  /** What was wrong with the input, without the SavedModel's path. */
  public String inputMessage() {
    return inputMessage;
  }
}

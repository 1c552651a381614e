package io.jkeras.saving;

/**
 * A model or weight file that cannot be used: not HDF5, truncated, corrupt, or holding arrays that
 * do not fit the model. The message names the file and, where it applies, the layer, the weight and
 * the expected and actual shapes.
 *
 * <pre>{@code
 * try {
 *   KerasWeightsFile.load(path, model);
 * } catch (KerasFileException e) {
 *   System.err.println(e.getMessage()); // model.weights.h5: layer "dense" weight "kernel": ...
 * }
 * }</pre>
 */
public class KerasFileException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** A problem with a model or weights file; the message names the file and the offending entry. */
  public KerasFileException(String message) {
    super(message);
  }

  /**
   * A problem with a model or weights file caused by {@code cause} (for example an I/O or HDF5
   * error); the message names the file and the offending entry.
   */
  public KerasFileException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.jkeras.saving;

/**
 * A model file whose layers load but whose training settings (its {@code compile_config}, or the
 * {@code training_config} of a legacy {@code .h5}) jkeras cannot compile with: an optimizer, loss,
 * metric or option it lacks. The message names the file, the setting and how to load the model
 * without compiling it, which always works for inference.
 *
 * <pre>{@code
 * try {
 *   model = Model.load(path);
 * } catch (TrainingConfigException e) {
 *   model = Model.load(path, false); // predicts; compile it with settings jkeras has to train
 * }
 * }</pre>
 */
public class TrainingConfigException extends KerasFileException {

  private static final long serialVersionUID = 1L;

  /** How to load a file's model without its training settings; ends every message. */
  static final String HOW_TO_LOAD =
      "; to load the model without its training settings (for predict, export or serving, or"
          + " to compile it again in Java) use Model.load(path, false)"
          + " (KerasModelFile.load(path, true, false))";

  TrainingConfigException(KerasFileException cause) {
    super(cause.getMessage() + HOW_TO_LOAD, cause);
  }
}

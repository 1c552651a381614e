package io.jkeras.savedmodel;

import io.jkeras.models.Model;
import java.nio.file.Path;

/**
 * Entry points for TensorFlow SavedModel directories: {@link #export} writes a jkeras model as one
 * (Keras's {@code model.export(dir)}), {@link #load} opens any SavedModel for inference, including
 * those Python Keras and TensorFlow write. A loaded SavedModel runs with {@link
 * io.jkeras.backend.SessionOptions#defaults()} (threads, operation timeout) as they are when it
 * loads.
 *
 * <pre>{@code
 * SavedModel.export(model, Path.of("export/1"));
 * try (LoadedSavedModel m = SavedModel.load(Path.of("export/1"))) {
 *   float[][] p = m.predict(new float[][] {{0.1f, 0.2f, 0.3f, 0.4f}});
 * }
 * }</pre>
 */
public final class SavedModel {

  /** The tag of the serving MetaGraph, the one {@link #load(Path)} opens. */
  public static final String SERVE_TAG = "serve";

  private SavedModel() {}

  /** Loads the {@code serve} MetaGraph of the SavedModel in {@code dir}. */
  public static LoadedSavedModel load(Path dir) {
    return LoadedSavedModel.load(dir, SERVE_TAG);
  }

  /** Loads the MetaGraph of {@code dir} tagged exactly with {@code tags}. */
  public static LoadedSavedModel load(Path dir, String... tags) {
    return LoadedSavedModel.load(dir, tags);
  }

  /**
   * Writes {@code model} to {@code dir}; see {@link SavedModelExporter#export(Model, Path)}.
   *
   * @param model the model
   * @param dir the directory to create
   */
  public static void export(Model model, Path dir) {
    SavedModelExporter.export(model, dir);
  }

  /**
   * Writes {@code model} to {@code dir}, replacing an existing export there when {@code overwrite};
   * see {@link SavedModelExporter#export(Model, Path, boolean)}.
   *
   * <pre>{@code
   * SavedModel.export(model, Path.of("export/1"), true);
   * }</pre>
   *
   * @param model the model
   * @param dir the directory to create or replace
   * @param overwrite whether an existing export may be replaced
   */
  public static void export(Model model, Path dir, boolean overwrite) {
    SavedModelExporter.export(model, dir, overwrite);
  }
}

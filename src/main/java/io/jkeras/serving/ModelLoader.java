package io.jkeras.serving;

import java.nio.file.Path;

/**
 * Loads one version folder of a model base path (for example {@code models/fm/3}) into a {@link
 * ServableModel}. The server calls it on a background thread, one version at a time.
 *
 * <pre>{@code
 * ModelLoader loader = dir -> new MySavedModel(SavedModelBundle.load(dir.toString(), "serve"));
 * }</pre>
 */
@FunctionalInterface
public interface ModelLoader {

  /**
   * Loads the model in {@code versionDir}.
   *
   * @throws Exception when the folder does not hold a loadable model; the server reports the
   *     message in the version's status and keeps serving the versions it has
   */
  ServableModel load(Path versionDir) throws Exception;
}

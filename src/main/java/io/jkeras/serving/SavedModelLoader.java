package io.jkeras.serving;

import java.nio.file.Path;

/**
 * The {@link ModelLoader} of {@code jkeras serve}: every version folder is a TensorFlow SavedModel
 * (exported by jkeras's {@code model.export} or by Python). Registered for {@link
 * java.util.ServiceLoader}, so {@code ServeMain.run(args)} and the serving benchmark find it.
 *
 * <pre>{@code
 * new ModelServer(ServerOptions.of("fm", Path.of("models/fm")), new SavedModelLoader()).start();
 * }</pre>
 */
public final class SavedModelLoader implements ModelLoader {

  @Override
  public ServableModel load(Path versionDir) {
    return SavedModelServable.load(versionDir);
  }
}

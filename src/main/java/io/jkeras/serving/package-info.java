/**
 * {@code jkeras serve}: TensorFlow Serving's REST API for one model whose numbered versions live
 * under a base path. {@link io.jkeras.serving.ModelServer} runs it over any {@link
 * io.jkeras.serving.ModelLoader}; {@link io.jkeras.serving.ServeMain} is the command line.
 *
 * <pre>{@code
 * new ModelServer(ServerOptions.of("fm", Path.of("models/fm")), loader).start().join();
 * }</pre>
 */
package io.jkeras.serving;

package io.jkeras.serving;

import java.util.Map;

/**
 * One loaded version of a model, as the server sees it: named signatures, each a function from
 * named batch-first tensors to named batch-first tensors.
 *
 * <p>Implementations must allow {@link #run} from many threads at once. The server calls {@link
 * #close} exactly once, after the last request that used this version has finished.
 *
 * <pre>{@code
 * ServableModel m = loader.load(Path.of("models/fm/1"));
 * SignatureSpec sig = m.signatures().get(ServableModel.DEFAULT_SIGNATURE);
 * Map<String, TensorData> out = m.run(sig.name(),
 *     Map.of("x", TensorData.ofFloats(new float[] {1, 2, 3}, 1, 3)));
 * }</pre>
 */
public interface ServableModel extends AutoCloseable {

  /** The signature a request uses when it names none. */
  String DEFAULT_SIGNATURE = "serving_default";

  /**
   * The signatures by name. The server reads this once per request; iteration order of the inputs
   * and outputs of each signature is the order used in JSON responses.
   */
  Map<String, SignatureSpec> signatures();

  /**
   * Runs one signature. {@code inputs} holds exactly the signature's input keys, each checked
   * against its {@link TensorSpec} (dtype, rank, known dimensions); the result must hold every
   * output key of the signature. Thread-safe.
   *
   * @throws Exception any failure; an {@link IllegalArgumentException} is reported to the client as
   *     a bad request (400), anything else as an internal error (500)
   */
  Map<String, TensorData> run(String signature, Map<String, TensorData> inputs) throws Exception;

  /**
   * Checks one request's input values before the server merges it with other requests into one
   * batch (ids within the tables they index, say), so that bad input fails alone and early. {@code
   * inputs} passed the same checks as for {@link #run}. The default checks nothing: a merged run
   * that fails is run again request by request anyway. Thread-safe.
   *
   * <pre>{@code
   * model.checkValues("serving_default", Map.of("ids", TensorData.ofLongs(new long[] {5}, 1, 1)));
   * }</pre>
   *
   * @throws IllegalArgumentException naming the input and the value it cannot take (a bad request)
   */
  default void checkValues(String signature, Map<String, TensorData> inputs) {}

  /** Frees the model. Called once, when no request uses it any more. */
  @Override
  void close() throws Exception;
}

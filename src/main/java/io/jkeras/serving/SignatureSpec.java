package io.jkeras.serving;

import java.util.Map;

/**
 * One signature of a model (TensorFlow's {@code SignatureDef}): named inputs and outputs.
 *
 * <pre>{@code
 * SignatureSpec sig = new SignatureSpec("serving_default", SignatureSpec.PREDICT_METHOD,
 *     Map.of("x", new TensorSpec("serving_default_x:0", "DT_FLOAT", new long[] {-1, 3})),
 *     Map.of("y", new TensorSpec("StatefulPartitionedCall:0", "DT_FLOAT", new long[] {-1, 1})));
 * }</pre>
 *
 * <p>Use ordered maps (LinkedHashMap or TreeMap) if the order of keys in metadata and multi-output
 * responses matters to you.
 *
 * @param name the signature key, e.g. {@code serving_default}
 * @param methodName e.g. {@code tensorflow/serving/predict}
 * @param inputs input specs by input key (the names clients use in JSON)
 * @param outputs output specs by output key
 */
public record SignatureSpec(
    String name,
    String methodName,
    Map<String, TensorSpec> inputs,
    Map<String, TensorSpec> outputs) {

  /** The method name of signatures that {@code :predict} serves. */
  public static final String PREDICT_METHOD = "tensorflow/serving/predict";
}

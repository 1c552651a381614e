package io.jkeras.savedmodel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

/**
 * One signature of a SavedModel: its key, method name and the inputs and outputs a caller feeds and
 * gets back, keyed as in the {@code SignatureDef} (keys in natural order: {@code output_2} before
 * {@code output_10}). {@link #signatureDef()} is the protocol buffer itself, for servers that
 * render TF Serving's {@code /metadata}.
 *
 * <pre>{@code
 * SignatureSpec s = model.signature("serving_default");
 * s.methodName();               // "tensorflow/serving/predict"
 * s.inputs().keySet();          // [features]
 * s.outputs().get("output_0");  // output_0: float32 (None, 3) (StatefulPartitionedCall_1:0)
 * }</pre>
 */
public record SignatureSpec(
    String key,
    String methodName,
    Map<String, TensorSpec> inputs,
    Map<String, TensorSpec> outputs,
    SignatureDef signatureDef) {

  static SignatureSpec of(String key, SignatureDef def) {
    return new SignatureSpec(
        key, def.getMethodName(), specs(def.getInputsMap()), specs(def.getOutputsMap()), def);
  }

  private static Map<String, TensorSpec> specs(Map<String, TensorInfo> infos) {
    List<String> keys = new ArrayList<>(infos.keySet());
    keys.sort(SignatureSpec::naturalCompare);
    Map<String, TensorSpec> out = new LinkedHashMap<>();
    for (String k : keys) {
      out.put(k, TensorSpec.of(k, infos.get(k)));
    }
    return Collections.unmodifiableMap(out);
  }

  /** Orders strings with their runs of digits compared as numbers: a2 before a10. */
  static int naturalCompare(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      char ca = a.charAt(i);
      char cb = b.charAt(j);
      if (Character.isDigit(ca) && Character.isDigit(cb)) {
        int ei = i;
        while (ei < a.length() && Character.isDigit(a.charAt(ei))) {
          ei++;
        }
        int ej = j;
        while (ej < b.length() && Character.isDigit(b.charAt(ej))) {
          ej++;
        }
        String na = a.substring(i, ei).replaceFirst("^0+(?=.)", "");
        String nb = b.substring(j, ej).replaceFirst("^0+(?=.)", "");
        int c =
            na.length() != nb.length()
                ? Integer.compare(na.length(), nb.length())
                : na.compareTo(nb);
        if (c != 0) {
          return c;
        }
        i = ei;
        j = ej;
      } else {
        if (ca != cb) {
          return Character.compare(ca, cb);
        }
        i++;
        j++;
      }
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  @Override
  public String toString() {
    return "signature \""
        + key
        + "\" ("
        + methodName
        + "): inputs "
        + inputs.values()
        + ", outputs "
        + outputs.values();
  }
}

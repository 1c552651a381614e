package io.jkeras.backend;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * Keras dtype names ({@code "float32"}, {@code "int32"}...) and their TensorFlow Java types.
 *
 * <pre>{@code
 * Class<? extends TType> t = DTypes.tfType("int64");   // TInt64.class
 * String name = DTypes.name(TFloat32.class);          // "float32"
 * }</pre>
 */
public final class DTypes {

  private static final Map<String, Class<? extends TType>> TYPES = new LinkedHashMap<>();

  static {
    TYPES.put("float32", TFloat32.class);
    TYPES.put("float64", TFloat64.class);
    TYPES.put("int32", TInt32.class);
    TYPES.put("int64", TInt64.class);
    TYPES.put("bool", TBool.class);
    TYPES.put("string", TString.class);
  }

  private DTypes() {}

  /** The TensorFlow type class of a Keras dtype name. */
  public static Class<? extends TType> tfType(String dtype) {
    Class<? extends TType> t = TYPES.get(dtype);
    if (t == null) {
      throw new IllegalArgumentException(
          "dtype: expected one of " + List.copyOf(TYPES.keySet()) + ", got \"" + dtype + "\"");
    }
    return t;
  }

  /** The Keras dtype name of a TensorFlow type class. */
  public static String name(Class<? extends TType> type) {
    for (Map.Entry<String, Class<? extends TType>> e : TYPES.entrySet()) {
      if (e.getValue().equals(type)) {
        return e.getKey();
      }
    }
    throw new IllegalArgumentException("Unsupported TensorFlow type " + type.getSimpleName());
  }

  /** Keras's config form of a layer dtype: a {@code DTypePolicy} object. */
  public static Map<String, Object> policyConfig(String dtype) {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("name", dtype);
    Map<String, Object> policy = new LinkedHashMap<>();
    policy.put("module", "keras");
    policy.put("class_name", "DTypePolicy");
    policy.put("config", inner);
    policy.put("registered_name", null);
    return policy;
  }

  /** {@code x} as float32: itself when it is, a Cast op otherwise. */
  @SuppressWarnings("unchecked")
  public static Operand<TFloat32> toFloat(Ops tf, Operand<?> x) {
    if (x.type() == TFloat32.class) {
      return (Operand<TFloat32>) x;
    }
    return tf.dtypes.cast(x, TFloat32.class);
  }
}

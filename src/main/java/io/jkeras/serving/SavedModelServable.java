package io.jkeras.serving;

import io.jkeras.models.InputRanges;
import io.jkeras.savedmodel.LoadedSavedModel;
import io.jkeras.savedmodel.SavedModel;
import io.jkeras.savedmodel.SavedModelInputException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.ndarray.BooleanNdArray;
import org.tensorflow.ndarray.ByteNdArray;
import org.tensorflow.ndarray.DoubleNdArray;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.IntNdArray;
import org.tensorflow.ndarray.LongNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * A SavedModel version folder served through {@link ServableModel}: what {@code jkeras serve} loads
 * for every numbered version under the model base path.
 *
 * <pre>{@code
 * ModelServer server = new ModelServer(options, SavedModelServable::load).start();
 * }</pre>
 */
public final class SavedModelServable implements ServableModel {

  private final LoadedSavedModel model;
  private final Map<String, SignatureSpec> signatures;

  private SavedModelServable(LoadedSavedModel model) {
    this.model = model;
    Map<String, SignatureSpec> specs = new LinkedHashMap<>();
    for (io.jkeras.savedmodel.SignatureSpec s : model.signatures().values()) {
      specs.put(
          s.key(),
          new SignatureSpec(s.key(), s.methodName(), tensors(s.inputs()), tensors(s.outputs())));
    }
    this.signatures = Collections.unmodifiableMap(specs);
  }

  /** Loads the SavedModel in {@code versionDir} (the {@link ModelLoader} of jkeras serve). */
  public static ServableModel load(Path versionDir) {
    return new SavedModelServable(SavedModel.load(versionDir));
  }

  private static Map<String, TensorSpec> tensors(
      Map<String, io.jkeras.savedmodel.TensorSpec> specs) {
    Map<String, TensorSpec> out = new LinkedHashMap<>();
    for (io.jkeras.savedmodel.TensorSpec t : specs.values()) {
      out.put(
          t.key(),
          new TensorSpec(
              t.tensorName(), t.dataType().name(), t.hasKnownRank() ? t.shape().asArray() : null));
    }
    return out;
  }

  @Override
  public Map<String, SignatureSpec> signatures() {
    return signatures;
  }

  @Override
  public Map<String, TensorData> run(String signature, Map<String, TensorData> inputs) {
    Map<String, NdArray<?>> feeds = new LinkedHashMap<>();
    for (Map.Entry<String, TensorData> e : inputs.entrySet()) {
      feeds.put(e.getKey(), toNd(e.getValue()));
    }
    Map<String, NdArray<?>> results;
    try {
      results = model.run(signature, feeds);
    } catch (SavedModelInputException e) {
      throw new IllegalArgumentException(e.inputMessage(), e);
    }
    Map<String, TensorData> out = new LinkedHashMap<>();
    for (Map.Entry<String, NdArray<?>> e : results.entrySet()) {
      out.put(e.getKey(), fromNd(e.getValue()));
    }
    return out;
  }

  /**
   * Refuses ids outside the tables the signature's graph gathers from (see {@link InputRanges}).
   */
  @Override
  public void checkValues(String signature, Map<String, TensorData> inputs) {
    InputRanges ranges = model.inputRanges(signature);
    for (Map.Entry<String, TensorData> e : inputs.entrySet()) {
      if (ranges.tables(e.getKey()).isEmpty()) {
        continue;
      }
      TensorData t = e.getValue();
      switch (t.dtype()) {
        case TensorData.DT_INT32 -> ranges.checkIds(e.getKey(), t.shape(), t.ints());
        case TensorData.DT_INT64 -> ranges.checkIds(e.getKey(), t.shape(), t.longs());
        case TensorData.DT_FLOAT -> ranges.checkFloats(e.getKey(), t.shape(), t.floats());
        case TensorData.DT_DOUBLE -> ranges.checkFloats(e.getKey(), t.shape(), t.doubles());
        default -> {}
      }
    }
  }

  private static NdArray<?> toNd(TensorData t) {
    Shape s = Shape.of(t.shape());
    switch (t.dtype()) {
      case TensorData.DT_FLOAT:
        return NdArrays.wrap(s, DataBuffers.of(t.floats(), true, false));
      case TensorData.DT_DOUBLE:
        return NdArrays.wrap(s, DataBuffers.of(t.doubles(), true, false));
      case TensorData.DT_INT32:
        return NdArrays.wrap(s, DataBuffers.of(t.ints(), true, false));
      case TensorData.DT_INT64:
        return NdArrays.wrap(s, DataBuffers.of(t.longs(), true, false));
      case TensorData.DT_BOOL:
        return NdArrays.wrap(s, DataBuffers.of(t.booleans(), true, false));
      case TensorData.DT_UINT8:
        return NdArrays.wrap(s, DataBuffers.of(t.uint8s(), true, false));
      case TensorData.DT_STRING:
        return NdArrays.wrap(s, DataBuffers.ofObjects(t.strings()));
      default:
        throw new IllegalArgumentException("Unsupported input dtype " + t.dtype());
    }
  }

  private static TensorData fromNd(NdArray<?> x) {
    long[] shape = x.shape().asArray();
    int n = Math.toIntExact(x.size());
    if (x instanceof FloatNdArray) {
      float[] v = new float[n];
      ((FloatNdArray) x).copyTo(DataBuffers.of(v, false, false));
      return TensorData.ofFloats(v, shape);
    }
    if (x instanceof DoubleNdArray) {
      double[] v = new double[n];
      ((DoubleNdArray) x).copyTo(DataBuffers.of(v, false, false));
      return TensorData.ofDoubles(v, shape);
    }
    if (x instanceof IntNdArray) {
      int[] v = new int[n];
      ((IntNdArray) x).copyTo(DataBuffers.of(v, false, false));
      return TensorData.ofInts(v, shape);
    }
    if (x instanceof LongNdArray) {
      long[] v = new long[n];
      ((LongNdArray) x).copyTo(DataBuffers.of(v, false, false));
      return TensorData.ofLongs(v, shape);
    }
    if (x instanceof BooleanNdArray) {
      boolean[] v = new boolean[n];
      ((BooleanNdArray) x).copyTo(DataBuffers.of(v, false, false));
      return TensorData.ofBooleans(v, shape);
    }
    if (x instanceof ByteNdArray) {
      byte[] v = new byte[n];
      ((ByteNdArray) x).copyTo(DataBuffers.of(v, false, false));
      return TensorData.ofUint8s(v, shape);
    }
    if (LoadedSavedModel.typeName(x).equals("string")) {
      byte[][] v = new byte[n][];
      @SuppressWarnings("unchecked")
      NdArray<byte[]> bytes = (NdArray<byte[]>) x;
      bytes.copyTo(DataBuffers.ofObjects(v));
      return TensorData.ofStrings(v, shape);
    }
    throw new IllegalStateException("Unsupported output " + x.getClass().getSimpleName());
  }

  @Override
  public void close() {
    model.close();
  }
}

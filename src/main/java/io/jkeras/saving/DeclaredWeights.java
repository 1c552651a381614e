package io.jkeras.saving;

import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jkeras.backend.WeightAllocation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The weight arrays a model file declares (shapes only, nothing read), checked against each weight
 * a layer is about to allocate while the file's config is turned into a model: the weight's shape
 * must be that of an array the file declares and no earlier weight claimed (the layer's own arrays,
 * by the name the file records, first; any array of the shape serves, since a sub-layer may be
 * named differently than in the file), and the weights' total must stay under {@link
 * ModelFileLimits#maxWeightBytes}. So a config asking for a 20-million-row table next to a 1000-row
 * array is refused before anything is allocated, naming the file, layer, weight and both shapes.
 *
 * <pre>{@code
 * DeclaredWeights declared = DeclaredWeights.ofKerasLayout(file, "m.keras: model.weights.h5");
 * Model model = WeightAllocation.checkedBy(declared, () -> ModelConfigReader.read(c, w, true));
 * }</pre>
 */
final class DeclaredWeights implements WeightAllocation.Check {

  /** Deeper group nesting than any real model has: stop walking (a hostile file). */
  private static final int MAX_DEPTH = 64;

  private final String source;
  private final long maxBytes;

  /** Declared shapes by the layer name the file records, still unclaimed. */
  private final Map<String, List<long[]>> byLayer = new LinkedHashMap<>();

  /** Unclaimed declared arrays by shape ({@code "(3, 2)"}), across the whole file. */
  private final Map<String, Integer> unclaimed = new HashMap<>();

  private long claimedBytes;

  private DeclaredWeights(String source) {
    this.source = source;
    this.maxBytes = ModelFileLimits.maxWeightBytes();
  }

  /**
   * The arrays of a Keras 3 weights file: {@code /layers/.../vars/<i>}, attributed to the layer a
   * {@code vars} group's {@code name} attribute names.
   */
  static DeclaredWeights ofKerasLayout(Group root, String source) {
    DeclaredWeights d = new DeclaredWeights(source);
    Node layers = root.getChildren().get("layers");
    if (layers instanceof Group g) {
      d.walk(g, null, 0);
    }
    return d;
  }

  /**
   * The arrays of a legacy {@code .h5} model: everything below {@code /model_weights/<layer name>},
   * attributed to that layer.
   */
  static DeclaredWeights ofLegacyLayout(Group root, String source) {
    DeclaredWeights d = new DeclaredWeights(source);
    Node weights = root.getChildren().get("model_weights");
    if (weights instanceof Group g) {
      for (Map.Entry<String, Node> e : g.getChildren().entrySet()) {
        if (e.getValue() instanceof Group layer) {
          d.walk(layer, e.getKey(), 0);
        }
      }
    }
    return d;
  }

  /** Records every dataset below {@code g}; {@code layer} is the owner, or null to find it. */
  private void walk(Group g, String layer, int depth) {
    if (depth > MAX_DEPTH) {
      throw new KerasFileException(
          source + ": groups nested more than " + MAX_DEPTH + " deep at " + g.getPath());
    }
    String owner = layer;
    if (owner == null && g.getName().equals("vars")) {
      owner = nameAttribute(g);
    }
    for (Node child : g.getChildren().values()) {
      if (child instanceof Dataset d) {
        long[] shape = d.getDimensionsAsLong();
        unclaimed.merge(StoredArray.formatShape(shape), 1, Integer::sum);
        if (owner != null) {
          byLayer.computeIfAbsent(owner, k -> new ArrayList<>()).add(shape);
        }
      } else if (child instanceof Group sub) {
        walk(sub, layer, depth + 1);
      }
    }
  }

  private static String nameAttribute(Node n) {
    Attribute a = n.getAttributes().get("name");
    if (a == null) {
      return null;
    }
    Object data = a.getData();
    if (data instanceof String s) {
      return s;
    }
    return data instanceof String[] arr && arr.length == 1 ? arr[0] : null;
  }

  @Override
  public void beforeAllocating(String layer, String weight, long[] shape) {
    String what = source + ": layer \"" + layer + "\" weight \"" + weight + "\"";
    String key = StoredArray.formatShape(shape);
    List<long[]> mine = byLayer.get(layer);
    int at = -1;
    for (int i = 0; mine != null && i < mine.size(); i++) {
      if (Arrays.equals(mine.get(i), shape)) {
        at = i;
        break;
      }
    }
    // Every weight loads from an array of its own shape, so demand per shape cannot exceed what
    // the file declares. Sub-layers may be named differently than in the file: any array of the
    // shape counts, the layer's own are only preferred.
    if (unclaimed.getOrDefault(key, 0) == 0) {
      throw new KerasFileException(
          what
              + ": expected shape "
              + key
              + " (from the config), the file has "
              + (mine == null
                  ? "no array of that shape (and none recorded under this layer's name)"
                  : (mine.isEmpty()
                          ? "no more arrays"
                          : String.join(", ", mine.stream().map(StoredArray::formatShape).toList()))
                      + " for this layer and no other array of that shape")
              + "; refused before allocating it");
    }
    if (at >= 0) {
      mine.remove(at);
    }
    unclaimed.merge(key, -1, Integer::sum);
    long bytes = saturatingProduct(shape, Float.BYTES);
    claimedBytes = bytes > Long.MAX_VALUE - claimedBytes ? Long.MAX_VALUE : claimedBytes + bytes;
    if (claimedBytes > maxBytes) {
      throw new KerasFileException(
          what
              + " of shape "
              + key
              + " ("
              + bytes
              + " bytes) brings the model's weights to "
              + claimedBytes
              + " bytes, more than the limit of "
              + maxBytes
              + " (raise it with -D"
              + ModelFileLimits.MAX_WEIGHT_BYTES_PROPERTY
              + "=BYTES); refused before allocating it");
    }
  }

  private static long saturatingProduct(long[] dims, long factor) {
    long n = factor;
    for (long d : dims) {
      try {
        n = Math.multiplyExact(n, Math.max(d, 0));
      } catch (ArithmeticException e) {
        return Long.MAX_VALUE;
      }
    }
    return n;
  }
}

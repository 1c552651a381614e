package io.jkeras.savedmodel;

import io.jkeras.models.InputRanges;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * Finds, in a SavedModel's graph, the tables each signature input indexes: a gather ({@code
 * GatherV2}, {@code Gather}, {@code ResourceGather}) whose indices are the input itself, possibly
 * cast, reshaped or renamed on the way, and whose table is a variable or constant of known shape.
 * Its first dimension is the id range. This is what jkeras's exporter writes for an Embedding;
 * graphs that hide their lookups in functions (Python's exports) yield no tables, and TensorFlow's
 * own check at run time remains.
 *
 * <pre>{@code
 * Map<String, List<InputRanges.IdTable>> t = GatherTables.find(graphDef, signature);
 * }</pre>
 */
final class GatherTables {

  /** Ops that pass their first input's values on unchanged (up to dtype and shape). */
  private static final Set<String> PASS_VALUES =
      Set.of("Identity", "Cast", "Reshape", "ExpandDims", "Squeeze", "StopGradient");

  /** Ops between a table's variable and the gather that reads it. */
  private static final Set<String> PASS_TABLE = Set.of("Identity", "ReadVariableOp", "Enter");

  private static final Set<String> GATHERS = Set.of("GatherV2", "Gather", "ResourceGather");

  private static final int MAX_STEPS = 32;

  private GatherTables() {}

  /** The tables each input of {@code sig} indexes, by input key (inputs with none left out). */
  static Map<String, List<InputRanges.IdTable>> find(GraphDef graph, SignatureSpec sig) {
    Map<String, NodeDef> nodes = new HashMap<>();
    for (NodeDef n : graph.getNodeList()) {
      nodes.put(n.getName(), n);
    }
    Map<String, String> keyByNode = new HashMap<>();
    for (TensorSpec t : sig.inputs().values()) {
      keyByNode.put(nodeName(t.tensorName()), t.key());
    }
    Map<String, List<InputRanges.IdTable>> out = new LinkedHashMap<>();
    for (NodeDef n : graph.getNodeList()) {
      if (!GATHERS.contains(n.getOp()) || n.getInputCount() < 2) {
        continue;
      }
      String key = keyByNode.get(follow(nodes, n.getInput(1), PASS_VALUES));
      String table = follow(nodes, n.getInput(0), PASS_TABLE);
      long rows = rows(nodes.get(table));
      if (key != null && rows >= 0) {
        // The table's variable is named after its layer and weight: emb/embeddings.
        String kind = table.endsWith("/embeddings") ? "Embedding" : "lookup table " + table;
        out.computeIfAbsent(key, k -> new ArrayList<>())
            .add(new InputRanges.IdTable(layerOf(table), kind, rows));
      }
    }
    return out;
  }

  /** The node reached from {@code input} through ops of {@code pass}, by name. */
  private static String follow(Map<String, NodeDef> nodes, String input, Set<String> pass) {
    String name = nodeName(input);
    for (int step = 0; step < MAX_STEPS; step++) {
      NodeDef n = nodes.get(name);
      if (n == null || !pass.contains(n.getOp()) || n.getInputCount() < 1) {
        return name;
      }
      name = nodeName(n.getInput(0));
    }
    return name;
  }

  /** The first dimension of a variable's or constant's static shape, or -1 when unknown. */
  private static long rows(NodeDef table) {
    if (table == null) {
      return -1;
    }
    AttrValue shape =
        switch (table.getOp()) {
          case "VariableV2", "Variable", "VarHandleOp" -> table.getAttrOrDefault("shape", null);
          default -> null;
        };
    if (shape != null && shape.hasShape() && shape.getShape().getDimCount() > 0) {
      return shape.getShape().getDim(0).getSize();
    }
    if (table.getOp().equals("Const") && table.containsAttr("value")) {
      var s = table.getAttrOrThrow("value").getTensor().getTensorShape();
      return s.getDimCount() > 0 ? s.getDim(0).getSize() : -1;
    }
    return -1;
  }

  /** {@code emb/embeddings} (a table) is layer {@code emb}. */
  private static String layerOf(String node) {
    String[] parts = node.split("/");
    return parts.length >= 2 ? parts[parts.length - 2] : node;
  }

  /** {@code "^a"}, {@code "a:1"} and {@code "a"} name node {@code a}. */
  private static String nodeName(String input) {
    String s = input.startsWith("^") ? input.substring(1) : input;
    int colon = s.indexOf(':');
    return colon < 0 ? s : s.substring(0, colon);
  }
}

package io.jkeras.models;

import io.jkeras.layers.InputLayer;
import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Layer;
import io.jkeras.layers.Node;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The layer calls between a functional model's inputs and outputs, ordered as Keras orders them:
 * every node gets a depth (outputs 0, each producer one deeper than its deepest consumer); nodes
 * run from the deepest depth up, and layers are listed by decreasing depth, ties in the order a
 * depth-first walk from the outputs met them.
 */
final class LayerGraph {

  private final List<Node> nodesInRunOrder = new ArrayList<>();
  private final Map<Integer, List<Node>> nodesByDepth = new TreeMap<>(Comparator.reverseOrder());
  private final List<Layer> layers = new ArrayList<>();

  LayerGraph(List<KerasTensor> inputs, List<KerasTensor> outputs) {
    Set<KerasTensor> inputSet = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (KerasTensor t : inputs) {
      if (!(t.layer() instanceof InputLayer)) {
        throw new IllegalArgumentException(
            "Model inputs must come from Input.of(...); got a tensor made by layer \""
                + t.layer().name()
                + "\" ("
                + t.layer().className()
                + ")");
      }
      inputSet.add(t);
    }
    List<Node> postOrder = new ArrayList<>();
    Map<Layer, Integer> layerIndices = new IdentityHashMap<>();
    Set<Node> finished = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    Set<Node> inProgress = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (KerasTensor out : outputs) {
      walk(out, inputSet, finished, inProgress, postOrder, layerIndices);
    }
    for (KerasTensor in : inputs) {
      // An input that no output depends on is still part of the model.
      walk(in, inputSet, finished, inProgress, postOrder, layerIndices);
    }

    Map<Node, Integer> nodeDepths = new IdentityHashMap<>();
    Map<Layer, Integer> layerDepths = new IdentityHashMap<>();
    for (int i = postOrder.size() - 1; i >= 0; i--) {
      Node node = postOrder.get(i);
      int depth =
          Math.max(nodeDepths.getOrDefault(node, 0), layerDepths.getOrDefault(node.layer(), 0));
      layerDepths.put(node.layer(), depth);
      nodeDepths.put(node, depth);
      for (KerasTensor t : node.inputs()) {
        Node parent = t.node();
        nodeDepths.put(parent, Math.max(depth + 1, nodeDepths.getOrDefault(parent, 0)));
      }
    }
    for (Node node : postOrder) {
      nodesByDepth.computeIfAbsent(nodeDepths.get(node), d -> new ArrayList<>()).add(node);
    }
    for (List<Node> sameDepth : nodesByDepth.values()) {
      nodesInRunOrder.addAll(sameDepth);
    }
    Map<Integer, List<Layer>> layersByDepth = new TreeMap<>(Comparator.reverseOrder());
    for (Map.Entry<Layer, Integer> e : layerDepths.entrySet()) {
      layersByDepth.computeIfAbsent(e.getValue(), d -> new ArrayList<>()).add(e.getKey());
    }
    for (List<Layer> sameDepth : layersByDepth.values()) {
      sameDepth.sort(Comparator.comparingInt(layerIndices::get));
      layers.addAll(sameDepth);
    }
    Set<String> names = new HashSet<>();
    for (Layer l : layers) {
      if (!names.add(l.name())) {
        throw new IllegalArgumentException(
            "The name \""
                + l.name()
                + "\" is used "
                + "by more than one layer of the model; "
                + "all layer names should be unique");
      }
    }
  }

  private static void walk(
      KerasTensor tensor,
      Set<KerasTensor> inputs,
      Set<Node> finished,
      Set<Node> inProgress,
      List<Node> postOrder,
      Map<Layer, Integer> layerIndices) {
    Node node = tensor.node();
    if (finished.contains(node)) {
      return;
    }
    if (inProgress.contains(node)) {
      throw new IllegalArgumentException(
          "The layer graph has a cycle at layer \"" + node.layer().name() + "\"");
    }
    if (node.layer() instanceof InputLayer && !inputs.contains(tensor)) {
      throw new IllegalArgumentException(
          "Graph disconnected: the outputs depend on input \""
              + node.layer().name()
              + "\", which is not among the model inputs "
              + inputs.stream().map(t -> t.layer().name()).toList());
    }
    layerIndices.putIfAbsent(node.layer(), layerIndices.size());
    inProgress.add(node);
    for (KerasTensor t : node.inputs()) {
      walk(t, inputs, finished, inProgress, postOrder, layerIndices);
    }
    inProgress.remove(node);
    finished.add(node);
    postOrder.add(node);
  }

  List<Node> nodesInRunOrder() {
    return nodesInRunOrder;
  }

  Map<Integer, List<Node>> nodesByDepth() {
    return nodesByDepth;
  }

  List<Layer> layers() {
    return layers;
  }

  /** The nodes of this graph by layer, for "Connected to" and output shapes. */
  Map<Layer, List<Node>> nodesByLayer() {
    Map<Layer, List<Node>> out = new LinkedHashMap<>();
    for (Node n : nodesInRunOrder) {
      out.computeIfAbsent(n.layer(), l -> new ArrayList<>()).add(n);
    }
    return out;
  }
}

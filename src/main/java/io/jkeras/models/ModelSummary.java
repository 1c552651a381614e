package io.jkeras.models;

import io.jkeras.layers.InputLayer;
import io.jkeras.layers.KerasShape;
import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Layer;
import io.jkeras.layers.Node;
import io.jkeras.layers.Weight;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Keras 3's {@code model.summary()} table, laid out as Keras's rich-rendered table is: the same
 * columns, widths, wrapping and totals, so the two can be compared line by line.
 */
final class ModelSummary {

  private final Model model;
  private final boolean sequentialLike;
  private final Set<Node> relevantNodes;

  ModelSummary(Model model) {
    this.model = model;
    this.relevantNodes = Collections.newSetFromMap(new IdentityHashMap<>());
    LayerGraph g = model.layerGraph();
    boolean seq = true;
    for (List<Node> sameDepth : g.nodesByDepth().values()) {
      relevantNodes.addAll(sameDepth);
      if (sameDepth.size() > 1 || (sameDepth.size() == 1 && sameDepth.get(0).inputs().size() > 1)) {
        seq = false;
      }
    }
    if (seq) {
      for (Layer l : g.layers()) {
        int used = 0;
        for (Node n : l.inboundNodes()) {
          if (relevantNodes.contains(n)) {
            used++;
          }
        }
        if (used > 1) {
          seq = false;
        }
      }
    }
    this.sequentialLike = seq || model instanceof Sequential;
  }

  /** Keras's width: 88 (108 with the "Connected to" column), at most the terminal's width - 4. */
  static int defaultLineLength(Model model) {
    int columns = 80;
    String env = System.getenv("COLUMNS");
    if (env != null) {
      try {
        columns = Integer.parseInt(env.trim());
      } catch (NumberFormatException e) {
        // keep 80, as Python's shutil.get_terminal_size does
      }
    }
    boolean seq = new ModelSummary(model).sequentialLike;
    return Math.min(seq ? 88 : 108, columns - 4);
  }

  String render(int lineLength) {
    double[] positions =
        sequentialLike ? new double[] {0.45, 0.80, 1.0} : new double[] {0.3, 0.56, 0.74, 1.0};
    String[] header =
        sequentialLike
            ? new String[] {"Layer (type)", "Output Shape", "Param #"}
            : new String[] {"Layer (type)", "Output Shape", "Param #", "Connected to"};
    boolean[] right =
        sequentialLike
            ? new boolean[] {false, false, true}
            : new boolean[] {false, false, true, false};
    int[] widths = columnWidths(lineLength, positions);

    List<String[]> rows = new ArrayList<>();
    List<Layer> layers = model.layers();
    if (model instanceof Sequential) {
      layers = layers.stream().filter(l -> !(l instanceof InputLayer)).toList();
    }
    for (Layer l : layers) {
      String params =
          l.isBuilt() ? String.format(Locale.ROOT, "%,d", l.countParams()) : "0 (unbuilt)";
      String shape = outputShape(l);
      if (sequentialLike) {
        rows.add(new String[] {l.name() + " (" + l.className() + ")", shape, params});
      } else {
        rows.add(
            new String[] {l.name() + " (" + l.className() + ")", shape, params, connections(l)});
      }
    }

    StringBuilder out = new StringBuilder();
    out.append("Model: \"").append(model.name()).append("\"\n");
    out.append(border('┏', '━', '┳', '┓', widths));
    appendRow(out, header, widths, right, '┃');
    out.append(border('┡', '━', '╇', '┩', widths));
    for (int i = 0; i < rows.size(); i++) {
      if (i > 0) {
        out.append(border('├', '─', '┼', '┤', widths));
      }
      appendRow(out, rows.get(i), widths, right, '│');
    }
    out.append(border('└', '─', '┴', '┘', widths));

    long trainable = 0;
    long nonTrainable = 0;
    for (Weight w : model.weights()) {
      if (w.isTrainable()) {
        trainable += w.size();
      } else {
        nonTrainable += w.size();
      }
    }
    long optimizer = model.optimizerParamCount();
    // jkeras weights are float32 (4 bytes); the optimizer's int64 iteration takes 8, as in Keras.
    long optimizerBytes = model.optimizerMemorySize();
    long total = trainable + nonTrainable + optimizer;
    long totalBytes = 4 * (trainable + nonTrainable) + optimizerBytes;
    out.append(totalLine(" Total params: ", total, totalBytes));
    out.append(totalLine(" Trainable params: ", trainable, 4 * trainable));
    out.append(totalLine(" Non-trainable params: ", nonTrainable, 4 * nonTrainable));
    if (optimizer > 0) {
      out.append(totalLine(" Optimizer params: ", optimizer, optimizerBytes));
    }
    return out.toString();
  }

  private String outputShape(Layer l) {
    List<KerasTensor> outs = null;
    for (Node n : l.inboundNodes()) {
      if (relevantNodes.contains(n)) {
        outs = n.outputs();
      }
    }
    if (outs == null) {
      return "?";
    }
    if (outs.size() == 1) {
      return KerasShape.format(outs.get(0).shape());
    }
    List<String> parts = new ArrayList<>();
    for (KerasTensor t : outs) {
      parts.add(KerasShape.format(t.shape()));
    }
    return "[" + String.join(", ", parts) + "]";
  }

  private String connections(Layer l) {
    StringBuilder sb = new StringBuilder();
    for (Node n : l.inboundNodes()) {
      if (!relevantNodes.contains(n)) {
        continue;
      }
      for (KerasTensor t : n.inputs()) {
        if (sb.length() > 0) {
          sb.append(", ");
        }
        sb.append(t.layer().name())
            .append('[')
            .append(t.nodeIndex())
            .append("][")
            .append(t.tensorIndex())
            .append(']');
      }
    }
    return sb.length() == 0 ? "-" : sb.toString();
  }

  /**
   * Column content widths: Keras asks for {@code int(position * lineLength)} columns; the table
   * (borders and one space of padding per side) is then shrunk to the line length by taking the
   * excess from each column in turn, rounding half to even, as rich does.
   */
  static int[] columnWidths(int lineLength, double[] positions) {
    int n = positions.length;
    int[] widths = new int[n];
    int current = 0;
    for (int i = 0; i < n; i++) {
      int w = (int) (positions[i] * lineLength) - current;
      if (w < 4) {
        throw new IllegalArgumentException("Insufficient console width to print summary.");
      }
      widths[i] = w + 2;
      current += w;
    }
    int available = lineLength - (n + 1);
    int table = 0;
    for (int w : widths) {
      table += w;
    }
    if (table > available) {
      int remaining = table - available;
      int ratioLeft = n;
      for (int i = 0; i < n; i++) {
        int take = Math.min(widths[i], (int) Math.rint((double) remaining / ratioLeft));
        widths[i] -= take;
        remaining -= take;
        ratioLeft--;
      }
    }
    for (int i = 0; i < n; i++) {
      widths[i] -= 2;
    }
    return widths;
  }

  private static String border(char left, char fill, char mid, char rightEnd, int[] widths) {
    StringBuilder sb = new StringBuilder();
    sb.append(left);
    for (int i = 0; i < widths.length; i++) {
      if (i > 0) {
        sb.append(mid);
      }
      sb.append(String.valueOf(fill).repeat(widths[i] + 2));
    }
    return sb.append(rightEnd).append('\n').toString();
  }

  private static void appendRow(
      StringBuilder out, String[] cells, int[] widths, boolean[] right, char bar) {
    List<List<String>> wrapped = new ArrayList<>();
    int lines = 1;
    for (int i = 0; i < cells.length; i++) {
      List<String> w = wrap(cells[i], widths[i]);
      wrapped.add(w);
      lines = Math.max(lines, w.size());
    }
    for (int line = 0; line < lines; line++) {
      out.append(bar);
      for (int i = 0; i < cells.length; i++) {
        if (i > 0) {
          out.append(bar);
        }
        String text = line < wrapped.get(i).size() ? wrapped.get(i).get(line) : "";
        String pad = " ".repeat(Math.max(0, widths[i] - text.length()));
        out.append(' ').append(right[i] ? pad + text : text + pad).append(' ');
      }
      out.append(bar).append('\n');
    }
  }

  /**
   * Greedy word wrap as rich's "ellipsis" overflow: a word longer than the width gets a line of its
   * own, cut to the width with a final "…" ({@code (MultiHeadAttentio…}).
   */
  static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      if (word.length() > width) {
        if (line.length() > 0) {
          lines.add(line.toString());
          line.setLength(0);
        }
        lines.add(word.substring(0, width - 1) + "…");
        continue;
      }
      if (line.length() == 0) {
        line.append(word);
      } else if (line.length() + 1 + word.length() <= width) {
        line.append(' ').append(word);
      } else {
        lines.add(line.toString());
        line.setLength(0);
        line.append(word);
      }
    }
    if (line.length() > 0 || lines.isEmpty()) {
      lines.add(line.toString());
    }
    return lines;
  }

  private static String totalLine(String label, long count, long bytes) {
    return label + String.format(Locale.ROOT, "%,d", count) + " (" + readableSize(bytes) + ")\n";
  }

  /**
   * Keras's {@code readable_memory_size}: bytes in B, KB, MB... (powers of 1024), two decimals
   * rounded as Python's {@code "%.2f"} does (the exact binary value, ties to even: 1.125 KB prints
   * 1.12).
   */
  static String readableSize(double bytes) {
    String[] units = {"B", "KB", "MB", "GB", "TB", "PB"};
    for (String unit : units) {
      if (bytes / 1024 < 1) {
        return twoDecimals(bytes) + " " + unit;
      }
      bytes /= 1024;
    }
    return twoDecimals(bytes) + " PB";
  }

  private static String twoDecimals(double v) {
    return new java.math.BigDecimal(v)
        .setScale(2, java.math.RoundingMode.HALF_EVEN)
        .toPlainString();
  }
}

package io.jkeras.ctr;

import io.jkeras.backend.HostArray;
import io.jkeras.data.ClickData;
import io.jkeras.data.Features;
import io.jkeras.initializers.Initializers;
import io.jkeras.layers.AttentionalFM;
import io.jkeras.layers.BiInteractionPooling;
import io.jkeras.layers.CIN;
import io.jkeras.layers.Concatenate;
import io.jkeras.layers.CrossNet;
import io.jkeras.layers.Dense;
import io.jkeras.layers.DotInteraction;
import io.jkeras.layers.Dropout;
import io.jkeras.layers.Embedding;
import io.jkeras.layers.FactorizationMachine;
import io.jkeras.layers.FeatureCross;
import io.jkeras.layers.FieldWeightedFM;
import io.jkeras.layers.Flatten;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.models.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builders for the standard CTR models, returning ordinary functional {@link Model}s (summary, fit,
 * save, export and serve like any other): {@code fm}, {@code fwfm}, {@code nfm}, {@code afm},
 * {@code deepfm}, {@code widedeep}, {@code dcn}, {@code dcnv2}, {@code xdeepfm}, {@code dlrm}.
 *
 * <p>Every model reads the {@link Features}: an int32 input {@code ids} {@code (fields,)} of ids in
 * the shared id space (DLRM: one int32 input {@code field_i} {@code (1,)} per field, since its
 * DotInteraction takes one tensor per feature) and, when there are numeric columns, a float32 input
 * {@code numeric}. Field embeddings come from one table {@code embedding} {@code (idSpace, k)}. The
 * "linear" part is {@code Dense(1)} over a second, 1-wide table ({@code linear_embedding}) and the
 * numeric columns. Each model's parts (linear, interaction, deep) are concatenated and combined by
 * {@code Dense(1, sigmoid)} named {@code output}, which learns their mix and the bias.
 *
 * <ul>
 *   <li>fm: linear + {@link FactorizationMachine} (Rendle 2010); fwfm: linear + {@link
 *       FieldWeightedFM}; afm: linear + {@link AttentionalFM}.
 *   <li>nfm: linear + MLP({@link BiInteractionPooling}); widedeep: linear + MLP(embeddings).
 *   <li>deepfm: linear + FM + MLP(embeddings) (Guo et al. 2017); xdeepfm: linear + {@link CIN} +
 *       MLP (Lian et al. 2018).
 *   <li>dcn: {@link CrossNet}(x0) and MLP(x0) in parallel, x0 = embeddings and numeric columns;
 *       dcnv2: a stack of {@link FeatureCross} layers (keras-rs's) and MLP(x0) in parallel.
 *   <li>dlrm: bottom MLP(numeric) to size k when there are numeric columns, {@link DotInteraction}
 *       over it and the field embeddings, top MLP over the interactions and the bottom output
 *       (Naumov et al. 2019).
 * </ul>
 *
 * <pre>{@code
 * Features f = Features.oneHot(10, 5382, 16);
 * try (Model m = CtrModels.builder("deepfm", f).hidden(400, 400).build()) {
 *   m.compile("adam", "binary_crossentropy", "auc");
 *   m.fit(CtrModels.inputs(m, train), List.of(train.labels()), FitOptions.epochs(10));
 * }
 * }</pre>
 */
public final class CtrModels {

  /** The model names {@link #builder} accepts. */
  public static final List<String> NAMES =
      List.of("fm", "fwfm", "nfm", "afm", "deepfm", "widedeep", "dcn", "dcnv2", "xdeepfm", "dlrm");

  private CtrModels() {}

  /** A builder for model {@code name} (one of {@link #NAMES}, case-insensitive). */
  public static Builder builder(String name, Features features) {
    String n = name.toLowerCase(Locale.ROOT).replace("-", "").replace("&", "");
    if (!NAMES.contains(n)) {
      throw new IllegalArgumentException(
          "CtrModels: unknown model \"" + name + "\"; expected one of " + NAMES);
    }
    return new Builder(n, features);
  }

  /** The arrays to feed {@code model} (built here) for {@code data}, in its input order. */
  public static List<HostArray> inputs(Model model, ClickData data) {
    List<HostArray> out = new ArrayList<>();
    for (KerasTensor in : model.inputs()) {
      String name = in.layer().name();
      if (name.equals("ids")) {
        out.add(data.ids());
      } else if (name.equals("numeric")) {
        out.add(data.numeric());
      } else if (name.startsWith("field_")) {
        int f = Integer.parseInt(name.substring("field_".length()));
        int[] column = new int[data.rows()];
        for (int r = 0; r < column.length; r++) {
          column[r] = data.id(r, f);
        }
        out.add(HostArray.ofInts(org.tensorflow.ndarray.Shape.of(data.rows(), 1), column));
      } else {
        throw new IllegalArgumentException(
            "CtrModels.inputs: model input \"" + name + "\" is not one CtrModels makes");
      }
    }
    return out;
  }

  /** Options of a CTR model, with defaults that suit Frappe-sized data. */
  public static final class Builder {
    private final String kind;
    private final Features features;
    private int[] hidden = {256, 128};
    private double dropout;
    private int crossLayers = 3;
    private Integer projectionDim;
    private List<Integer> cinSizes = List.of(128, 128);
    private int attentionUnits = 8;

    private Builder(String kind, Features features) {
      this.kind = kind;
      this.features = features;
    }

    /** Units of the MLP's hidden layers, relu (default 256, 128). */
    public Builder hidden(int... units) {
      for (int u : units) {
        if (u <= 0) {
          throw new IllegalArgumentException("CtrModels: hidden units must be positive, got " + u);
        }
      }
      this.hidden = units.clone();
      return this;
    }

    /** Dropout after each hidden layer (default 0). */
    public Builder dropout(double rate) {
      this.dropout = rate;
      return this;
    }

    /** Cross layers of DCN and DCN-v2 (default 3). */
    public Builder crossLayers(int layers) {
      this.crossLayers = layers;
      return this;
    }

    /** DCN-v2's low rank (default none: full matrices). */
    public Builder projectionDim(Integer rank) {
      this.projectionDim = rank;
      return this;
    }

    /** xDeepFM's CIN layer sizes (default 128, 128). */
    public Builder cinLayerSizes(Integer... sizes) {
      this.cinSizes = List.of(sizes);
      return this;
    }

    /** AFM's attention units (default 8). */
    public Builder attentionUnits(int units) {
      this.attentionUnits = units;
      return this;
    }

    /**
     * Builds the uncompiled model: an {@code "ids"} input (int32, one global id per field) and,
     * when the features have numeric columns, a {@code "numeric"} float32 input, one shared
     * embedding table, the architecture's parts summed into one logit and a sigmoid click
     * probability {@code (batch, 1)}.
     *
     * @return a new model; compile it with a binary loss before {@code fit}
     */
    public Model build() {
      int k = features.embeddingDim();
      int fields = features.fieldCount();
      boolean numeric = !features.numeric().isEmpty();
      List<KerasTensor> inputs = new ArrayList<>();
      KerasTensor nums =
          numeric ? Input.named("numeric", "float32", features.numeric().size()) : null;
      if (kind.equals("dlrm")) {
        return dlrm(k, fields, nums);
      }
      KerasTensor ids = Input.named("ids", "int32", fields);
      inputs.add(ids);
      if (nums != null) {
        inputs.add(nums);
      }
      KerasTensor e = Embedding.builder(features.idSpace(), k).name("embedding").build().apply(ids);
      KerasTensor flat = new Flatten("embedding_flat").apply(e);
      KerasTensor x0 = nums == null ? flat : new Concatenate(-1, "x0").apply(flat, nums);
      List<KerasTensor> parts = new ArrayList<>();
      if (!kind.equals("dcn") && !kind.equals("dcnv2")) {
        parts.add(linear(ids, nums));
      }
      switch (kind) {
        case "fm" -> parts.add(new FactorizationMachine(true, "fm").apply(e));
        case "fwfm" -> parts.add(new FieldWeightedFM(Initializers.get("ones"), "fwfm").apply(e));
        case "afm" ->
            parts.add(
                new AttentionalFM(attentionUnits, Initializers.get("glorot_uniform"), "afm")
                    .apply(e));
        case "nfm" -> parts.add(mlp(new BiInteractionPooling("bi_interaction").apply(e), "dnn"));
        case "widedeep" -> parts.add(mlp(x0, "dnn"));
        case "deepfm" -> {
          parts.add(new FactorizationMachine(true, "fm").apply(e));
          parts.add(mlp(x0, "dnn"));
        }
        case "xdeepfm" -> {
          parts.add(new CIN(cinSizes, "relu", Initializers.get("glorot_uniform"), "cin").apply(e));
          parts.add(mlp(x0, "dnn"));
        }
        case "dcn" -> {
          parts.add(
              new CrossNet(crossLayers, Initializers.get("glorot_uniform"), "cross_net").apply(x0));
          parts.add(mlp(x0, "dnn"));
        }
        case "dcnv2" -> {
          KerasTensor x = x0;
          for (int l = 0; l < crossLayers; l++) {
            x =
                FeatureCross.builder()
                    .projectionDim(projectionDim)
                    .name("cross_" + l)
                    .build()
                    .apply(x0, x);
          }
          parts.add(x);
          parts.add(mlp(x0, "dnn"));
        }
        default -> throw new IllegalStateException(kind);
      }
      return finish(inputs, parts);
    }

    private Model dlrm(int k, int fields, KerasTensor nums) {
      List<KerasTensor> inputs = new ArrayList<>();
      List<KerasTensor> vectors = new ArrayList<>();
      Embedding table = Embedding.builder(features.idSpace(), k).name("embedding").build();
      KerasTensor bottom = null;
      if (nums != null) {
        KerasTensor h = nums;
        for (int i = 0; i < hidden.length; i++) {
          h = Dense.builder(hidden[i]).activation("relu").name("bottom_" + i).build().apply(h);
        }
        bottom = Dense.builder(k).activation("relu").name("bottom_out").build().apply(h);
        vectors.add(bottom);
      }
      for (int f = 0; f < fields; f++) {
        KerasTensor id = Input.named("field_" + f, "int32", 1);
        inputs.add(id);
        vectors.add(new Flatten("field_" + f + "_flat").apply(table.apply(id)));
      }
      if (nums != null) {
        inputs.add(nums);
      }
      KerasTensor dots = new DotInteraction(false, false, "interaction").apply(vectors).get(0);
      KerasTensor top = bottom == null ? dots : new Concatenate(-1, "top_in").apply(dots, bottom);
      return finish(inputs, List.of(mlp(top, "top")));
    }

    /** {@code Dense(1)} over the 1-wide per-id weights and the numeric columns. */
    private KerasTensor linear(KerasTensor ids, KerasTensor nums) {
      KerasTensor w =
          Embedding.builder(features.idSpace(), 1)
              .embeddingsInitializer("zeros")
              .name("linear_embedding")
              .build()
              .apply(ids);
      KerasTensor flat = new Flatten("linear_flat").apply(w);
      KerasTensor in = nums == null ? flat : new Concatenate(-1, "linear_in").apply(flat, nums);
      return Dense.builder(1).name("linear").build().apply(in);
    }

    private KerasTensor mlp(KerasTensor x, String prefix) {
      for (int i = 0; i < hidden.length; i++) {
        x = Dense.builder(hidden[i]).activation("relu").name(prefix + "_" + i).build().apply(x);
        if (dropout > 0) {
          x = Dropout.builder(dropout).name(prefix + "_dropout_" + i).build().apply(x);
        }
      }
      return x;
    }

    private Model finish(List<KerasTensor> inputs, List<KerasTensor> parts) {
      KerasTensor joined =
          parts.size() == 1 ? parts.get(0) : new Concatenate(-1, "parts").apply(parts).get(0);
      KerasTensor out = Dense.builder(1).activation("sigmoid").name("output").build().apply(joined);
      return new Model(inputs, List.of(out), kind);
    }
  }
}

package io.jkeras.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The feature description of a CTR model: categorical fields (name, vocabulary size or hashing
 * bins, embedding size) and numeric columns.
 *
 * <p>All fields share one id space of {@link #idSpace()} ids, so a model looks every field up in
 * one embedding table: field {@code f}'s value {@code v} (0-based within the field) has the global
 * id {@code offset(f) + v}. {@link CsvReader} writes ids that way; libfm files carry global ids
 * already ({@link #oneHot}).
 *
 * <pre>{@code
 * Features f = Features.builder(16)
 *     .categorical("user", 958)           // vocabulary of 957 values + 1 out-of-vocabulary id
 *     .hashed("ad", 1 << 20)              // hashing bins
 *     .numeric("price")
 *     .build();
 * Model m = CtrModels.deepFm(f).build();
 * }</pre>
 */
public final class Features {

  /**
   * One categorical field: its ids are {@code offset .. offset + size - 1} in the shared space.
   *
   * @param hashed true when the ids are hashing bins rather than a vocabulary
   */
  public record Field(String name, int size, int offset, int embeddingDim, boolean hashed) {}

  private final List<Field> fields;
  private final List<String> numeric;
  private final int idSpace;

  private Features(List<Field> fields, List<String> numeric, int idSpace) {
    if (fields.isEmpty()) {
      throw new IllegalArgumentException("Features: at least one categorical field is needed");
    }
    this.fields = List.copyOf(fields);
    this.numeric = List.copyOf(numeric);
    this.idSpace = idSpace;
  }

  /**
   * A libfm-style description: {@code fields} one-hot fields whose ids are global, {@code 0 ..
   * idSpace-1}, every field looked up in the whole space (Frappe: 10 fields, 5382 ids).
   */
  public static Features oneHot(int fields, int idSpace, int embeddingDim) {
    positive("fields", fields);
    positive("idSpace", idSpace);
    positive("embeddingDim", embeddingDim);
    List<Field> list = new ArrayList<>();
    for (int i = 0; i < fields; i++) {
      list.add(new Field("field_" + i, idSpace, 0, embeddingDim, false));
    }
    return new Features(list, List.of(), idSpace);
  }

  /** A builder whose fields have embedding size {@code embeddingDim} unless given otherwise. */
  public static Builder builder(int embeddingDim) {
    positive("embeddingDim", embeddingDim);
    return new Builder(embeddingDim);
  }

  /** The categorical fields in declaration order, with their offsets in the shared id space. */
  public List<Field> fields() {
    return fields;
  }

  /** The number of categorical fields (the width of a model's {@code ids} input). */
  public int fieldCount() {
    return fields.size();
  }

  /** The names of the numeric columns, in input order. */
  public List<String> numeric() {
    return numeric;
  }

  /** The number of ids in the shared space: the rows of a shared embedding table. */
  public int idSpace() {
    return idSpace;
  }

  /**
   * The embedding size all fields share.
   *
   * @throws IllegalArgumentException when fields differ (field-interaction layers need one size)
   */
  public int embeddingDim() {
    int k = fields.get(0).embeddingDim();
    for (Field f : fields) {
      if (f.embeddingDim() != k) {
        throw new IllegalArgumentException(
            "Features: field interactions need one embedding size, but field \""
                + fields.get(0).name()
                + "\" has "
                + k
                + " and field \""
                + f.name()
                + "\" has "
                + f.embeddingDim());
      }
    }
    return k;
  }

  /** This description with every field's embedding size set to {@code embeddingDim}. */
  public Features withEmbeddingDim(int embeddingDim) {
    positive("embeddingDim", embeddingDim);
    List<Field> list = new ArrayList<>();
    for (Field f : fields) {
      list.add(new Field(f.name(), f.size(), f.offset(), embeddingDim, f.hashed()));
    }
    return new Features(list, numeric, idSpace);
  }

  private static void positive(String what, int v) {
    if (v <= 0) {
      throw new IllegalArgumentException("Features: " + what + " must be positive, got " + v);
    }
  }

  /** Builds a {@link Features}: fields get consecutive id ranges in declaration order. */
  public static final class Builder {
    private final int embeddingDim;
    private final List<Field> fields = new ArrayList<>();
    private final List<String> numeric = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private long next;

    private Builder(int embeddingDim) {
      this.embeddingDim = embeddingDim;
    }

    /** A field with a vocabulary of {@code size} ids (out-of-vocabulary ids included). */
    public Builder categorical(String name, int size) {
      return add(name, size, embeddingDim, false);
    }

    /** A field with its own embedding size. */
    public Builder categorical(String name, int size, int embeddingDim) {
      positive("embeddingDim", embeddingDim);
      return add(name, size, embeddingDim, false);
    }

    /** A field whose values are hashed into {@code bins} ids. */
    public Builder hashed(String name, int bins) {
      return add(name, bins, embeddingDim, true);
    }

    /** A numeric column, fed as a float input. */
    public Builder numeric(String name) {
      unique(name);
      numeric.add(name);
      return this;
    }

    private Builder add(String name, int size, int k, boolean hashed) {
      unique(name);
      positive("size of field \"" + name + "\"", size);
      if (next + size > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "Features: the fields' ids exceed " + Integer.MAX_VALUE + " at field \"" + name + "\"");
      }
      fields.add(new Field(name, size, (int) next, k, hashed));
      next += size;
      return this;
    }

    private void unique(String name) {
      if (name == null || name.isEmpty() || !names.add(name)) {
        throw new IllegalArgumentException(
            "Features: names must be non-empty and unique, got \"" + name + "\" twice or empty");
      }
    }

    /** The features: field offsets in the shared id space follow declaration order. */
    public Features build() {
      return new Features(fields, numeric, (int) next);
    }
  }
}

package io.jkeras.distribute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.GlobalSeed;
import io.jkeras.backend.Distribution;
import io.jkeras.backend.DistributionScope;
import io.jkeras.backend.ForwardPass;
import io.jkeras.backend.GraphSession;
import io.jkeras.backend.GraphVariable;
import io.jkeras.backend.HostArray;
import io.jkeras.backend.RowPartition;
import io.jkeras.backend.SessionOptions;
import io.jkeras.layers.Dense;
import io.jkeras.layers.Embedding;
import io.jkeras.layers.Flatten;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.models.Model;
import io.jkeras.models.ModelRuntime;
import io.jkeras.optimizers.Adafactor;
import io.jkeras.optimizers.Adagrad;
import io.jkeras.optimizers.Adam;
import io.jkeras.optimizers.LazyAdam;
import io.jkeras.optimizers.Optimizer;
import io.jkeras.optimizers.SGD;
import io.jkeras.testing.Numerics;
import io.jkeras.training.FitOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Lookup tables split by rows through the {@link Distribution#rowPartition} seam, in one process: a
 * distribution that splits every table into row shards on the local device stands for a
 * parameter-server strategy with a partitioner, so the id split, the stitched lookups and the
 * per-shard updates are checked against plain Java and against unsplit training without a cluster.
 */
class RowPartitionedTableTest {

  @TempDir Path dir;

  /** Every table in {@code shards} shards, on this process's device. */
  private static Distribution splitInto(int shards) {
    return new Distribution() {
      @Override
      public RowPartition rowPartition(String group, Shape shape) {
        return RowPartition.of(shape.size(0), (int) Math.min(shards, shape.size(0)));
      }
    };
  }

  @Test
  void shardOfRowsMatchesAPlainJavaReferenceAtEveryBoundary() {
    for (long[] c : new long[][] {{10, 3}, {100_000, 2}, {7, 7}, {1001, 4}, {5, 1}, {9, 2}}) {
      long rows = c[0];
      int shards = (int) c[1];
      RowPartition p = RowPartition.of(rows, shards);
      // Reference: shards of rows / shards rows, the first rows % shards one longer, in order.
      int[] owner = new int[(int) rows];
      long[] first = new long[shards];
      int row = 0;
      for (int s = 0; s < shards; s++) {
        long size = rows / shards + (s < rows % shards ? 1 : 0);
        first[s] = row;
        assertEquals(size, p.shardRows(s), c[0] + "/" + c[1] + " shard " + s);
        for (long k = 0; k < size; k++) {
          owner[row++] = s;
        }
      }
      assertEquals(rows, row);
      for (int s = 0; s < shards; s++) {
        assertEquals(first[s], p.offset(s));
      }
      for (int id = 0; id < rows; id++) {
        assertEquals(owner[id], p.shardOf(id), "row " + id + " of " + p);
      }
      assertThrows(IllegalArgumentException.class, () -> p.shardOf(rows));
      assertThrows(IllegalArgumentException.class, () -> p.shardOf(-1));
    }
    assertThrows(IllegalArgumentException.class, () -> RowPartition.of(3, 4));
    assertThrows(IllegalArgumentException.class, () -> RowPartition.of(3, 0));
  }

  @Test
  void partitionersCountShardsAsKerasDoes() {
    // TensorFlow: max(1, min(rows, max_shards, ceil(bytes / min_shard_bytes))).
    Shape table = Shape.of(100_000, 8); // 3,200,000 bytes
    assertEquals(4, new MinSizePartitioner(1 << 20, 4).numShards(table)); // ceil(3.05) = 4
    assertEquals(4, new MinSizePartitioner(1 << 20, 10).numShards(table));
    assertEquals(2, new MinSizePartitioner(1 << 20, 2).numShards(table));
    assertEquals(1, new MinSizePartitioner(256 << 10, 1).numShards(table)); // Keras's defaults
    assertEquals(1, new MinSizePartitioner(4_000_000, 8).numShards(table));
    assertEquals(3, new MinSizePartitioner(1, 100).numShards(Shape.of(3, 1000)));
    assertEquals(2, new FixedShardsPartitioner(2).numShards(table));
    assertEquals(3, new FixedShardsPartitioner(5).numShards(Shape.of(3, 2)));
    assertThrows(IllegalArgumentException.class, () -> new MinSizePartitioner(0, 2));
    assertThrows(IllegalArgumentException.class, () -> new FixedShardsPartitioner(0));
  }

  @Test
  void splitLookupsAndJoinedReadsEqualTheWholeTable() {
    int rows = 1001;
    int dim = 3;
    float[] table = Numerics.uniform(new Random(1), rows * dim, -1, 1);
    // Ids at every shard boundary (251, 501, 751 start shards 1..3), repeated ids, both ends.
    int[][] ids = {{0, 250, 251, 252, 500}, {501, 750, 751, 1000, 251}, {1000, 0, 0, 999, 502}};
    try (GraphSession g = GraphSession.create(SessionOptions.defaults(), splitInto(4))) {
      Ops tf = g.tf();
      GraphVariable<TFloat32> v =
          GraphVariable.table(g, tf.withSubScope("t"), "table", "t/table", Shape.of(rows, dim));
      assertEquals(4, v.partition().shards());
      assertThrows(IllegalStateException.class, v::variable);
      v.initialize(table);
      assertArrayEquals(table, v.readFloats());
      for (int s = 0; s < 4; s++) {
        assertEquals(v.partition().shardRows(s), v.shard(s).shape().size(0));
      }
      Operand<TFloat32> looked = v.gather(tf, tf.constant(ids));
      assertArrayEquals(new long[] {3, 5, dim}, looked.shape().asArray());
      float[] got = new float[ids.length * ids[0].length * dim];
      try (Result r = g.session().runner().fetch(looked).run()) {
        ((TFloat32) r.get(0)).copyTo(DataBuffers.of(got, false, false));
      }
      float[] want = new float[got.length];
      int k = 0;
      for (int[] row : ids) {
        for (int id : row) {
          System.arraycopy(table, id * dim, want, k, dim);
          k += dim;
        }
      }
      assertArrayEquals(want, got);
      // A write is split over the shards: shard 3 starts at row 751.
      float[] other = Numerics.uniform(new Random(2), rows * dim, -1, 1);
      v.write(other);
      assertArrayEquals(other, v.readFloats());
      float[] shard3 = new float[(int) v.shard(3).shape().size()];
      try (Result r = g.session().runner().fetch(v.shard(3)).run()) {
        ((TFloat32) r.get(0)).copyTo(DataBuffers.of(shard3, false, false));
      }
      float[] expected = new float[shard3.length];
      System.arraycopy(other, 751 * dim, expected, 0, expected.length);
      assertArrayEquals(expected, shard3);
    }
  }

  @Test
  void aSplitTableGetsTheWholeTablesInitialValuesStreamedPieceByPiece() {
    // 150,000 rows of 8 per shard: two pieces each (131,072 + 18,928 rows).
    int rows = 300_000;
    int dim = 8;
    int[][] ids = {{0, 131_071, 131_072, 149_999}, {150_000, 281_072, 299_999, 7}};
    float[] whole;
    float[] wholeRows;
    GlobalSeed.set(5);
    try (Model m = lookupModel(rows, dim)) {
      wholeRows = flat(m.predict(HostArray.of(ids)));
      whole = tableOf(m).read();
    }
    GlobalSeed.set(5);
    try (DistributionScope s = DistributionScope.enter(splitInto(2));
        Model m = lookupModel(rows, dim)) {
      float[] splitRows = flat(m.predict(HostArray.of(ids)));
      assertEquals(2, tableOf(m).rowPartition().shards());
      assertArrayEquals(wholeRows, splitRows);
      assertArrayEquals(whole, tableOf(m).read());
    }
    for (int i = 0; i < ids.length * ids[0].length; i++) {
      assertTrue(Math.abs(wholeRows[i * dim]) < 0.05f && wholeRows[i * dim] != 0, "" + i);
    }
  }

  @Test
  void anIdOutOfRangeFailsNamingTheLayerAndTheRange() {
    try (DistributionScope s = DistributionScope.enter(splitInto(2));
        Model m = tableModel(10, 2, "ids_table")) {
      for (int bad : new int[] {10, -1}) {
        RuntimeException e =
            assertThrows(RuntimeException.class, () -> m.predict(new int[][] {{1, bad, 3, 4}}));
        // predict checks ids on the host before the graph runs.
        assertTrue(e.getMessage().contains("\"ids_table\" (Embedding)"), e.getMessage());
        assertTrue(e.getMessage().contains("[0, 10)"), e.getMessage());
      }
      // The boundary ids themselves are fine: 4 ends shard 0, 5 starts shard 1.
      float[][] y = m.predict(new int[][] {{4, 5, 0, 9}});
      assertEquals(1, y.length);
      assertEquals(2, tableOf(m).rowPartition().shards());
    }
  }

  @Test
  void theGraphRefusesAnIdOutOfRangeBeforeSplittingIds() {
    try (GraphSession g = GraphSession.create(SessionOptions.defaults(), splitInto(2))) {
      Embedding e = Embedding.builder(10, 2).name("graph_table").build();
      for (int bad : new int[] {10, 12, -1}) {
        Operand<?> y = e.apply(new ForwardPass(g, false), g.tf().constant(new int[][] {{1, bad}}));
        assertEquals(2, e.embeddings().rowPartition().shards());
        RuntimeException x =
            assertThrows(RuntimeException.class, () -> g.session().runner().fetch(y).run().close());
        assertTrue(x.getMessage().contains("Layer graph_table (Embedding)"), x.getMessage());
        assertTrue(x.getMessage().contains("every id must be in [0, 10)"), x.getMessage());
      }
      Operand<?> ok =
          e.apply(new ForwardPass(g, false), g.tf().constant(new int[][] {{4, 5}, {0, 9}}));
      try (Result r = g.session().runner().fetch(ok).run()) {
        float[] got = new float[8];
        ((TFloat32) r.get(0)).copyTo(DataBuffers.of(got, false, false));
        float[] table = e.embeddings().read();
        int k = 0;
        for (int id : new int[] {4, 5, 0, 9}) {
          for (int d = 0; d < 2; d++) {
            assertEquals(table[id * 2 + d], got[k++]);
          }
        }
      }
    }
  }

  @Test
  void trainingSplitTablesEqualsTrainingWholeOnes() {
    List<Supplier<Optimizer>> optimizers =
        List.of(
            () -> new Adagrad(0.5), // row-sparse per shard
            () -> new LazyAdam(0.05), // row-sparse per shard, two slots
            () -> new Adam(0.05), // dense per shard, from the rows
            () -> (Optimizer) new SGD(0.3, 0.9, false).weightDecay(0.01).clipnorm(0.5));
    for (Supplier<Optimizer> opt : optimizers) {
      List<FloatNdArray> start;
      List<FloatNdArray> whole;
      List<Object> wholeState;
      float[][] wholePrediction;
      try (Model m = tableModel(1001, 3, "emb")) {
        m.compile(opt.get(), "binary_crossentropy");
        start = m.getWeights();
        train(m);
        whole = m.getWeights();
        wholeState = m.optimizer().state();
        wholePrediction = m.predict(xs(1001, 16));
      }
      try (DistributionScope s = DistributionScope.enter(splitInto(3));
          Model m = tableModel(1001, 3, "emb")) {
        m.compile(opt.get(), "binary_crossentropy");
        m.setWeights(start);
        train(m);
        String what = m.optimizer().className();
        assertEquals(3, tableOf(m).rowPartition().shards(), what);
        assertEquals(3, countShardVariables(m, "emb"), what);
        List<FloatNdArray> split = m.getWeights();
        for (int i = 0; i < whole.size(); i++) {
          assertEquals(whole.get(i).shape(), split.get(i).shape(), what);
          assertClose(flat(whole.get(i)), flat(split.get(i)), 1e-5, what + " weight " + i);
        }
        List<Object> state = m.optimizer().state();
        assertEquals(wholeState.size(), state.size(), what);
        for (int i = 2; i < state.size(); i++) {
          assertClose((float[]) wholeState.get(i), (float[]) state.get(i), 1e-4, what + " slot");
        }
        float[][] p = m.predict(xs(1001, 16));
        for (int i = 0; i < p.length; i++) {
          assertClose(wholePrediction[i], p[i], 1e-5, what + " prediction");
        }
        if (opt.get() instanceof Adagrad) {
          // Saved with the full shape and the joined values; read back by an unsplit model.
          m.save(dir.resolve("split.keras"));
          try (Model loaded = Model.load(dir.resolve("split.keras"))) {
            List<FloatNdArray> back = loaded.getWeights();
            assertArrayEquals(new long[] {1001, 3}, back.get(0).shape().asArray());
            for (int i = 0; i < back.size(); i++) {
              assertArrayEquals(flat(split.get(i)), flat(back.get(i)));
            }
            assertNull(((Embedding) loaded.getLayer("emb")).embeddings().rowPartition());
          }
          // Setting the weights of a trained split model splits them over the shards.
          List<FloatNdArray> fresh = new ArrayList<>(start);
          m.setWeights(fresh);
          for (int i = 0; i < fresh.size(); i++) {
            assertArrayEquals(flat(fresh.get(i)), flat(m.getWeights().get(i)));
          }
        }
      }
    }
  }

  @Test
  void whatCannotWorkOnASplitTableIsRefusedClearly() {
    try (DistributionScope s = DistributionScope.enter(splitInto(2))) {
      KerasTensor in = Input.of("int32", 2);
      Embedding e = Embedding.builder(6, 2).embeddingsRegularizer("l2").name("reg").build();
      try (Model m = new Model(in, new Flatten().apply(e.apply(in)))) {
        RuntimeException x =
            assertThrows(RuntimeException.class, () -> m.predict(new int[][] {{1, 2}}));
        assertTrue(x.getMessage().contains("\"reg\" weight \"embeddings\""), x.getMessage());
        assertTrue(x.getMessage().contains("regularizer"), x.getMessage());
      }
      try (Model m = tableModel(6, 2, "fact")) {
        m.compile(new Adafactor(), "mse");
        RuntimeException x =
            assertThrows(
                RuntimeException.class,
                () ->
                    m.fit(
                        HostArray.of(new int[][] {{1, 2, 3, 4}}),
                        HostArray.of(new float[] {1}),
                        FitOptions.epochs(1).verbose(0)));
        assertTrue(x.getMessage().contains("fact/embeddings"), x.getMessage());
        assertTrue(x.getMessage().contains("row shards"), x.getMessage());
      }
    }
    assertNotNull(Distribution.LOCAL);
  }

  /** Ids in, their rows of an Embedding(rows, dim) out. */
  private static Model lookupModel(int rows, int dim) {
    KerasTensor in = Input.of("int32", 4);
    return new Model(in, new Embedding(rows, dim).apply(in));
  }

  private static Model tableModel(int rows, int dim, String name) {
    KerasTensor in = Input.of("int32", 4);
    KerasTensor e = Embedding.builder(rows, dim).name(name).build().apply(in);
    return new Model(in, new Dense(1, "sigmoid").apply(new Flatten().apply(e)));
  }

  private static io.jkeras.layers.Weight tableOf(Model m) {
    for (io.jkeras.layers.Weight w : m.weights()) {
      if (w.name().equals("embeddings")) {
        return w;
      }
    }
    throw new AssertionError("no table");
  }

  private static int countShardVariables(Model m, String layer) {
    int n = 0;
    Iterator<GraphOperation> ops = ModelRuntime.of(m).graphSession().graph().operations();
    while (ops.hasNext()) {
      GraphOperation op = ops.next();
      if (op.type().equals("VariableV2")
          && op.name().matches(".*" + layer + "/embeddings/part_\\d+")) {
        n++;
      }
    }
    return n;
  }

  private static int[][] xs(int rows, int n) {
    int[][] x = new int[n][4];
    for (int i = 0; i < n; i++) {
      for (int f = 0; f < 4; f++) {
        // Ids around the shard boundaries (334, 668) and at both ends.
        x[i][f] = (int) ((i * 7919L + f * 334L + (f == 3 ? 1000 : 0)) % rows);
      }
    }
    return x;
  }

  private static void train(Model m) {
    int[][] x = xs(1001, 96);
    float[] y = new float[x.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = (x[i][0] + x[i][1]) % 3 == 0 ? 1f : 0f;
    }
    m.fit(
        HostArray.of(x),
        HostArray.of(y),
        FitOptions.epochs(3).batchSize(16).shuffle(false).verbose(0));
  }

  private static float[] flat(FloatNdArray a) {
    float[] out = new float[(int) a.size()];
    a.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  private static void assertClose(float[] want, float[] got, double tol, String what) {
    assertEquals(want.length, got.length, what);
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], tol * Math.max(1, Math.abs(want[i])), what + " [" + i + "]");
    }
  }
}

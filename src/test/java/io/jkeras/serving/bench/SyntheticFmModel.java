package io.jkeras.serving.bench;

import io.jkeras.serving.ModelLoader;
import io.jkeras.serving.ServableModel;
import io.jkeras.serving.SignatureSpec;
import io.jkeras.serving.TensorData;
import io.jkeras.serving.TensorSpec;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;

/**
 * A pure-Java stand-in for the FM SavedModel, for benchmarking the server without TensorFlow: a
 * factorization machine over a bag of token ids. Input {@code x}: int32 [-1, length]; output {@code
 * y}: float [-1, 1], the sigmoid of {@code w0 + sum w[t] + 1/2 sum_f ((sum_t v[t][f])^2 - sum_t
 * v[t][f]^2)}.
 *
 * <p>A version folder holds {@code synthetic-fm.properties}: {@code vocab=20000}, {@code
 * length=100}, {@code factors=16}, {@code seed=1}.
 *
 * <pre>{@code
 * ServableModel m = new SyntheticFmModel.Loader().load(Path.of("bench/fm/1"));
 * }</pre>
 */
public final class SyntheticFmModel implements ServableModel {

  public static final String MARKER = "synthetic-fm.properties";

  private final int vocab;
  private final int length;
  private final int factors;
  private final float[] w;
  private final float[] v;
  private final Map<String, SignatureSpec> signatures;

  SyntheticFmModel(int vocab, int length, int factors, long seed) {
    this.vocab = vocab;
    this.length = length;
    this.factors = factors;
    SplittableRandom r = new SplittableRandom(seed);
    w = new float[vocab];
    v = new float[vocab * factors];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (r.nextDouble() - 0.5) * 0.01f;
    }
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (r.nextDouble() - 0.5) * 0.1f;
    }
    signatures =
        Map.of(
            DEFAULT_SIGNATURE,
            new SignatureSpec(
                DEFAULT_SIGNATURE,
                SignatureSpec.PREDICT_METHOD,
                Map.of(
                    "x",
                    new TensorSpec("serving_default_x:0", "DT_INT32", new long[] {-1, length})),
                Map.of(
                    "y",
                    new TensorSpec("StatefulPartitionedCall:0", "DT_FLOAT", new long[] {-1, 1}))));
  }

  @Override
  public Map<String, SignatureSpec> signatures() {
    return signatures;
  }

  @Override
  public Map<String, TensorData> run(String signature, Map<String, TensorData> inputs) {
    TensorData x = inputs.get("x");
    int[] ids = x.ints();
    int rows = (int) x.dim(0);
    float[] y = new float[rows];
    float[] sum = new float[factors];
    for (int row = 0; row < rows; row++) {
      java.util.Arrays.fill(sum, 0f);
      float linear = 0f;
      float squares = 0f;
      for (int j = 0; j < length; j++) {
        int t = Math.floorMod(ids[row * length + j], vocab);
        linear += w[t];
        int base = t * factors;
        for (int f = 0; f < factors; f++) {
          float e = v[base + f];
          sum[f] += e;
          squares += e * e;
        }
      }
      float pair = 0f;
      for (int f = 0; f < factors; f++) {
        pair += sum[f] * sum[f];
      }
      float logit = linear + 0.5f * (pair - squares);
      y[row] = (float) (1 / (1 + Math.exp(-logit)));
    }
    return Map.of("y", TensorData.ofFloats(y, rows, 1));
  }

  @Override
  public void close() {}

  /** Writes a version folder for this model. */
  public static void writeVersion(Path dir, int vocab, int length, int factors)
      throws java.io.IOException {
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve(MARKER),
        "vocab=" + vocab + "\nlength=" + length + "\nfactors=" + factors + "\nseed=1\n");
  }

  /** Loads a version folder written by {@link #writeVersion}. */
  public static final class Loader implements ModelLoader {
    @Override
    public ServableModel load(Path dir) throws Exception {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(dir.resolve(MARKER))) {
        p.load(r);
      }
      return new SyntheticFmModel(
          Integer.parseInt(p.getProperty("vocab", "20000")),
          Integer.parseInt(p.getProperty("length", "100")),
          Integer.parseInt(p.getProperty("factors", "16")),
          Long.parseLong(p.getProperty("seed", "1")));
    }
  }
}

package io.jkeras.distribute;

import io.jkeras.GlobalSeed;
import io.jkeras.backend.HostArray;
import io.jkeras.layers.Dense;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Weight;
import io.jkeras.models.Model;
import io.jkeras.optimizers.SGD;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A small regression problem whose model starts from fixed weights, in every process alike, or from
 * seeded initializers.
 */
public final class TinyProblem {

  /** Rows of the problem. */
  public static final int ROWS = 96;

  /** Features per row. */
  public static final int FEATURES = 4;

  /** The global batch the distributed runs split between replicas. */
  public static final int GLOBAL_BATCH = 16;

  private TinyProblem() {}

  /** The features, (ROWS, FEATURES). */
  public static float[][] features() {
    float[][] x = new float[ROWS][FEATURES];
    for (int i = 0; i < ROWS; i++) {
      for (int j = 0; j < FEATURES; j++) {
        x[i][j] = (float) Math.sin(0.37 * i + 1.3 * j);
      }
    }
    return x;
  }

  /** The targets, (ROWS). */
  public static float[] labels() {
    float[] y = new float[ROWS];
    for (int i = 0; i < ROWS; i++) {
      y[i] = (float) (Math.cos(0.21 * i) + 0.5 * Math.sin(0.9 * i));
    }
    return y;
  }

  static HostArray x() {
    return HostArray.of(features());
  }

  static HostArray y() {
    return HostArray.of(labels());
  }

  /** Dense(8, relu) then Dense(1), compiled with SGD(0.05) and mean squared error. */
  public static Model model() {
    KerasTensor in = Input.of(FEATURES);
    KerasTensor out = new Dense(1).apply(new Dense(8, "relu").apply(in));
    Model m = new Model(in, out);
    for (Weight w : m.weights()) {
      float[] v = new float[(int) w.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (0.3 * Math.sin(1.7 * i + w.size()));
      }
      w.assign(v);
    }
    m.compile(new SGD(0.05), "mse");
    return m;
  }

  /**
   * The model of {@link #model()} with the initial weights its initializers draw after {@code
   * GlobalSeed.set(seed)} (Glorot uniform kernels, zero biases).
   */
  static Model seededModel(long seed) {
    GlobalSeed.set(seed);
    KerasTensor in = Input.of(FEATURES);
    KerasTensor out = new Dense(1).apply(new Dense(8, "relu").apply(in));
    Model m = new Model(in, out);
    m.compile(new SGD(0.05), "mse");
    return m;
  }

  static void writeWeights(Model m, Path file) throws IOException {
    List<String> lines = new ArrayList<>();
    for (Weight w : m.weights()) {
      float[] v = w.read();
      StringBuilder b = new StringBuilder();
      for (float f : v) {
        b.append(Float.toString(f)).append(' ');
      }
      lines.add(b.toString().trim());
    }
    Files.write(file, lines);
  }

  static List<float[]> readWeights(Path file) throws IOException {
    List<float[]> out = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      String[] parts = line.trim().split(" ");
      float[] v = new float[parts.length];
      for (int i = 0; i < v.length; i++) {
        v[i] = Float.parseFloat(parts[i]);
      }
      out.add(v);
    }
    return out;
  }

  static List<float[]> weights(Model m) {
    return m.weights().stream().map(Weight::read).collect(Collectors.toList());
  }
}

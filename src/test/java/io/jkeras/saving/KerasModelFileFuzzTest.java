package io.jkeras.saving;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jkeras.GlobalSeed;
import io.jkeras.models.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Randomly damaged model files (seeded): bytes flipped in the archive and in the HDF5 inside it,
 * archives and legacy .h5 files cut short, config.json members removed or given values of the wrong
 * type. Loading each one either yields a model (the damage missed everything that matters) or
 * throws a {@link KerasFileException}; any other exception, or a hang, fails the test.
 */
class KerasModelFileFuzzTest {

  private static final long SEED = 20261127L;
  private static final int PER_KIND = 160;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** One damaged input: how it was made, and its bytes. */
  private record Case(String description, byte[] bytes) {}

  @Test
  void damagedModelFilesOnlyEverFailWithKerasFileException() throws Exception {
    Random random = new Random(SEED);
    List<byte[]> archives = new ArrayList<>();
    GlobalSeed.set(5);
    for (String arch : List.of("fm", "shared", "sequential")) {
      Path file = dir.resolve(arch + ".keras");
      try (Model m = ModelFileFixtures.build(arch)) {
        m.compile("adam", "binary_crossentropy", "accuracy");
        ModelFileFixtures.fit(m, arch, 1);
        KerasModelFile.save(m, file);
      }
      archives.add(Files.readAllBytes(file));
    }
    Path py = ModelFileFixtures.pythonFiles();
    archives.add(Files.readAllBytes(py.resolve("py_fm.keras")));
    List<byte[]> legacy =
        List.of(
            Files.readAllBytes(py.resolve("py_fm.h5")),
            Files.readAllBytes(py.resolve("k2_fm.h5")),
            Files.readAllBytes(py.resolve("k2_seq.h5")));

    List<Case> cases = new ArrayList<>();
    for (int i = 0; i < PER_KIND; i++) {
      int a = random.nextInt(archives.size());
      cases.add(flipped("archive " + a, archives.get(a), random));
      cases.add(truncated("archive " + a, archives.get(a), random));
      cases.add(innerWeightsFlipped(a, archives.get(a), random));
      cases.add(configMutated(a, archives.get(a), random));
      cases.add(configMutated(a, archives.get(a), random));
      int h = random.nextInt(legacy.size());
      cases.add(flipped("legacy h5 " + h, legacy.get(h), random));
      cases.add(truncated("legacy h5 " + h, legacy.get(h), random));
    }

    Path file = dir.resolve("damaged.keras");
    int failed = 0;
    long start = System.nanoTime();
    ExecutorService executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "fuzz-load");
              t.setDaemon(true);
              return t;
            });
    try {
      for (Case c : cases) {
        Files.write(file, c.bytes());
        Future<Throwable> outcome =
            executor.submit(
                () -> {
                  try (Model m = KerasModelFile.load(file)) {
                    return null;
                  } catch (Throwable t) {
                    return t;
                  }
                });
        Throwable t;
        try {
          t = outcome.get(20, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
          fail("Loading hung on " + c.description());
          return;
        } catch (ExecutionException e) {
          t = e.getCause();
        }
        if (t == null) {
          continue;
        }
        if (!(t instanceof KerasFileException)) {
          fail(
              c.description()
                  + " raised "
                  + t.getClass().getName()
                  + " instead of a"
                  + " KerasFileException",
              t);
        }
        failed++;
      }
    } finally {
      executor.shutdownNow();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "fuzz: %d damaged files, %d refused with KerasFileException, %d still"
            + " loaded, %.1f s%n",
        cases.size(), failed, cases.size() - failed, seconds);
    assertTrue(cases.size() >= 1000, "cases: " + cases.size());
    // Truncations and most flips cannot load; a few flips land in bytes nobody reads.
    assertTrue(failed > cases.size() / 2, failed + " of " + cases.size() + " refused");
  }

  // ---- mutations ----------------------------------------------------------------------------

  private static Case flipped(String what, byte[] original, Random random) {
    byte[] b = original.clone();
    int flips = 1 + random.nextInt(4);
    List<Integer> at = new ArrayList<>();
    for (int i = 0; i < flips; i++) {
      int pos = random.nextInt(b.length);
      b[pos] ^= (byte) (1 + random.nextInt(255));
      at.add(pos);
    }
    return new Case(what + " with bytes flipped at " + at, b);
  }

  private static Case truncated(String what, byte[] original, Random random) {
    int length = random.nextInt(original.length);
    return new Case(
        what + " cut to " + length + " of " + original.length + " bytes",
        Arrays.copyOf(original, length));
  }

  /** The archive rebuilt (valid zip, right CRCs) around a damaged model.weights.h5. */
  private Case innerWeightsFlipped(int index, byte[] archive, Random random) {
    KerasArchive a = readArchive(archive);
    byte[] h5 = a.members.get("model.weights.h5").clone();
    List<Integer> at = new ArrayList<>();
    int flips = 1 + random.nextInt(4);
    for (int i = 0; i < flips; i++) {
      int pos = random.nextInt(h5.length);
      h5[pos] ^= (byte) (1 + random.nextInt(255));
      at.add(pos);
    }
    if (random.nextInt(4) == 0) {
      int cut = random.nextInt(h5.length);
      h5 = Arrays.copyOf(h5, cut);
      at.add(-cut);
    }
    a.members.put("model.weights.h5", h5);
    return new Case(
        "archive " + index + " with model.weights.h5 damaged at " + at,
        a.bytes(random.nextBoolean()));
  }

  /** The archive with one member somewhere in config.json removed or replaced. */
  private Case configMutated(int index, byte[] archive, Random random) {
    KerasArchive a = readArchive(archive);
    Object config;
    try {
      config = JSON.readValue(a.members.get("config.json"), Object.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> path = new ArrayList<>();
    String change = mutate(config, random, path);
    try {
      a.members.put("config.json", JSON.writeValueAsBytes(config));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Case(
        "archive " + index + " with config.json " + String.join("", path) + " " + change,
        a.bytes(false));
  }

  /** Walks to a random node and removes or replaces it; returns what it did. */
  @SuppressWarnings("unchecked")
  private static String mutate(Object node, Random random, List<String> path) {
    while (true) {
      List<Object> keys = new ArrayList<>();
      if (node instanceof Map<?, ?> m) {
        keys.addAll(m.keySet());
      } else if (node instanceof List<?> l) {
        for (int i = 0; i < l.size(); i++) {
          keys.add(i);
        }
      }
      if (keys.isEmpty()) {
        return "unchanged (empty)";
      }
      Object key = keys.get(random.nextInt(keys.size()));
      Object child =
          node instanceof Map<?, ?> m ? m.get(key) : ((List<Object>) node).get((Integer) key);
      path.add(key instanceof Integer ? "[" + key + "]" : "." + key);
      boolean container = child instanceof Map || child instanceof List;
      // Stop here with some probability, or when there is nowhere deeper to go.
      if (!container || random.nextInt(4) == 0) {
        if (node instanceof Map<?, ?> && random.nextInt(3) == 0) {
          ((Map<String, Object>) node).remove(key);
          return "removed";
        }
        Object replacement = wrongValue(child, random);
        if (node instanceof Map<?, ?>) {
          ((Map<String, Object>) node).put((String) key, replacement);
        } else {
          ((List<Object>) node).set((Integer) key, replacement);
        }
        return "set to " + replacement;
      }
      node = child;
    }
  }

  /** A value of another JSON type than {@code current} (or an odd one of the same type). */
  private static Object wrongValue(Object current, Random random) {
    List<Object> choices = new ArrayList<>();
    choices.add(null);
    choices.add("x");
    choices.add(true);
    choices.add(-1);
    choices.add(0);
    choices.add(7);
    choices.add(1.5);
    choices.add(Long.MAX_VALUE);
    choices.add(new ArrayList<>(List.of(1, "a")));
    choices.add(new LinkedHashMap<>(Map.of("class_name", "Mystery")));
    choices.add(new ArrayList<>());
    choices.add(new LinkedHashMap<>());
    Object v;
    do {
      v = choices.get(random.nextInt(choices.size()));
    } while (v == null ? current == null : v.equals(current));
    return v;
  }

  private static KerasArchive readArchive(byte[] bytes) {
    try {
      Path tmp = Files.createTempFile("fuzz-", ".keras");
      try {
        Files.write(tmp, bytes);
        return KerasArchive.read(tmp);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.jkeras.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leftovers of writers killed mid-write are removed by the next write in their folder, a live
 * writer's are not.
 */
class AtomicFileTest {

  @TempDir Path dir;

  @Test
  void theNextWriteRemovesTheTemporaryFilesOfDeadWritersOnly() throws Exception {
    Path target = dir.resolve("y.keras");
    // Process ids above Linux's pid_max (4194304) are never running.
    Path dead = Files.writeString(dir.resolve(".y.keras.999999999-1f.tmp"), "half");
    Path deadWeights = Files.writeString(dir.resolve(".y.keras.999999998-2e.tmp.weights.h5"), "x");
    long live = ProcessHandle.current().parent().orElseThrow().pid();
    Path alive = Files.writeString(dir.resolve(".y.keras." + live + "-3d.tmp"), "writing");
    // Another target's leftover in the same folder goes too; files not named like ours stay.
    Path other = Files.writeString(dir.resolve(".z.keras.999999999-1f.tmp"), "killed");
    Path notOurs = Files.writeString(dir.resolve(".z.keras.abc-1f.tmp"), "not ours");
    AtomicFile.write(target, tmp -> Files.writeString(tmp, "done"));
    assertEquals("done", Files.readString(target));
    assertFalse(Files.exists(dead));
    assertFalse(Files.exists(deadWeights));
    assertTrue(Files.exists(alive), "a running writer's file was removed");
    assertFalse(Files.exists(other));
    assertTrue(Files.exists(notOurs));
    // Nothing of this write is left behind.
    try (var s = Files.list(dir)) {
      assertEquals(3, s.count());
    }
  }

  @Test
  void aFailedWriteNamesTheTarget() {
    Path target = dir.resolve("w.npy");
    Exception e =
        org.junit.jupiter.api.Assertions.assertThrows(
            java.io.IOException.class,
            () ->
                AtomicFile.write(
                    target,
                    tmp -> {
                      throw new java.io.IOException("No space left on device");
                    }));
    assertTrue(e.getMessage().contains(target.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
  }

  @Test
  void theContentIsOnDiskBeforeTheRenameAndTheFolderAfterIt() throws Exception {
    Path target = Files.writeString(dir.resolve("r.json"), "old");
    java.util.List<String> events = new java.util.ArrayList<>();
    AtomicFile.Durability saved = AtomicFile.durability;
    AtomicFile.durability =
        p -> {
          // What a crash right after this call would leave behind.
          String kind = Files.isDirectory(p) ? "folder" : "file " + Files.readString(p);
          events.add(kind + ", target " + Files.readString(target));
          saved.force(p); // the real fsync runs too
        };
    try {
      AtomicFile.write(target, tmp -> Files.writeString(tmp, "new"));
    } finally {
      AtomicFile.durability = saved;
    }
    assertEquals(java.util.List.of("file new, target old", "folder, target new"), events);
  }

  @Test
  void aTreeIsForcedEntriesBeforeTheirFolder() throws Exception {
    Path root = Files.createDirectories(dir.resolve("export/variables"));
    Files.writeString(root.resolve("variables.index"), "i");
    Files.writeString(dir.resolve("export/saved_model.pb"), "pb");
    java.util.List<Path> forced = new java.util.ArrayList<>();
    AtomicFile.Durability saved = AtomicFile.durability;
    AtomicFile.durability =
        p -> {
          forced.add(dir.relativize(p));
          saved.force(p);
        };
    try {
      AtomicFile.forceTree(dir.resolve("export"));
    } finally {
      AtomicFile.durability = saved;
    }
    assertEquals(4, forced.size(), forced.toString());
    for (Path p : forced) {
      // A folder comes after everything in it.
      for (Path q : forced.subList(forced.indexOf(p) + 1, forced.size())) {
        assertFalse(q.startsWith(p) && !q.equals(p), q + " forced after its folder " + p);
      }
    }
    assertEquals(Path.of("export"), forced.get(3));
  }
}

package io.jkeras.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jkeras.layers.LayerCatalog;
import io.jkeras.testing.PythonKeras;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * README's "What is here" table lists exactly the layers the catalog knows, so it cannot drift: the
 * "Keras layers" row holds every built-in Keras class name, the "registered layers" row every
 * {@code package>Name} layer a file may name.
 */
class ReadmeLayerTableTest {

  @Test
  void layerRowsListExactlyTheCatalog() throws IOException {
    List<String> readme = Files.readAllLines(PythonKeras.repoRoot().resolve("README.md"));
    TreeSet<String> builtIns = new TreeSet<>(LayerCatalog.builtIns().keySet());
    TreeSet<String> registered = new TreeSet<>();
    for (String name : LayerCatalog.supportedNames()) {
      int sep = name.indexOf('>');
      if (sep > 0) {
        registered.add(name);
      }
    }
    assertEquals(
        rowOf(builtIns, "Keras layers"),
        row(readme, "| Keras layers |"),
        "README.md's Keras layers row (the expected row is on the left)");
    assertEquals(
        rowOf(registered, "registered layers"),
        row(readme, "| registered layers |"),
        "README.md's registered layers row (the expected row is on the left)");
  }

  private static String rowOf(TreeSet<String> names, String area) {
    StringBuilder out = new StringBuilder("| " + area + " | ");
    String sep = "";
    for (String n : names) {
      out.append(sep).append('`').append(n).append('`');
      sep = ", ";
    }
    return out.append(" |").toString();
  }

  private static String row(List<String> readme, String start) {
    for (String line : readme) {
      if (line.startsWith(start)) {
        Matcher m = Pattern.compile("`[^`]+`").matcher(line);
        TreeSet<String> names = new TreeSet<>();
        while (m.find()) {
          names.add(line.substring(m.start() + 1, m.end() - 1));
        }
        return rowOf(names, start.substring(2, start.length() - 2));
      }
    }
    return "README.md has no row starting with " + start;
  }
}

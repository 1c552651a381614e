package io.jkeras.serving.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.jkeras.serving.ServingJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Makes the JSON instances of benchmark requests (one row-format instance each).
 *
 * <p>Specs for {@link #parse}:
 *
 * <ul>
 *   <li>{@code ints:LEN:MAX}: LEN random token ids in [1, MAX) (the FM/IMDB input: {@code
 *       ints:100:20000})
 *   <li>{@code floats:LEN}: LEN random floats in [-1, 1)
 *   <li>{@code json:TEXT}: always the instance TEXT, e.g. {@code json:{"a":[1,2],"b":3}}
 *   <li>{@code file:PATH}: the lines of a JSON-lines file, one instance a line, in turn
 *   <li>{@code class:NAME}: an InstanceGenerator class with a public no-argument constructor
 * </ul>
 *
 * <pre>{@code
 * InstanceGenerator g = InstanceGenerator.parse("ints:100:20000");
 * JsonNode instance = g.next(new SplittableRandom(1));
 * }</pre>
 */
public interface InstanceGenerator {

  /** The next instance: a value, or an object {input: value} for several inputs. */
  JsonNode next(SplittableRandom random);

  static InstanceGenerator parse(String spec) throws IOException {
    JsonNodeFactory f = JsonNodeFactory.instance;
    String[] p = spec.split(":", 2);
    String arg = p.length > 1 ? p[1] : "";
    switch (p[0]) {
      case "ints" -> {
        String[] a = arg.split(":");
        int len = Integer.parseInt(a[0]);
        int max = Integer.parseInt(a[1]);
        return r -> {
          ArrayNode n = f.arrayNode(len);
          for (int i = 0; i < len; i++) {
            n.add(1 + r.nextInt(max - 1));
          }
          return n;
        };
      }
      case "floats" -> {
        int len = Integer.parseInt(arg);
        return r -> {
          ArrayNode n = f.arrayNode(len);
          for (int i = 0; i < len; i++) {
            n.add((float) (r.nextDouble() * 2 - 1));
          }
          return n;
        };
      }
      case "json" -> {
        JsonNode fixed = ServingJson.MAPPER.readTree(arg);
        return r -> fixed;
      }
      case "file" -> {
        List<JsonNode> lines = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(Path.of(arg))) {
          if (!line.isBlank()) {
            lines.add(ServingJson.MAPPER.readTree(line));
          }
        }
        if (lines.isEmpty()) {
          throw new IOException("no instances in " + arg);
        }
        int[] at = {0};
        return r -> lines.get(at[0]++ % lines.size());
      }
      case "class" -> {
        try {
          return (InstanceGenerator) Class.forName(arg).getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
          throw new IOException("cannot make instance generator " + arg + ": " + e, e);
        }
      }
      default ->
          throw new IllegalArgumentException(
              "unknown instance spec \""
                  + spec
                  + "\" (ints:LEN:MAX, floats:LEN, json:TEXT, file:PATH, class:NAME)");
    }
  }
}

package io.jkeras.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Command-line options of the form {@code --name value} and {@code --flag}, plus positionals. */
final class Arguments {

  private final Map<String, String> options = new LinkedHashMap<>();
  private final List<String> positional = new ArrayList<>();

  /**
   * Parses {@code args}; {@code flags} are the options that take no value. Unknown options are an
   * error naming them and the known ones.
   */
  Arguments(String command, String[] args, Set<String> valued, Set<String> flags) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-h") && flags.contains("help")) {
        // As 'jkeras -h' takes -h for --help, so does every command.
        options.put("help", "true");
      } else if (a.startsWith("--")) {
        String name = a.substring(2);
        String value = null;
        int eq = name.indexOf('=');
        if (eq >= 0) {
          value = name.substring(eq + 1);
          name = name.substring(0, eq);
        }
        if (flags.contains(name)) {
          if (value != null) {
            // "--no-shuffle=false" must not quietly mean --no-shuffle.
            throw new UsageException(
                command + ": option --" + name + " takes no value, got \"" + a + "\"");
          }
          options.put(name, "true");
        } else if (valued.contains(name)) {
          if (value == null) {
            if (i + 1 >= args.length) {
              throw new UsageException(command + ": option --" + name + " needs a value");
            }
            value = args[++i];
          }
          options.put(name, value);
        } else {
          List<String> known = new ArrayList<>();
          valued.forEach(v -> known.add("--" + v));
          flags.forEach(f -> known.add("--" + f));
          known.sort(null);
          throw new UsageException(command + ": unknown option " + a + "; known options: " + known);
        }
      } else {
        positional.add(a);
      }
    }
  }

  boolean has(String name) {
    return options.containsKey(name);
  }

  String get(String name, String fallback) {
    return options.getOrDefault(name, fallback);
  }

  int getInt(String name, int fallback) {
    String v = options.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + ": expected a whole number, got \"" + v + "\"");
    }
  }

  List<String> positional() {
    return positional;
  }

  /** A wrong command line: printed with the usage, exit code 2. */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }
}

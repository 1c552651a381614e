package io.jkeras.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every ```java block of README.md compiles as written, against jkeras and its dependencies, and
 * the ones with a {@code main} run: the README's examples are what a user copies first (issue 12).
 */
class ReadmeExamplesTest {

  private static final Pattern JAVA_BLOCK =
      Pattern.compile("^```java\\n(.*?)^```", Pattern.DOTALL | Pattern.MULTILINE);
  private static final Pattern PUBLIC_TYPE =
      Pattern.compile(
          "^public (?:final )?(?:class|interface|record|enum) (\\w+)", Pattern.MULTILINE);

  @TempDir Path temp;

  @Test
  void readmeJavaBlocksCompileAndTheRunnableOnesRun() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    Path sources = Files.createDirectories(temp.resolve("src"));
    Path classes = Files.createDirectories(temp.resolve("classes"));
    List<Path> files = new ArrayList<>();
    List<String> runnable = new ArrayList<>();
    Matcher block = JAVA_BLOCK.matcher(readme);
    while (block.find()) {
      String code = block.group(1);
      int line = readme.substring(0, block.start()).split("\n", -1).length;
      Matcher type = PUBLIC_TYPE.matcher(code);
      assertTrue(
          type.find(),
          "README.md line " + line + ": a java block must be a whole file with a public class");
      Path file = sources.resolve(type.group(1) + ".java");
      assertTrue(!Files.exists(file), "README.md line " + line + ": " + file + " declared twice");
      Files.writeString(file, code);
      files.add(file);
      if (code.contains("public static void main(String[] args)")) {
        runnable.add(type.group(1));
      }
    }
    assertTrue(files.size() >= 6, "expected the README's java examples, found " + files.size());

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, null, null)) {
      boolean ok =
          javac
              .getTask(
                  null,
                  fm,
                  diagnostics,
                  List.of(
                      "-classpath",
                      System.getProperty("java.class.path"),
                      "-d",
                      classes.toString(),
                      "--release",
                      "17"),
                  null,
                  fm.getJavaFileObjectsFromPaths(files))
              .call();
      StringBuilder errors = new StringBuilder();
      diagnostics
          .getDiagnostics()
          .forEach(
              d ->
                  errors
                      .append(d.getSource() == null ? "" : d.getSource().getName())
                      .append(':')
                      .append(d.getLineNumber())
                      .append(' ')
                      .append(d.getMessage(Locale.ROOT))
                      .append('\n'));
      assertTrue(ok, "README examples do not compile:\n" + errors);
    }

    assertEquals(List.of("TwoInputs", "UseMyLayer", "RegisterMyLayer"), runnable);
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
      String useMyLayer = runMain(loader, "UseMyLayer");
      // MyLayer's kernel is uniform in [-0.05, 0.05]: x·kernel with x = (1, 2, 3) is within 0.3.
      Matcher pair =
          Pattern.compile("\\[(-?[0-9.E-]+), (-?[0-9.E-]+)\\]").matcher(useMyLayer.trim());
      assertTrue(pair.matches(), useMyLayer);
      for (int i = 1; i <= 2; i++) {
        double v = Double.parseDouble(pair.group(i));
        assertTrue(Math.abs(v) <= 0.3 && v != 0, "MyLayer output " + v);
      }

      String twoInputs = runMain(loader, "TwoInputs");
      Matcher p = Pattern.compile("first prediction (\\S+)").matcher(twoInputs);
      assertTrue(p.find(), twoInputs);
      double prediction = Double.parseDouble(p.group(1));
      assertTrue(prediction > 0 && prediction < 1, "a sigmoid output, got " + prediction);
      Matcher loss = Pattern.compile("loss \\[(\\S+), (\\S+), (\\S+)\\]").matcher(twoInputs);
      assertTrue(loss.find(), "three epochs of loss expected:\n" + twoInputs);

      runMain(loader, "RegisterMyLayer");
    }
  }

  private static String runMain(ClassLoader loader, String className) throws Exception {
    Method main = loader.loadClass(className).getMethod("main", String[].class);
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      main.invoke(null, (Object) new String[0]);
    } finally {
      System.setOut(original);
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    original.print(printed);
    return printed;
  }
}

package io.jkeras.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.w3c.dom.Element;

/**
 * Builds a separate Maven project that depends on jkeras by its coordinates, offline, and runs a
 * Dense model in it: what a Java team adding jkeras to its own build gets (issue 12).
 *
 * <p>The jkeras artifact (target/classes as a jar, with this checkout's pom.xml) goes into a
 * temporary local repository whose other entries are links to the local repository this test runs
 * from, so the consumer resolves jkeras's dependencies, and Maven's plugins, exactly as `mvn -o`
 * would, without copying the TensorFlow runtime or installing a test build of jkeras into the
 * user's repository. The consumer uses only plugin versions this build itself uses (resources,
 * compiler 3.13.0, surefire 3.2.5), so a clean machine that has run `mvn test` has them all.
 */
class ConsumerProjectTest {

  @TempDir Path temp;

  @Test
  void consumerProjectCompilesAndRunsADenseModelAgainstTheInstalledArtifact() throws Exception {
    Path localRepository = localRepositoryOf(Graph.class);
    Element project =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(Path.of("pom.xml").toFile())
            .getDocumentElement();
    String groupId = child(project, "groupId");
    String artifactId = child(project, "artifactId");
    String version = child(project, "version");

    Path repository = temp.resolve("repository");
    linkRepositoryExcept(localRepository, repository, groupId);
    Path artifactDir =
        repository.resolve(groupId.replace('.', '/')).resolve(artifactId).resolve(version);
    Files.createDirectories(artifactDir);
    jar(Path.of("target/classes"), artifactDir.resolve(artifactId + "-" + version + ".jar"));
    Files.copy(Path.of("pom.xml"), artifactDir.resolve(artifactId + "-" + version + ".pom"));

    Path consumer = temp.resolve("consumer");
    write(consumer.resolve("pom.xml"), consumerPom(groupId, artifactId, version));
    write(
        consumer.resolve("src/main/java/demo/App.java"),
        """
        package demo;

        import io.jkeras.layers.Dense;
        import io.jkeras.layers.Input;
        import io.jkeras.layers.KerasTensor;
        import io.jkeras.models.Model;

        public class App {
          public static void main(String[] args) {
            KerasTensor x = Input.of(3);
            KerasTensor y = Dense.builder(1).kernelInitializer("ones").build().apply(x);
            try (Model model = new Model(x, y)) {
              model.compile("sgd", "mse");
              float[][] p = model.predict(new float[][] {{1, 2, 3}, {0.5f, -1, 4}});
              System.out.println("consumer prediction: " + p[0][0] + " " + p[1][0]);
            }
          }
        }
        """);
    write(
        consumer.resolve("src/test/java/demo/AppTest.java"),
        """
        package demo;

        class AppTest {
          @org.junit.jupiter.api.Test
          void runs() {
            App.main(new String[0]);
          }
        }
        """);

    ProcessBuilder mvn =
        new ProcessBuilder(
                "mvn",
                "-o",
                "-B",
                "-q",
                "-Dmaven.repo.local=" + repository.toAbsolutePath(),
                "test")
            .directory(consumer.toFile())
            .redirectErrorStream(true)
            .redirectOutput(temp.resolve("mvn.log").toFile());
    mvn.environment().putIfAbsent("TF_CPP_MIN_LOG_LEVEL", "2");
    Process process = mvn.start();
    boolean finished = process.waitFor(300, TimeUnit.SECONDS);
    if (!finished) {
      process.destroyForcibly();
    }
    String log = Files.readString(temp.resolve("mvn.log"));
    assertTrue(finished, "consumer build did not finish in 300 s:\n" + log);
    assertEquals(0, process.exitValue(), "consumer build failed:\n" + log);
    Matcher m = Pattern.compile("consumer prediction: (\\S+) (\\S+)").matcher(log);
    assertTrue(m.find(), "no prediction in the consumer's output:\n" + log);
    // Dense(1) with a kernel of ones and a zero bias sums its inputs.
    assertEquals(1 + 2 + 3, Double.parseDouble(m.group(1)), 1e-6);
    assertEquals(0.5 - 1 + 4, Double.parseDouble(m.group(2)), 1e-6);
  }

  private static String consumerPom(String groupId, String artifactId, String version) {
    return """
           <project xmlns="http://maven.apache.org/POM/4.0.0">
             <modelVersion>4.0.0</modelVersion>
             <groupId>demo</groupId>
             <artifactId>consumer</artifactId>
             <version>1</version>
             <properties>
               <maven.compiler.release>17</maven.compiler.release>
               <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
             </properties>
             <dependencies>
               <dependency>
                 <groupId>%s</groupId>
                 <artifactId>%s</artifactId>
                 <version>%s</version>
               </dependency>
               <dependency>
                 <groupId>org.junit.jupiter</groupId>
                 <artifactId>junit-jupiter</artifactId>
                 <version>5.10.2</version>
                 <scope>test</scope>
               </dependency>
             </dependencies>
             <build>
               <plugins>
                 <plugin>
                   <groupId>org.apache.maven.plugins</groupId>
                   <artifactId>maven-compiler-plugin</artifactId>
                   <version>3.13.0</version>
                 </plugin>
                 <plugin>
                   <groupId>org.apache.maven.plugins</groupId>
                   <artifactId>maven-surefire-plugin</artifactId>
                   <version>3.2.5</version>
                 </plugin>
               </plugins>
             </build>
           </project>
           """
        .formatted(groupId, artifactId, version);
  }

  /** The local repository root holding {@code type}'s jar (groupId/artifactId/version/jar). */
  private static Path localRepositoryOf(Class<?> type) throws Exception {
    Path jar = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    String[] group = type.getPackageName().split("\\.");
    Path root = jar;
    for (int i = 0; i < group.length + 3; i++) { // the file, its version and artifactId folders
      root = root.getParent();
    }
    assertTrue(
        Files.isDirectory(root.resolve("org/tensorflow")),
        "expected a Maven local repository around " + jar);
    return root;
  }

  /**
   * Links every entry of {@code source} into {@code target}, descending along {@code groupId} so
   * that the folder of the group under test is left out (it holds only the fresh artifact).
   */
  private static void linkRepositoryExcept(Path source, Path target, String groupId)
      throws IOException {
    Files.createDirectories(target);
    List<String> segments = List.of(groupId.split("\\."));
    Path src = source;
    Path dst = target;
    for (String segment : segments) {
      try (Stream<Path> entries = Files.exists(src) ? Files.list(src) : Stream.empty()) {
        for (Path entry : entries.toList()) {
          if (!entry.getFileName().toString().equals(segment)) {
            Files.createSymbolicLink(dst.resolve(entry.getFileName().toString()), entry);
          }
        }
      }
      src = src.resolve(segment);
      dst = dst.resolve(segment);
      Files.createDirectories(dst);
    }
  }

  private static void jar(Path classes, Path jarFile) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
    try (OutputStream out = Files.newOutputStream(jarFile);
        JarOutputStream jar = new JarOutputStream(out, manifest);
        Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        jar.putNextEntry(new ZipEntry(classes.relativize(file).toString().replace('\\', '/')));
        Files.copy(file, jar);
        jar.closeEntry();
      }
    }
  }

  private static String child(Element project, String name) {
    for (var node = project.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element e && e.getTagName().equals(name)) {
        return e.getTextContent().trim();
      }
    }
    throw new AssertionError("pom.xml has no <" + name + ">");
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}

package dev.backprop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No main source of any module uses Java serialization, which is never a file format here (see DESIGN.md):
 * object streams, {@code Serializable} types and {@code readObject} hooks are all refused. Test sources are not
 * scanned (this file names them all).
 */
class NoJavaSerializationTest {
  /** What Java serialization looks like in source code. */
  static final Pattern SERIALIZATION = Pattern.compile(
      "\\bObject(?:Input|Output)Stream\\b"
          + "|\\bimplements\\b[^{]*\\bSerializable\\b"
          + "|\\bjava\\.io\\.Serializable\\b"
          + "|\\breadObject\\s*\\(");

  @Test
  void theMatcherFindsEveryFormAndNothingElse() {
    List<String> uses = List.of(
        "var in = new ObjectInputStream(stream);",
        "try (ObjectOutputStream out = new ObjectOutputStream(file)) {",
        "import java.io.ObjectInputStream;",
        "public final class Model implements Serializable {",
        "record Point(int x, int y) implements Comparable<Point>, Serializable {",
        "class Weights implements\n    java.io.Serializable {",
        "import java.io.Serializable;",
        "private void readObject(java.io.ObjectInputStream in) {",
        "Object o = in.readObject ();");
    for (String use : uses) {
      assertTrue(SERIALIZATION.matcher(use).find(), () -> "not flagged: " + use);
    }
    List<String> innocent = List.of(
        "public final class SafeTensors {",
        "class Dense implements Layer {",
        "Object value = Json.parse(source, text);",
        "// a Serializable-free model file: safetensors",
        "ObjectInputStreamFactory is not a stream",
        "readObjects(list);",
        "private static final long serialVersionUID = 1L;");
    for (String text : innocent) {
      assertFalse(SERIALIZATION.matcher(text).find(), () -> "flagged: " + text);
    }
  }

  @Test
  void noMainSourceUsesJavaSerialization() throws IOException {
    Path root = repositoryRoot();
    List<Path> modules = new ArrayList<>();
    try (Stream<Path> children = Files.list(root)) {
      children.filter(p -> p.getFileName().toString().startsWith("backprop-"))
          .filter(p -> Files.isDirectory(p.resolve("src/main/java")))
          .sorted()
          .forEach(modules::add);
    }
    assertTrue(modules.stream().anyMatch(p -> p.endsWith("backprop-core")), "modules found: " + modules);
    assertTrue(modules.stream().anyMatch(p -> p.endsWith("backprop-cli")), "modules found: " + modules);

    List<String> findings = new ArrayList<>();
    int scanned = 0;
    for (Path module : modules) {
      List<Path> sources;
      try (Stream<Path> files = Files.walk(module.resolve("src/main/java"))) {
        sources = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
      }
      for (Path source : sources) {
        scanned++;
        String text = Files.readString(source, StandardCharsets.UTF_8);
        Matcher m = SERIALIZATION.matcher(text);
        while (m.find()) {
          findings.add(root.relativize(source) + ":" + lineOf(text, m.start()) + ": " + m.group());
        }
      }
    }
    assertTrue(scanned > 50, "only " + scanned + " main sources found under " + root);
    assertEquals(List.of(), findings, "Java serialization in main sources");
  }

  /** The folder holding the parent pom and the modules, found upwards from the working directory. */
  private static Path repositoryRoot() {
    Path start = Path.of("").toAbsolutePath();
    for (Path p = start; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("backprop-core/src/main/java")) && Files.isRegularFile(p.resolve("pom.xml"))) {
        return p;
      }
    }
    throw new AssertionError("no repository root (with backprop-core/src/main/java) above " + start);
  }

  private static int lineOf(String text, int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }
}

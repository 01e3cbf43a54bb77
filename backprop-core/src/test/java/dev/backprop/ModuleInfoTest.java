package dev.backprop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The module exports a chosen list of API packages, pinned here so that a new package is exported only by a
 * decision (adding it to this list), and nothing under internal.
 */
class ModuleInfoTest {
  @Test
  void exportsExactlyTheApiPackages() throws Exception {
    Path classes = Path.of(SeededRandom.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
      assertNotNull(in, "module-info.class is compiled");
      ModuleDescriptor d = ModuleDescriptor.read(in);
      assertEquals("dev.backprop.core", d.name());
      Set<String> exported = d.exports().stream().map(ModuleDescriptor.Exports::source)
          .collect(Collectors.toCollection(TreeSet::new));
      Set<String> api = new TreeSet<>(Set.of("dev.backprop", "dev.backprop.check", "dev.backprop.data",
          "dev.backprop.io", "dev.backprop.loss", "dev.backprop.metrics", "dev.backprop.nn", "dev.backprop.nn.activation",
          "dev.backprop.nn.init", "dev.backprop.optim", "dev.backprop.report", "dev.backprop.tensor",
          "dev.backprop.train"));
      assertEquals(api, exported, "the exported packages are the chosen API");
      Set<String> packages = new TreeSet<>(d.packages());
      packages.removeAll(api);
      packages.removeIf(p -> p.startsWith("dev.backprop.internal"));
      assertEquals(Set.of(), packages, "a package that is neither API nor internal");
      assertEquals(Set.of(), exported.stream().filter(p -> p.contains("internal")).collect(Collectors.toSet()));
    }
  }
}

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

/** The module exports the API packages and nothing under internal. */
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
      Set<String> packages = new TreeSet<>(d.packages());
      packages.removeIf(p -> p.contains(".internal"));
      assertEquals(packages, exported, "every package but the internal ones is exported");
      assertEquals(Set.of(), exported.stream().filter(p -> p.contains("internal")).collect(Collectors.toSet()));
    }
  }
}

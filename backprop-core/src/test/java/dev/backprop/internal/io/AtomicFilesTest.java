package dev.backprop.internal.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir
  Path dir;

  private List<String> listing() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void writesANewFileAndLeavesNoTemporaryFile() throws IOException {
    Path target = dir.resolve("out.csv");
    AtomicFiles.writeString(target, "a,b\n1,é\n");
    assertEquals("a,b\n1,é\n", Files.readString(target));
    assertEquals(List.of("out.csv"), listing());
  }

  @Test
  void replacesAnExistingFile() throws IOException {
    Path target = dir.resolve("model.bin");
    Files.writeString(target, "old content that is longer than the new one");
    byte[] content = new byte[200_000];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) (i * 31);
    }
    AtomicFiles.write(target, out -> {
      out.write(content, 0, 100_000);
      for (int i = 100_000; i < content.length; i++) {
        out.write(content[i]);
      }
    });
    assertArrayEquals(content, Files.readAllBytes(target));
    assertEquals(List.of("model.bin"), listing());
  }

  @Test
  void failingCallbackLeavesTheOldFileAndNoTemporaryFile() throws IOException {
    Path target = dir.resolve("model.safetensors");
    Files.writeString(target, "old");
    IllegalStateException failure = new IllegalStateException("boom");
    IllegalStateException thrown = assertThrows(IllegalStateException.class, () ->
        AtomicFiles.write(target, out -> {
          out.write(new byte[100_000]);
          throw failure;
        }));
    assertSame(failure, thrown);
    assertEquals("old", Files.readString(target));
    assertEquals(List.of("model.safetensors"), listing());

    IOException io = new IOException("disk full");
    assertSame(io, assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
      out.write(1);
      throw io;
    })));
    assertEquals("old", Files.readString(target));
    assertEquals(List.of("model.safetensors"), listing());
  }

  @Test
  void failingRenameLeavesNoTemporaryFile() throws IOException {
    Path target = dir.resolve("occupied");
    Files.createDirectory(target);
    Files.writeString(target.resolve("inside"), "x");
    assertThrows(IOException.class, () -> AtomicFiles.writeString(target, "new"));
    assertEquals(List.of("occupied"), listing());
    assertEquals("x", Files.readString(target.resolve("inside")));
  }

  @Test
  void callbackMayCloseTheStream() throws IOException {
    Path target = dir.resolve("closed.txt");
    AtomicFiles.write(target, out -> {
      try (OutputStream o = out) {
        o.write("hello".getBytes());
      }
    });
    assertEquals("hello", Files.readString(target));
    assertEquals(List.of("closed.txt"), listing());
  }

  @Test
  void missingDirectoryFailsWithoutCreatingAnything() throws IOException {
    Path target = dir.resolve("no/such/dir/file.txt");
    assertThrows(NoSuchFileException.class, () -> AtomicFiles.writeString(target, "x"));
    assertFalse(Files.exists(dir.resolve("no")));
    assertEquals(List.of(), listing());
  }

  @Test
  void relativeTargetsWork() throws IOException {
    Path relative = Path.of("").toAbsolutePath().relativize(dir.resolve("relative.txt"));
    AtomicFiles.writeString(relative, "relative");
    assertEquals("relative", Files.readString(dir.resolve("relative.txt")));
    assertEquals(List.of("relative.txt"), listing());
  }
}

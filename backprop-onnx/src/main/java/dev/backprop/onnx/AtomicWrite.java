package dev.backprop.onnx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a file atomically, as core's model files are written: a temporary file beside the target, forced to
 * disk, renamed over it. Core's own helper is internal to its module, hence this short copy of the idea.
 */
final class AtomicWrite {
  private AtomicWrite() {}

  static void write(Path target, byte[] content) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path directory = absolute.getParent();
    if (directory == null) {
      throw new IllegalArgumentException("not a file path: " + target);
    }
    Path temporary = directory.resolve("." + absolute.getFileName() + ".tmp-"
        + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException | Error e) {
      try {
        Files.deleteIfExists(temporary);
      } catch (IOException | RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }
}

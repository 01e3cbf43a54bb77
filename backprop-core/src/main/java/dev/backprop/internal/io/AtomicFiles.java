package dev.backprop.internal.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files atomically and durably: readers of the target see either the old file or the complete new
 * one, never a partial file, and the new content is on disk when {@link #write} returns.
 *
 * <p>The content goes to a temporary file {@code .<name>.tmp-<random hex>} in the target's directory, which
 * is forced to disk and then renamed over the target with {@link StandardCopyOption#ATOMIC_MOVE}; the
 * directory is then forced too where the platform allows it. If anything fails (including the content
 * callback throwing), the temporary file is deleted, an existing target is left untouched, and the
 * exception propagates unchanged.
 *
 * <p>A process that must halt at once (a second Ctrl-C) calls {@link #abandonWrites()} first: it deletes the
 * temporary files being written and refuses new ones, so that halting leaves no stray temporary file.
 */
public final class AtomicFiles {
  private static final int BUFFER_SIZE = 1 << 16;
  /** Guards {@link #inFlight} and {@link #abandoned}; held only to create, forget or delete temporary files. */
  private static final Object LOCK = new Object();
  private static final Set<Path> inFlight = new HashSet<>();
  private static boolean abandoned;

  private AtomicFiles() {}

  /** Produces the content of a file; may be called once per {@link AtomicFiles#write}. */
  @FunctionalInterface
  public interface Content {
    /**
     * Writes the whole content to {@code out}. Closing {@code out} is allowed and does nothing more than
     * flushing it.
     */
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Replaces {@code target} atomically with what {@code content} writes.
   *
   * @throws IOException if the temporary file cannot be written, forced or renamed; the target is then
   *     unchanged
   */
  public static void write(Path target, Content content) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path directory = absolute.getParent();
    if (directory == null) {
      throw new IllegalArgumentException("not a file path: " + target);
    }
    Path temporary = directory.resolve("." + absolute.getFileName() + ".tmp-" + randomSuffix());
    try {
      try (FileChannel channel = openTemporary(temporary)) {
        OutputStream out = new BufferedOutputStream(new UnclosableStream(Channels.newOutputStream(channel)),
            BUFFER_SIZE);
        content.writeTo(out);
        out.flush();
        channel.force(true);
      }
      Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (Throwable t) {
      deleteQuietly(temporary, t);
      throw t;
    } finally {
      forget(temporary);
    }
    forceDirectory(directory);
  }

  /**
   * Deletes the temporary files of the writes in progress (in any thread) and makes every later write fail, so
   * that a process can halt at once without leaving a partial file: the targets keep their old content. Call it
   * only right before the process halts.
   */
  public static void abandonWrites() {
    synchronized (LOCK) {
      abandoned = true;
      for (Path temporary : inFlight) {
        try {
          Files.deleteIfExists(temporary);
        } catch (IOException | RuntimeException e) {
          // halting anyway: the other temporary files still go
        }
      }
      inFlight.clear();
    }
  }

  /** Creates the temporary file under the lock, so that {@link #abandonWrites} sees every one that exists. */
  private static FileChannel openTemporary(Path temporary) throws IOException {
    synchronized (LOCK) {
      if (abandoned) {
        throw new IOException("not written: the process is halting (" + temporary.getFileName() + ")");
      }
      FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      inFlight.add(temporary);
      return channel;
    }
  }

  private static void forget(Path temporary) {
    synchronized (LOCK) {
      inFlight.remove(temporary);
    }
  }

  /** Replaces {@code target} atomically with {@code text} encoded as UTF-8. */
  public static void writeString(Path target, String text) throws IOException {
    write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static String randomSuffix() {
    return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
  }

  private static void deleteQuietly(Path temporary, Throwable cause) {
    try {
      Files.deleteIfExists(temporary);
    } catch (IOException | RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  /** Makes the rename durable on POSIX systems; directories cannot be opened this way everywhere. */
  private static void forceDirectory(Path directory) {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | RuntimeException unsupported) {
      // the file itself is already forced; some platforms cannot force a directory
    }
  }

  /** Passes writes through but turns close into flush, so the caller can still force the channel. */
  private static final class UnclosableStream extends FilterOutputStream {
    UnclosableStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}

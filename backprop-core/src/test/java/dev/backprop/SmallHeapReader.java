package dev.backprop;

import dev.backprop.data.IdxReader;
import dev.backprop.io.ModelFile;
import dev.backprop.io.SafeTensors;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads one file with one reader and reports the outcome on stdout and in the exit code, for
 * {@link SmallHeapReaderTest}, which runs it in a JVM with a small heap.
 *
 * <p>Arguments: {@code heap} (prints the maximum heap in bytes), {@code idx IMAGES LABELS},
 * {@code safetensors FILE} or {@code model FILE}. Exit codes: 0 read, 3 {@link InvalidInputException} (printed as
 * {@code invalid input: MESSAGE}), 4 out of memory, 1 any other failure.
 */
public final class SmallHeapReader {
  /** The exit code for an {@link InvalidInputException}, as the command line's. */
  public static final int INVALID_INPUT = 3;
  public static final int OUT_OF_MEMORY = 4;

  private SmallHeapReader() {}

  public static void main(String[] args) {
    int code;
    try {
      switch (args[0]) {
        case "heap" -> System.out.println(Runtime.getRuntime().maxMemory());
        case "idx" -> IdxReader.read(Path.of(args[1]), Path.of(args[2]), List.of("a", "b"));
        case "safetensors" -> SafeTensors.read(Path.of(args[1]));
        case "model" -> ModelFile.load(Path.of(args[1]));
        default -> throw new IllegalArgumentException("unknown reader " + args[0]);
      }
      System.out.println("read");
      code = 0;
    } catch (InvalidInputException e) {
      System.out.println("invalid input: " + e.getMessage());
      code = INVALID_INPUT;
    } catch (OutOfMemoryError e) {
      System.out.println("out of memory: " + e.getMessage());
      code = OUT_OF_MEMORY;
    } catch (Throwable e) {
      System.out.println("failed: " + e);
      code = 1;
    }
    System.out.flush();
    System.exit(code);
  }
}

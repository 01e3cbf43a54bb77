package dev.backprop.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.backprop.FuzzChecks;
import dev.backprop.InvalidInputException;
import dev.backprop.train.TrainingState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the checkpoint reader on a folder whose checkpoint file holds the input bytes: the only failure
 * allowed is an {@link InvalidInputException} naming the file, and a checkpoint it accepts saves and loads
 * again to the same state.
 *
 * <p>Without {@code JAZZER_FUZZ} this runs once per file in {@code CheckpointFileFuzzTestInputs/checkpoint/}
 * (see docs/FUZZING.md).
 */
class CheckpointFileFuzzTest {
  @TempDir
  static Path dir;

  @FuzzTest
  void checkpoint(byte[] input) throws IOException {
    Path folder = dir.resolve("fuzz");
    Files.createDirectories(folder);
    Path file = CheckpointFile.in(folder);
    Files.write(file, input);
    TrainingState state;
    try {
      state = CheckpointFile.load(folder);
    } catch (InvalidInputException expected) {
      FuzzChecks.requireSource(expected, file.toString());
      return;
    }
    Path copy = dir.resolve("copy");
    Files.createDirectories(copy);
    try {
      CheckpointFile.save(state, CheckpointFile.in(copy));
    } catch (IllegalArgumentException notFinite) {
      // a state holding a value that a safetensors file cannot (NaN, infinity) is refused at saving, whole
      if (Files.exists(CheckpointFile.in(copy))) {
        throw new AssertionError("a refused save left a file behind");
      }
      return;
    }
    TrainingState again = CheckpointFile.load(copy);
    if (again.epoch() != state.epoch() || !again.signature().equals(state.signature())
        || again.history().size() != state.history().size()
        || !again.parameters().keySet().equals(state.parameters().keySet())
        || !again.optimizerState().keySet().equals(state.optimizerState().keySet())) {
      throw new AssertionError("the accepted checkpoint does not survive saving and loading");
    }
  }
}

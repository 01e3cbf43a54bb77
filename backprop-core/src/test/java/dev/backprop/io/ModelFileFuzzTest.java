package dev.backprop.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.backprop.FuzzChecks;
import dev.backprop.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the model loader on a file holding the input bytes: the only failure allowed is an
 * {@link InvalidInputException} naming the file, and a model it accepts saves, loads and saves
 * again to the same bytes.
 *
 * <p>Without {@code JAZZER_FUZZ} this runs once per file in {@code ModelFileFuzzTestInputs/modelFile/} (see
 * docs/FUZZING.md).
 */
class ModelFileFuzzTest {
  @TempDir
  static Path dir;

  @FuzzTest
  void modelFile(byte[] input) throws IOException {
    Path file = dir.resolve("fuzz.safetensors");
    Files.write(file, input);
    Model model;
    try {
      model = ModelFile.load(file);
    } catch (InvalidInputException expected) {
      FuzzChecks.requireSource(expected, file.toString());
      return;
    }
    Path copy = dir.resolve("copy.safetensors");
    ModelFile.save(model, copy);
    byte[] saved = Files.readAllBytes(copy);
    ModelFile.save(ModelFile.load(copy), copy);
    if (!Arrays.equals(Files.readAllBytes(copy), saved)) {
      throw new AssertionError("the accepted model does not survive saving and loading: "
          + model.network().describe());
    }
  }
}

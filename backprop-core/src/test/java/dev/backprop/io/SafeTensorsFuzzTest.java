package dev.backprop.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.backprop.FuzzChecks;
import dev.backprop.InvalidInputException;
import java.util.Map;

/**
 * Fuzzes the safetensors reader: whatever the bytes, the only failure allowed is an
 * {@link InvalidInputException}, and what it accepts is written back to the same contents.
 *
 * <p>Without {@code JAZZER_FUZZ} this runs once per file in {@code SafeTensorsFuzzTestInputs/safeTensors/} (see
 * docs/FUZZING.md).
 */
class SafeTensorsFuzzTest {
  private static final String SOURCE = "fuzz.safetensors";

  @FuzzTest
  void safeTensors(byte[] input) {
    SafeTensors.Contents contents;
    try {
      contents = SafeTensors.read(SOURCE, input);
    } catch (InvalidInputException expected) {
      FuzzChecks.requireSource(expected, SOURCE);
      return;
    }
    Map<String, String> metadata = contents.metadata();
    byte[] written = SafeTensors.toBytes(metadata, contents.tensors());
    SafeTensors.Contents again = SafeTensors.read(SOURCE, written);
    if (!again.metadata().equals(metadata) || !again.tensors().equals(contents.tensors())) {
      throw new AssertionError("the accepted contents do not survive writing and reading: " + contents.tensors());
    }
  }
}

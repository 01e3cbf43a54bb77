package dev.backprop.internal.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.backprop.FuzzChecks;
import dev.backprop.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * Fuzzes the JSON reader: whatever the text, the only failure allowed is an {@link InvalidInputException}, and
 * every value it accepts is written (compact and pretty) and read back equal.
 *
 * <p>Without {@code JAZZER_FUZZ} this runs once per file in {@code JsonFuzzTestInputs/json/} (see
 * docs/FUZZING.md).
 */
class JsonFuzzTest {
  private static final String SOURCE = "fuzz.json";

  @FuzzTest
  void json(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    Object value;
    try {
      value = Json.parse(SOURCE, text);
    } catch (InvalidInputException expected) {
      FuzzChecks.requireSource(expected, SOURCE);
      return;
    }
    for (String written : new String[] {Json.write(value), Json.writePretty(value)}) {
      Object again = Json.parse(SOURCE, written);
      if (!Objects.equals(again, value)) {
        throw new AssertionError("'" + text + "' reads back as '" + written + "', a different value");
      }
    }
    if (value instanceof Map<?, ?>) {
      JsonObject.of(SOURCE, value).toString();
    }
  }
}

package dev.backprop.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.backprop.FuzzChecks;
import dev.backprop.InvalidInputException;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Fuzzes the CSV reader and both conversions to a dataset: whatever the bytes, the only failure allowed is an
 * {@link InvalidInputException}.
 *
 * <p>Input layout: byte 0 chooses how the table is used (see {@link #use}), the rest is the file. Without
 * {@code JAZZER_FUZZ} this runs once per file in {@code CsvFuzzTestInputs/csvTable/} (see docs/FUZZING.md).
 */
class CsvFuzzTest {
  private static final String SOURCE = "fuzz.csv";

  @FuzzTest
  void csvTable(byte[] input) {
    if (input.length == 0) {
      return;
    }
    // A strict UTF-8 decoder, as CsvTable.read opens files.
    Reader text = new InputStreamReader(new ByteArrayInputStream(input, 1, input.length - 1),
        StandardCharsets.UTF_8.newDecoder());
    try {
      use(CsvTable.parse(SOURCE, text), input[0]);
    } catch (InvalidInputException expected) {
      FuzzChecks.requireSource(expected, SOURCE);
    }
  }

  /**
   * Bits 0-1 choose the label (the last column, index 0, the first column's name, a column that does not
   * exist), bits 2-3 the task (inferred, classification, regression), bit 4 the path of a saved model (named
   * feature columns, the last column as label, classes "0" and "1").
   */
  private static void use(CsvTable table, byte mode) {
    List<String> header = table.header();
    String label = switch (mode & 3) {
      case 0 -> null;
      case 1 -> "0";
      case 2 -> header.get(0);
      default -> "no such column";
    };
    Task task = switch ((mode >> 2) & 3) {
      case 1 -> Task.CLASSIFICATION;
      case 2 -> Task.REGRESSION;
      default -> null;
    };
    if ((mode & 16) == 0) {
      table.toDataset(label, task);
      return;
    }
    List<String> features = header.subList(0, header.size() - 1);
    String labelName = header.get(header.size() - 1);
    table.features(features);
    table.toDataset(features, labelName, task == null ? Task.CLASSIFICATION : task, List.of("0", "1"));
  }
}

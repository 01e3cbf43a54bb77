package dev.backprop.serve;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.backprop.InvalidInputException;
import dev.backprop.tensor.Matrix;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes the request readers: whatever the body, the only failure allowed is an {@link InvalidInputException}
 * naming the request body (the server's 400), and what is accepted has the model's shape and finite values.
 *
 * <p>Byte 0 picks the reader (even: an infer request, odd: an MLflow dataframe_split); the rest is the body,
 * decoded as UTF-8. Without {@code JAZZER_FUZZ} this runs once per file in {@code RequestFuzzTestInputs/request/}
 * (see docs/FUZZING.md).
 */
class RequestFuzzTest {
  private static final List<String> FEATURES = List.of("a", "b", "c");
  private static final List<String> OUTPUTS = List.of("probabilities", "label");

  @FuzzTest
  void request(byte[] input) {
    if (input.length == 0) {
      return;
    }
    String text = new String(Arrays.copyOfRange(input, 1, input.length), StandardCharsets.UTF_8);
    Matrix x;
    try {
      if ((input[0] & 1) == 0) {
        InferRequest request = InferRequest.parse(text, FEATURES.size(), OUTPUTS);
        if (!OUTPUTS.containsAll(request.outputs())) {
          throw new AssertionError("unknown outputs accepted: " + request.outputs());
        }
        x = request.features();
      } else {
        x = DataframeSplit.parse(text, FEATURES);
      }
    } catch (InvalidInputException expected) {
      if (!expected.getMessage().startsWith(InferRequest.SOURCE + ": ")) {
        throw new AssertionError("the message does not name the request body: " + expected.getMessage(), expected);
      }
      return;
    }
    if (x.cols() != FEATURES.size() || x.rows() < 1 || !x.allFinite()) {
      throw new AssertionError("accepted " + x.shape() + " rows, finite: " + x.allFinite() + ", from " + text);
    }
  }
}

package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model file written by Backprop, read by a plain safetensors reading in Python and loaded into PyTorch
 * nn.Linear layers with load_state_dict(strict=True), predicts what Backprop predicts. CI installs
 * python3-torch, so there a missing PyTorch is a failure, not a skip.
 */
class PyTorchInteropTest {
  @TempDir Path dir;

  @Test
  void pytorchLoadsTheModelAndAgrees() throws Exception {
    boolean torch = run("/usr/bin/python3", "-c", "import torch, numpy") == 0;
    if (System.getenv("CI") == null) {
      assumeTrue(torch, "PyTorch is not installed (apt-get install python3-torch)");
    }
    assertTrue(torch, "CI must install python3-torch");
    Path model = dir.resolve("iris.safetensors");
    assertEquals(0, Cli.run("train", "--data", "iris", "--epochs", "50", "--lr", "0.01", "--layers", "16,8",
        "--activation", "tanh", "--quiet", "--out", model.toString()).code);
    Path features = dir.resolve("features.csv");
    Files.writeString(features, "petal_length,sepal_length,sepal_width,petal_width\n1.4,5.1,3.5,0.2\n"
        + "4.5,6.4,3.2,1.5\n5.8,7.2,3.0,2.2\n");
    Path predictions = dir.resolve("predictions.csv");
    Cli predict = Cli.run("predict", "--model", model.toString(), "--data", features.toString(), "--probabilities",
        "--out", predictions.toString());
    assertEquals(0, predict.code, predict::toString);
    Path script = Path.of(System.getProperty("user.dir")).getParent().resolve("interop/pytorch_reads_model.py");
    int code = run("/usr/bin/python3", script.toString(), model.toString(), features.toString(),
        predictions.toString());
    assertEquals(0, code, "PyTorch disagreed with Backprop (see the output above)");
  }

  private static int run(String... command) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      return -1;
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    System.out.println(output);
    return p.exitValue();
  }
}

package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.backprop.data.DataSources;
import dev.backprop.internal.io.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fashion-MNIST through the command line with the default two-hidden-layer relu network (784-256-128-10).
 * CI installs the data (Debian's dataset-fashion-mnist), so there a missing dataset is a failure, not a skip.
 */
class FashionMnistTest {
  @TempDir Path dir;

  @Test
  void twoEpochsReachEightyFivePercent() {
    boolean present = Files.isDirectory(DataSources.FASHION_MNIST_DIR);
    if (System.getenv("CI") == null) {
      assumeTrue(present, "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
    }
    assertTrue(present, "CI must install dataset-fashion-mnist");
    Path model = dir.resolve("fashion.safetensors");
    Cli r = Cli.run("train", "--data", "fashion-mnist", "--epochs", "2", "--json", "--out", model.toString());
    assertEquals(0, r.code, r::toString);
    JsonObject json = JsonObject.parse("stdout", r.out);
    System.out.println("fashion-mnist, 2 epochs: " + r.out);
    assertTrue(json.number("test_accuracy") >= 0.85, r::toString);
    assertTrue(r.err.contains("784 -> 256 relu -> 128 relu -> 10 softmax"), r::toString);
  }

  /**
   * The README's recipe for 0.90 (25 epochs), shortened to 4 epochs so that its cosine schedule runs its
   * whole course in CI time: it must reach 0.86 there.
   */
  @Test
  void theReadmeRecipeShortenedReachesEightySixPercent() throws Exception {
    boolean present = Files.isDirectory(DataSources.FASHION_MNIST_DIR);
    if (System.getenv("CI") == null) {
      assumeTrue(present, "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
    }
    String recipe = readmeRecipe();
    assertTrue(recipe.contains(" --epochs 25"), recipe);
    List<String> args = new ArrayList<>(List.of(recipe.replace(" --epochs 25", " --epochs 4")
        .substring("./backprop ".length()).split(" ")));
    Path model = dir.resolve("recipe.safetensors");
    args.addAll(List.of("--json", "--out", model.toString()));
    Cli r = Cli.run(args.toArray(new String[0]));
    assertEquals(0, r.code, r::toString);
    double accuracy = JsonObject.parse("stdout", r.out).number("test_accuracy");
    System.out.println("fashion-mnist, README recipe in 4 epochs: " + accuracy);
    assertTrue(accuracy >= 0.86, r::toString);
  }

  /** The recipe's command line, as the README shows it. */
  static String readmeRecipe() throws Exception {
    Path readme = Path.of("..", "README.md");
    for (String line : Files.readAllLines(readme)) {
      String t = line.strip();
      if (t.startsWith("./backprop train --data fashion-mnist --layers")) {
        return t;
      }
    }
    throw new AssertionError("README.md has no line starting with ./backprop train --data fashion-mnist --layers");
  }
}

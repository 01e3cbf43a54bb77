package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.internal.io.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** eval, predict, summary, gradcheck and explain, as a user runs them. */
class OtherCommandsTest {
  @TempDir Path dir;
  Path model;

  @BeforeEach
  void trainIris() {
    model = dir.resolve("iris.safetensors");
    Cli r = Cli.run("train", "--data", "iris", "--epochs", "300", "--lr", "0.01", "--quiet", "--out", model.toString());
    assertEquals(0, r.code, r::toString);
  }

  @Test
  void evalReportsTheContractFields() {
    Cli r = Cli.run("eval", "--model", model.toString(), "--data", "iris", "--json");
    assertEquals(0, r.code, r::toString);
    JsonObject j = JsonObject.parse("stdout", r.out);
    assertEquals(List.of("setosa", "versicolor", "virginica"), j.stringList("classes"));
    assertEquals(30, j.intValue("rows"), "the built-in data is evaluated on the held-out rows of training");
    assertTrue(j.number("accuracy") >= 0.93);
    assertEquals(3, j.array("confusion_matrix").size());
    assertEquals(3, j.doubleArray("precision").length);
    assertEquals(3, j.doubleArray("recall").length);
    assertEquals(3, j.doubleArray("f1").length);
    assertTrue(j.has("loss"));
    Cli human = Cli.run("eval", "--model", model.toString(), "--data", "iris");
    assertTrue(human.out.contains("confusion matrix"), human::toString);
  }

  @Test
  void predictWritesOneRowPerSampleWithProbabilities() throws Exception {
    Path csv = dir.resolve("flowers.csv");
    Files.writeString(csv, "petal_width,sepal_length,sepal_width,petal_length\n0.2,5.1,3.5,1.4\n2.3,6.9,3.1,5.4\n");
    Path out = dir.resolve("p.csv");
    Cli r = Cli.run("predict", "--model", model.toString(), "--data", csv.toString(), "--probabilities",
        "--out", out.toString());
    assertEquals(0, r.code, r::toString);
    List<String> lines = Files.readAllLines(out);
    assertEquals("prediction,setosa,versicolor,virginica", lines.get(0));
    assertEquals(3, lines.size());
    assertTrue(lines.get(1).startsWith("setosa,"), lines::toString);
    assertTrue(lines.get(2).startsWith("virginica,"), lines::toString);
    String[] p = lines.get(1).split(",");
    double sum = Double.parseDouble(p[1]) + Double.parseDouble(p[2]) + Double.parseDouble(p[3]);
    assertEquals(1.0, sum, 1e-5);
    Cli plain = Cli.run("predict", "--model", model.toString(), "--data", csv.toString());
    assertEquals("prediction\nsetosa\nvirginica\n", plain.out);
  }

  @Test
  void predictWithAMissingFeatureLeavesNoFile() throws Exception {
    Path csv = dir.resolve("partial.csv");
    Files.writeString(csv, "sepal_length,sepal_width\n5.1,3.5\n");
    Path out = dir.resolve("p.csv");
    Cli r = Cli.run("predict", "--model", model.toString(), "--data", csv.toString(), "--out", out.toString());
    assertEquals(3, r.code, r::toString);
    assertTrue(r.err.contains("petal_length"), r::toString);
    assertTrue(!Files.exists(out));
  }

  @Test
  void summaryShowsArchitectureAndProvenance() {
    Cli r = Cli.run("summary", "--model", model.toString());
    assertEquals(0, r.code, r::toString);
    assertTrue(r.out.contains("4 x 128"), r::toString);
    assertTrue(r.out.contains("128 x 3"), r::toString);
    assertTrue(r.out.contains("total 1,027 parameters"), r::toString);
    assertTrue(r.out.contains("data_sha256"), r::toString);
    assertTrue(r.out.contains("classes setosa, versicolor, virginica"), r::toString);
  }

  @Test
  void gradcheckPassesOnEveryLossAndFailsBelowAnImpossibleThreshold() {
    for (String[] flags : new String[][] {
        {"--loss", "cross-entropy"},
        {"--loss", "sse", "--output-activation", "sigmoid", "--activation", "sigmoid"},
        {"--loss", "mse", "--output-activation", "identity", "--activation", "tanh"},
        {"--loss", "binary-cross-entropy", "--output-activation", "sigmoid", "--activation", "leaky-relu"}}) {
      String[] args = new String[flags.length + 5];
      args[0] = "gradcheck";
      System.arraycopy(flags, 0, args, 1, flags.length);
      System.arraycopy(new String[] {"--data", "iris", "--layers", "6,5"}, 0, args, flags.length + 1, 4);
      Cli r = Cli.run(args);
      assertEquals(0, r.code, r::toString);
      assertTrue(r.out.contains("PASSED"), r::toString);
      assertTrue(r.out.contains("layers.2.bias"), r::toString);
    }
    Cli strict = Cli.run("gradcheck", "--data", "iris", "--layers", "4", "--threshold", "1e-30");
    assertEquals(1, strict.code, strict::toString);
    assertTrue(strict.out.contains("FAILED"), strict::toString);
  }

  @Test
  void explainShowsEveryQuantityAndItsCheck() {
    Cli r = Cli.run("explain");
    assertEquals(0, r.code, r::toString);
    for (String q : new String[] {"z1", "a1", "z2", "a2", "delta2", "dC/dW2", "dC/db2", "delta1", "dC/dW1", "dC/db1",
        "W1 - eta dC/dW1", "b2 - eta dC/db2"}) {
      assertTrue(r.out.contains(q), () -> q + " missing:\n" + r.out);
    }
    assertEquals(4, r.out.split("max relative error").length - 1, r::toString);
    assertTrue(!r.out.contains("MISMATCH"), r::toString);
    assertTrue(r.out.contains("C after the step") && r.out.contains("(down by"), r::toString);
  }
}

package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.SeededRandom;
import dev.backprop.check.SeedNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code backprop report} and {@code backprop explain --report}, as a user runs them. */
class ReportCommandTest {
  @TempDir Path dir;

  private Path trainIris() {
    Path model = dir.resolve("iris.safetensors");
    Cli r = Cli.run("train", "--data", "iris", "--epochs", "30", "--lr", "0.01", "--quiet", "--out", model.toString());
    assertEquals(0, r.code, r::toString);
    return model;
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
      n++;
    }
    return n;
  }

  @Test
  void reportOfAClassifierHasTheConfusionMatrixAndTheTrainingRecord() throws IOException {
    Path model = trainIris();
    Path out = dir.resolve("run.html");
    Cli r = Cli.run("report", "--model", model.toString(), "--data", "iris", "--out", out.toString());
    assertEquals(0, r.code, r::toString);
    assertTrue(r.out.contains("report written to " + out), r::toString);
    String html = Files.readString(out);
    assertTrue(html.startsWith("<!DOCTYPE html>"));
    assertTrue(html.contains("<title>Report of iris.safetensors</title>"));
    assertEquals(9, count(html, "<td style=\"background:rgba("), "3 x 3 confusion cells");
    for (String name : new String[] {"setosa", "versicolor", "virginica"}) {
      assertTrue(html.contains("<td>" + name + "</td>"), name + " in the per-class table");
    }
    assertTrue(html.contains("data_sha256"), "the training provenance is listed");
    assertTrue(html.contains("SHA-256"), "the evaluated data's hash");
    assertTrue(html.contains("Timings"), "the training time recorded in the model");
    assertFalse(html.contains("Training curves"), "a saved model has no per-epoch history");
    assertFalse(html.contains("<script"));
  }

  @Test
  void reportOfARegressionHasTheScatterPlot() throws IOException {
    Path csv = dir.resolve("lines.csv");
    StringBuilder sb = new StringBuilder("a,b,t\n");
    SeededRandom random = new SeededRandom(17);
    System.out.println("seed 17");
    for (int i = 0; i < 200; i++) {
      double a = random.nextGaussian();
      double b = random.nextGaussian();
      sb.append(String.format(Locale.ROOT, "%.5f,%.5f,%.5f%n", a, b, 2 * a - b + 0.1 * random.nextGaussian()));
    }
    Files.writeString(csv, sb);
    Path model = dir.resolve("lines.safetensors");
    Cli train = Cli.run("train", "--data", csv.toString(), "--task", "regression", "--epochs", "20", "--quiet",
        "--out", model.toString());
    assertEquals(0, train.code, train::toString);
    Path out = dir.resolve("lines.html");
    Cli r = Cli.run("report", "--model", model.toString(), "--data", csv.toString(), "--out", out.toString(),
        "--title", "lines <regression>");
    assertEquals(0, r.code, r::toString);
    String html = Files.readString(out);
    assertTrue(html.contains("aria-label=\"Predicted against true\""));
    assertTrue(html.contains("aria-label=\"Residuals\""));
    assertTrue(html.contains("class=\"identity\""));
    assertEquals(2 * 200, count(html, "<circle"), "every row in both plots");
    assertTrue(html.contains("lines &lt;regression&gt;"));
    assertFalse(html.contains("class=\"confusion\""));
  }

  @Test
  void explainWritesTheStepDiagram() throws IOException {
    Path out = dir.resolve("explain.html");
    Cli r = Cli.run("explain", "--report", out.toString());
    assertEquals(0, r.code, r::toString);
    assertTrue(r.out.contains("dC/dW2"), "the text walk-through is still printed");
    String html = Files.readString(out);
    assertEquals(6, count(html, "<circle class=\"node\""), "2 inputs, 2 hidden units, 2 outputs");
    assertEquals(8, count(html, "<line class=\"edge\""), "one edge per weight");
    assertTrue(html.contains("W1[1,1] = 0.1500"), "the weights on their edges");
    SeedNetwork seed = new SeedNetwork(ExplainCommand.W1, ExplainCommand.B1, ExplainCommand.W2, ExplainCommand.B2);
    SeedNetwork.Gradients g = seed.gradients(seed.forward(ExplainCommand.A0), ExplainCommand.Y);
    for (double[][] dW : new double[][][] {g.dW1(), g.dW2()}) {
      for (double[] row : dW) {
        for (double v : row) {
          String shown = String.format(Locale.ROOT, "\u2202C/\u2202w = %+.6f", v);
          assertTrue(html.contains(shown), shown + " on its edge");
        }
      }
    }
    assertTrue(html.contains("a0 W1 + b1"), "the equations beside the drawing");
    assertFalse(html.contains("MISMATCH"));
  }

  @Test
  void aBadModelIsAnInputErrorAndLeavesNoFile() throws IOException {
    Path bad = dir.resolve("bad.safetensors");
    Files.write(bad, new byte[] {1, 2, 3});
    Path out = dir.resolve("run.html");
    Cli r = Cli.run("report", "--model", bad.toString(), "--data", "iris", "--out", out.toString());
    assertEquals(3, r.code, r::toString);
    assertTrue(r.err.contains("bad.safetensors"), r::toString);
    assertFalse(r.err.contains("\tat "), r::toString);
    assertFiles("bad.safetensors");
  }

  @Test
  void dataThatDoesNotFitIsAnInputErrorAndKeepsTheOldReport() throws IOException {
    Path model = trainIris();
    Path csv = dir.resolve("partial.csv");
    Files.writeString(csv, "sepal_length,sepal_width,species\n5.1,3.5,setosa\n");
    Path out = dir.resolve("run.html");
    Files.writeString(out, "the old report");
    Cli r = Cli.run("report", "--model", model.toString(), "--data", csv.toString(), "--out", out.toString());
    assertEquals(3, r.code, r::toString);
    assertTrue(r.err.contains("partial.csv"), r::toString);
    assertEquals("the old report", Files.readString(out));
    assertFiles("iris.safetensors", "partial.csv", "run.html");
  }

  @Test
  void aMissingOutputFolderIsAUsageError() {
    Cli r = Cli.run("explain", "--report", dir.resolve("no/such/explain.html").toString());
    assertEquals(2, r.code, r::toString);
    assertTrue(r.err.contains("--report"), r::toString);
    assertTrue(r.out.isEmpty(), "nothing is done before the check: " + r);
  }

  private void assertFiles(String... names) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      assertArrayEquals(Stream.of(names).sorted().toArray(),
          files.map(p -> p.getFileName().toString()).sorted().toArray(), "files in the folder");
    }
  }
}

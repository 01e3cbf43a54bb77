package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a user can hand the command line something wrong: the documented exit code, a message that
 * names the file and the place, no stack trace, and no output file left behind or overwritten.
 */
class ErrorPathsTest {
  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  private static void assertCleanError(Cli r, int code, String... fragments) {
    assertEquals(code, r.code, r::toString);
    for (String f : fragments) {
      assertTrue(r.err.contains(f), () -> "stderr lacks '" + f + "':\n" + r);
    }
    assertFalse(r.err.contains("\tat "), () -> "stack trace printed:\n" + r);
    assertFalse(r.err.contains("Exception"), () -> "exception name printed:\n" + r);
  }

  private void assertNoFilesBut(String... names) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      assertArrayEquals(Stream.of(names).sorted().toArray(),
          files.map(p -> p.getFileName().toString()).sorted().toArray(), "files in the folder");
    }
  }

  @Test
  void raggedCsvRowIsAnInputError() throws IOException {
    Path csv = write("bad.csv", "a,b,label\n1,2,x\n3,4\n5,6,y\n");
    Cli r = Cli.run("train", "--data", csv.toString(), "--out", dir.resolve("m.safetensors").toString());
    assertCleanError(r, 3, "bad.csv", "line 3");
    assertEquals(1, r.err.strip().lines().count(), r::toString);
    assertNoFilesBut("bad.csv");
  }

  @Test
  void nonNumericCsvCellNamesRowAndColumn() throws IOException {
    Path csv = write("cells.csv", "a,b,label\n1,2,x\n3,oops,y\n5,6,x\n7,8,y\n");
    Cli r = Cli.run("train", "--data", csv.toString(), "--out", dir.resolve("m.safetensors").toString());
    assertCleanError(r, 3, "cells.csv", "line 3", "column 2", "oops");
    assertNoFilesBut("cells.csv");
  }

  @Test
  void truncatedIdxIsAnInputError() throws IOException {
    // an images file that declares 10 images of 2x2 but holds 3 bytes of pixels
    byte[] images = {0, 0, 8, 3, 0, 0, 0, 10, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3};
    byte[] labels = {0, 0, 8, 1, 0, 0, 0, 10, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    Files.write(dir.resolve("train-images-idx3-ubyte"), images);
    Files.write(dir.resolve("train-labels-idx1-ubyte"), labels);
    Cli r = Cli.run("train", "--data", dir.toString(), "--out", dir.resolve("m.safetensors").toString());
    assertCleanError(r, 3, "train-images-idx3-ubyte", "byte");
    assertNoFilesBut("train-images-idx3-ubyte", "train-labels-idx1-ubyte");
  }

  @Test
  void corruptModelFileIsAnInputError() throws IOException {
    Path model = dir.resolve("broken.safetensors");
    Files.write(model, new byte[] {(byte) 200, 0, 0, 0, 0, 0, 0, 0, '{', '}'});
    Cli r = Cli.run("eval", "--model", model.toString(), "--data", "digits");
    assertCleanError(r, 3, "broken.safetensors");
    Cli s = Cli.run("summary", "--model", model.toString());
    assertCleanError(s, 3, "broken.safetensors");
  }

  @Test
  void modelThatDoesNotFitTheDataIsAnInputError() throws IOException {
    Path model = dir.resolve("iris.safetensors");
    assertEquals(0, Cli.run("train", "--data", "iris", "--epochs", "1", "--quiet", "--out", model.toString()).code);
    Cli eval = Cli.run("eval", "--model", model.toString(), "--data", "digits");
    assertCleanError(eval, 3, "digits", "sepal_length");
    Path out = dir.resolve("again.safetensors");
    Cli init = Cli.run("train", "--data", "digits", "--init", model.toString(), "--out", out.toString());
    assertCleanError(init, 3, "iris.safetensors", "does not fit");
    assertNoFilesBut("iris.safetensors");
  }

  @Test
  void aFailedRunNeverOverwritesAGoodModel() throws IOException {
    Path model = dir.resolve("good.safetensors");
    assertEquals(0, Cli.run("train", "--epochs", "1", "--quiet", "--out", model.toString()).code);
    byte[] before = Files.readAllBytes(model);
    Path csv = write("bad.csv", "a,b,label\n1,2\n");
    Cli r = Cli.run("train", "--data", csv.toString(), "--out", model.toString());
    assertEquals(3, r.code, r::toString);
    assertArrayEquals(before, Files.readAllBytes(model));
  }

  @Test
  void badFlagValuesAreUsageErrors() {
    Path out = dir.resolve("m.safetensors");
    String[][] cases = {
      {"--epochs", "-1"}, {"--batch-size", "0"}, {"--batch-size", "many"}, {"--lr", "NaN"}, {"--lr", "-0.1"},
      {"--lr", "Infinity"}, {"--layers", "0"}, {"--layers", "10,100000000"}, {"--activation", "softmax"},
      {"--loss", "hinge"}, {"--optimizer", "lbfgs"}, {"--test-split", "1.5"}, {"--normalize", "zscore"},
      {"--task", "ranking"}, {"--loss", "cross-entropy", "--output-activation", "sigmoid"}, {"--unknown-flag"},
    };
    for (String[] c : cases) {
      String[] args = new String[c.length + 3];
      args[0] = "train";
      System.arraycopy(c, 0, args, 1, c.length);
      args[c.length + 1] = "--out";
      args[c.length + 2] = out.toString();
      Cli r = Cli.run(args);
      assertEquals(2, r.code, () -> String.join(" ", c) + "\n" + r);
      assertFalse(r.err.contains("\tat "), r::toString);
      assertFalse(Files.exists(out), () -> String.join(" ", c) + " left a model behind");
    }
  }

  @Test
  void missingOutputFolderIsAUsageErrorBeforeAnyWork() {
    Cli r = Cli.run("train", "--out", dir.resolve("no/such/folder/m.safetensors").toString());
    assertCleanError(r, 2, "does not exist");
    assertFalse(r.out.contains("epoch"), "no training happened");
  }

  @Test
  void missingDataFileIsAnInputError() {
    Cli r = Cli.run("train", "--data", dir.resolve("nothing.csv").toString(), "--out",
        dir.resolve("m.safetensors").toString());
    assertCleanError(r, 3, "nothing.csv", "no such file");
  }

  @Test
  void divergenceExitsWithFour() throws IOException {
    Path out = dir.resolve("m.safetensors");
    Cli r = Cli.run("train", "--optimizer", "sgd", "--lr", "1e6", "--out", out.toString());
    assertCleanError(r, 4, "diverged", "epoch", "step", "lower learning rate");
    assertFalse(Files.exists(out), "a diverged run saves no model");
  }

  @Test
  void everyParseErrorIsOneLine() throws IOException {
    Path model = dir.resolve("m.safetensors");
    String[][] cases = {
      {"train", "--epochs", "1", "--epochs", "2"}, {"train", "--epoch", "1"}, {"train", "--epochs", "x"},
      {"train", "--epochs"}, {"train", "--epochs", "1\n2"}, {"eval", "--data", "digits"},
      {"predict", "--model", model.toString()}, {"fly"}, {},
    };
    for (String[] args : cases) {
      Cli r = Cli.run(args);
      assertCleanError(r, 2, "(see --help)");
      assertEquals(1, r.err.lines().count(), r::toString);
      assertTrue(r.err.startsWith("backprop: "), r::toString);
      assertFalse(r.err.contains("Usage:"), r::toString);
      assertEquals("", r.out, r::toString);
    }
    assertCleanError(Cli.run("train", "--epochs", "1", "--epochs", "2"), 2, "--epochs", "only once");
    assertCleanError(Cli.run("train", "--epoch", "1"), 2, "'--epoch'", "did you mean --epochs");
    assertCleanError(Cli.run("train", "--epochs", "x"), 2, "--epochs", "'x'");
    assertCleanError(Cli.run("eval", "--data", "digits"), 2, "--model");
    assertNoFilesBut();
  }

  @Test
  void aRunAddsOnlyItsCommandYetHelpAndMistakesSeeThemAll() {
    // a mistyped command is told apart from the others, and the help lists every one
    assertCleanError(Cli.run("trian", "--epochs", "1"), 2, "'trian'", "did you mean train");
    Cli help = Cli.run("--help");
    assertEquals(0, help.code, help::toString);
    for (String command : Main.COMMANDS) {
      assertTrue(help.out.contains("  " + command + " "), command + " in\n" + help.out);
    }
    Cli helpEval = Cli.run("help", "eval");
    assertEquals(0, helpEval.code, helpEval::toString);
    assertTrue(helpEval.out.contains("Usage: backprop eval"), helpEval::toString);
    Cli trainHelp = Cli.run("train", "--help");
    assertEquals(0, trainHelp.code, trainHelp::toString);
    assertTrue(trainHelp.out.contains("Usage: backprop train"), trainHelp::toString);
    assertEquals(Main.COMMANDS.size(), Main.commandLine(null).getSubcommands().size() - 1, "every command and help");
    assertEquals(java.util.Set.of("train"), Main.commandLine("train").getSubcommands().keySet());
  }

  @Test
  void tooFewRowsToHoldAnyOutIsAnInputError() throws IOException {
    Path csv = write("tiny.csv", "x,label\n1,a\n2,b\n");
    Cli r = Cli.run("train", "--data", csv.toString(), "--out", dir.resolve("m.safetensors").toString());
    assertCleanError(r, 3, "tiny.csv", "2 rows", "no rows held out");
    assertEquals(1, r.err.lines().count(), r::toString);
    // 3 training rows after the test split: a validation share of 0.1 rounds to no rows
    Path values = write("values.csv", "x,y\n1,0.5\n2,1.5\n3,2.5\n4,3.5\n");
    Cli validation = Cli.run("train", "--data", values.toString(), "--test-split", "0.25", "--validation-split",
        "0.1", "--out", dir.resolve("m.safetensors").toString());
    assertCleanError(validation, 3, "values.csv", "3 rows", "no rows held out");
    assertNoFilesBut("tiny.csv", "values.csv");
  }

  @Test
  void aLineBreakInACsvCellStaysInsideTheOneLineOfTheError() throws IOException {
    Path good = write("good.csv", "a,b,label\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n9,1,x\n2,3,y\n");
    Path model = dir.resolve("m.safetensors");
    assertEquals(0, Cli.run("train", "--data", good.toString(), "--epochs", "1", "--quiet", "--out",
        model.toString()).code);
    Path cell = write("cell.csv", "a,b,label\n1,2,x\n\"3\n4\",4,y\n5,6,x\n7,8,y\n");
    Cli train = Cli.run("train", "--data", cell.toString(), "--out", dir.resolve("other.safetensors").toString());
    assertCleanError(train, 3, "cell.csv", "line 3", "'3\\n4' is not a number");
    Path label = write("label.csv", "a,b,label\n1,2,x\n3,4,\"y\r\nz\"\n");
    Cli eval = Cli.run("eval", "--model", model.toString(), "--data", label.toString());
    assertCleanError(eval, 3, "label.csv", "'y\\r\\nz' is not one of the model's classes");
    Cli predict = Cli.run("predict", "--model", model.toString(), "--data", cell.toString());
    assertCleanError(predict, 3, "cell.csv", "'3\\n4' is not a number");
    for (Cli r : new Cli[] {train, eval, predict}) {
      assertEquals(1, r.err.lines().count(), r::toString);
    }
    assertNoFilesBut("good.csv", "m.safetensors", "cell.csv", "label.csv");
  }

  @Test
  void unknownCommandIsAUsageError() {
    assertEquals(2, Cli.run("fly").code);
    assertEquals(2, Cli.run().code);
  }
}

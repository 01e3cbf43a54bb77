package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.internal.io.JsonObject;
import dev.backprop.io.ModelFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tables with categories and gaps through train, predict, eval and summary, the adaptive defaults, bad input. */
class TabularCliTest {
  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  /** 200 rows: the class follows the colour and the size; gaps in both, an ID column and a constant one. */
  private Path table() throws IOException {
    StringBuilder csv = new StringBuilder("id,colour,size,site,label\n");
    String[] colours = {"red", "green", "blue"};
    for (int i = 0; i < 200; i++) {
      String colour = i % 17 == 0 ? "NA" : colours[i % 3];
      String size = i % 13 == 0 ? "" : Integer.toString(i % 7);
      String label = (i % 3 == 0) == (i % 7 > 3) ? "yes" : "no";
      csv.append("r").append(i).append(',').append(colour).append(',').append(size).append(",north,")
          .append(label).append('\n');
    }
    return write("table.csv", csv.toString());
  }

  @Test
  void trainsWithTheDefaultsAndPredictsEveryRowOfOtherData() throws IOException {
    Path model = dir.resolve("m.safetensors");
    Cli train = Cli.run("train", "--data", table().toString(), "--label", "label", "--out", model.toString());
    assertEquals(0, train.code, train::toString);
    assertTrue(train.out.contains("id: ignored (a different value in every training row, like an ID)"), train.out);
    assertTrue(train.out.contains("site: ignored (the same value in every training row)"), train.out);
    assertTrue(train.out.contains("colour: categorical, 3 levels + (missing) (inferred)"), train.out);
    assertTrue(train.out.contains("size: numeric, gaps filled with the median"), train.out);
    assertTrue(train.out.contains("adaptive defaults: up to 500 epochs"), train.out);
    double accuracy = Double.parseDouble(train.out.replaceAll("(?s).*test accuracy ([0-9.]+).*", "$1"));
    assertTrue(accuracy >= 0.9, train.out);
    // columns in another order, no label, an extra column, an unseen colour and gaps
    Path other = write("other.csv", "size,note,colour\n3,a,red\n,b,purple\n5,c,NA\nNA,d,green\n");
    Cli predict = Cli.run("predict", "--model", model.toString(), "--data", other.toString(), "--probabilities");
    assertEquals(0, predict.code, predict::toString);
    assertEquals(5, predict.out.lines().count(), predict.out);
    assertTrue(predict.err.contains("1 cell held a category not seen in training, encoded as unknown (colour 1)"),
        predict.err);
    assertTrue(predict.err.contains("column note not used by the model, ignored"), predict.err);
    assertEquals(2, predict.err.lines().filter(l -> l.startsWith("backprop: note:")).count(), predict.err);
    Cli summary = Cli.run("summary", "--model", model.toString());
    assertTrue(summary.out.contains("colour: categorical, 3 levels + (missing) (inferred)"), summary.out);
    Cli eval = Cli.run("eval", "--model", model.toString(), "--data", table().toString(), "--json");
    assertEquals(0, eval.code, eval::toString);
    assertEquals(200, JsonObject.parse("stdout", eval.out).intValue("rows"));
  }

  @Test
  void aFileWithoutTheModelsColumnsSaysWhich() throws IOException {
    Path model = dir.resolve("m.safetensors");
    assertEquals(0, Cli.run("train", "--data", table().toString(), "--epochs", "2", "--quiet", "--out",
        model.toString()).code);
    Path lacking = write("lacking.csv", "colour,label\nred,yes\n");
    Cli r = Cli.run("predict", "--model", model.toString(), "--data", lacking.toString(), "--out",
        dir.resolve("p.csv").toString());
    assertEquals(3, r.code, r::toString);
    assertTrue(r.err.contains("lacking.csv: missing column size"), r.err);
    assertFalse(Files.exists(dir.resolve("p.csv")));
  }

  @Test
  void adaptiveDefaultsFollowTheTableSize() throws IOException {
    assertEquals(8, TrainCommand.adaptiveBatch(120));
    assertEquals(16, TrainCommand.adaptiveBatch(1000));
    assertEquals(64, TrainCommand.adaptiveBatch(5000));
    Cli small = Cli.run("train", "--data", "iris", "--json", "--out", dir.resolve("s.safetensors").toString());
    assertEquals(0, small.code, small::toString);
    assertTrue(small.err.contains("batch 8 for 108 training rows"), small.err);
    assertTrue(JsonObject.parse("stdout", small.out).number("test_accuracy") >= 0.9, small.out);
    StringBuilder big = new StringBuilder("a,b,y\n");
    for (int i = 0; i < 3000; i++) {
      big.append(i % 10).append(',').append(i % 7).append(',').append(i % 10 > 4 ? "p" : "q").append('\n');
    }
    Cli large = Cli.run("train", "--data", write("big.csv", big.toString()).toString(), "--json", "--out",
        dir.resolve("l.safetensors").toString());
    assertEquals(0, large.code, large::toString);
    assertTrue(large.err.contains("batch 64 for 2,160 training rows"), large.err);
    // an explicit --epochs keeps the old meaning: no validation rows, batches of 64
    Cli fixed = Cli.run("train", "--data", "iris", "--epochs", "3", "--out", dir.resolve("f.safetensors").toString());
    assertTrue(fixed.out.contains("batch 64, 3 epochs"), fixed.out);
    assertFalse(fixed.out.contains("adaptive"), fixed.out);
  }

  @Test
  void diabetesWithTheDefaultsExplainsOverFortyPercent() {
    Cli r = Cli.run("train", "--data", "diabetes", "--json", "--out", dir.resolve("d.safetensors").toString());
    assertEquals(0, r.code, r::toString);
    assertTrue(JsonObject.parse("stdout", r.out).number("test_r2") >= 0.40, r.out);
    assertTrue(r.err.contains("target standardised"), r.err);
    Cli predict = Cli.run("predict", "--model", dir.resolve("d.safetensors").toString(), "--data", "diabetes");
    double sum = predict.out.lines().skip(1).mapToDouble(Double::parseDouble).sum();
    assertEquals(152.1, sum / 442, 15, "predictions in the target's units");
  }

  @Test
  void badTablesAreInputErrorsThatWriteNothing() throws IOException {
    Path out = dir.resolve("m.safetensors");
    String[][] cases = {
      {"empty.csv", "a,b,y\n1,,x\n2,NA,y\n3,,x\n4,,y\n5,?,x\n", "", "column 2 (b): empty in every one"},
      {"single.csv", "a,y\n1,x\n2,x\n3,NA\n4,x\n", "", "column 2 (y): the label column has only one class"},
      {"nolabel.csv", "a,y\n1,NA\n2,\n3,?\n", "", "column 2 (y): the label is missing in all 3 rows"},
      {"cap.csv", "c,y\na,x\nb,y\nc,x\nd,y\ne,x\nf,y\n", "--categorical=c --max-levels=3", "column 1 (c): 4 distinct values in the training rows"},
      {"text.csv", "a,y\n1,x\nz,y\n3,x\n4,y\n5,x\n", "--numeric=a", "'z' is not a number, and --numeric"},
    };
    for (String[] c : cases) {
      Path data = write(c[0], c[1]);
      List<String> args = new java.util.ArrayList<>(List.of("train", "--data", data.toString(), "--out",
          out.toString(), "--test-split", "0.4"));
      if (!c[2].isEmpty()) {
        args.addAll(List.of(c[2].split(" ")));
      }
      Cli r = Cli.run(args.toArray(String[]::new));
      assertEquals(3, r.code, r::toString);
      assertTrue(r.err.contains(c[0]) && r.err.contains(c[3]), r::toString);
      assertEquals(1, r.err.lines().count(), r::toString);
      assertFalse(Files.exists(out), c[0]);
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertTrue(files.allMatch(p -> p.toString().endsWith(".csv")));
    }
  }
}

package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forward-only warm-up of {@code eval}, {@code predict} and {@code train --epochs 0} changes nothing they print:
 * the same bytes with it on and off, in processes of their own (the launcher turns it on).
 */
class InferenceWarmupTest {
  @TempDir Path dir;

  @Test
  void evalPredictAndUntrainedTrainPrintTheSameWithAndWithoutIt() throws Exception {
    Path csv = dir.resolve("table.csv");
    Files.writeString(csv, table(3000));
    Path model = dir.resolve("m.safetensors");
    Cli trained = Cli.run("train", "--data", csv.toString(), "--label", "y", "--epochs", "2", "--out",
        model.toString());
    assertEquals(0, trained.code, trained::toString);

    for (String[] args : List.of(
        new String[] {"eval", "--model", model.toString(), "--data", csv.toString(), "--json"},
        new String[] {"predict", "--model", model.toString(), "--data", csv.toString(), "--probabilities"},
        new String[] {"train", "--data", csv.toString(), "--label", "y", "--epochs", "0", "--out",
            dir.resolve("untrained.safetensors").toString()})) {
      // the seconds a run took are the one thing that may differ
      String on = run("true", args).replaceAll(" in [0-9.]+ s \\([0-9,]+ samples/s\\)", "");
      String off = run("false", args).replaceAll(" in [0-9.]+ s \\([0-9,]+ samples/s\\)", "");
      assertTrue(on.length() > 50, on);
      assertEquals(off, on, args[0] + ": the same output with the warm-up on");
    }
  }

  /** The command's stdout in a child JVM with the warm-up property set to {@code warmup}. */
  private String run(String warmup, String... args) throws Exception {
    Path out = dir.resolve("out-" + warmup + ".txt");
    Path err = dir.resolve("err-" + warmup + ".txt");
    Process p = new ProcessBuilder(ChildCli.command(List.of("-Dbackprop.warmup=" + warmup), args))
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the run ended");
    assertEquals(0, p.exitValue(), () -> readQuietly(err));
    return Files.readString(out);
  }

  private static String readQuietly(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  /** Two numeric columns (one with gaps), a categorical one and a class label that depends on them. */
  private static String table(int rows) {
    SplittableRandom random = new SplittableRandom(11);
    StringBuilder sb = new StringBuilder("a,b,colour,y\n");
    List<String> colours = new ArrayList<>(List.of("red", "green", "blue"));
    for (int i = 0; i < rows; i++) {
      double a = random.nextDouble() * 10 - 5;
      double b = random.nextDouble() * 3;
      String colour = colours.get(random.nextInt(colours.size()));
      String y = a + (colour.equals("red") ? 2 : 0) > 0 ? "up" : b > 1.5 ? "flat" : "down";
      sb.append(String.format(Locale.ROOT, "%.4f", a)).append(',')
          .append(i % 17 == 0 ? "NA" : String.format(Locale.ROOT, "%.4f", b)).append(',').append(colour)
          .append(',').append(y).append('\n');
    }
    return sb.toString();
  }
}

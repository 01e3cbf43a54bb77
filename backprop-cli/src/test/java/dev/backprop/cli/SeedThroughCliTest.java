package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.check.SeedNetwork;
import dev.backprop.data.Dataset;
import dev.backprop.io.ModelFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's equations, checked from the command line: a model initialised with --epochs 0 and trained 20
 * full-batch steps with --init matches the float64 seed reference started from the same weights.
 */
class SeedThroughCliTest {
  @TempDir Path dir;

  private static final String[] SEED_FLAGS = {"train", "--data", "iris", "--layers", "5", "--activation", "sigmoid",
      "--output-activation", "sigmoid", "--loss", "sse", "--optimizer", "sgd", "--lr", "0.01",
      "--batch-size", "all", "--no-shuffle", "--normalize", "none", "--quiet"};

  @Test
  void twentyStepsFromTheCliMatchTheSeedReference() {
    Path m0 = dir.resolve("m0.safetensors");
    Path m20 = dir.resolve("m20.safetensors");
    Cli init = Cli.run(concat(SEED_FLAGS, "--epochs", "0", "--out", m0.toString()));
    assertEquals(0, init.code, init::toString);
    Cli train = Cli.run(concat(SEED_FLAGS, "--init", m0.toString(), "--epochs", "20", "--out", m20.toString()));
    assertEquals(0, train.code, train::toString);

    SeedNetwork reference = SeedNetwork.of(ModelFile.load(m0).network());
    DataOptions options = new DataOptions();
    options.data = "iris";
    options.testSplit = DataOptions.DEFAULT_TEST_SPLIT;
    options.normalize = "none";
    Dataset train20 = PreparedData.prepare(options, 42).train();
    double[][] a0 = train20.features().toArray();
    double[][] y = train20.targets().toArray();
    for (int step = 0; step < 20; step++) {
      reference.step(a0, y, 0.01);
    }
    SeedNetwork engine = SeedNetwork.of(ModelFile.load(m20).network());
    double worst = Math.max(Math.max(rel(reference.w1(), engine.w1()), rel(reference.w2(), engine.w2())),
        Math.max(rel(new double[][] {reference.b1()}, new double[][] {engine.b1()}),
            rel(new double[][] {reference.b2()}, new double[][] {engine.b2()})));
    System.out.println("CLI engine vs seed reference after 20 steps: max relative difference " + worst);
    assertTrue(worst <= 1e-4, "relative difference " + worst);
    SeedNetwork start = SeedNetwork.of(ModelFile.load(m0).network());
    assertTrue(rel(start.w2(), engine.w2()) > 1e-3, "the 20 steps changed the weights");
  }

  private static double rel(double[][] expected, double[][] actual) {
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      for (int j = 0; j < expected[i].length; j++) {
        worst = Math.max(worst, Math.abs(expected[i][j] - actual[i][j]) / Math.max(Math.abs(expected[i][j]), 1e-3));
      }
    }
    return worst;
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}

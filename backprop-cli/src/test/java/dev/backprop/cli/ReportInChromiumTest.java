package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.backprop.data.DataSources;
import dev.backprop.data.Dataset;
import dev.backprop.data.Normalization;
import dev.backprop.data.Splits;
import dev.backprop.loss.CrossEntropyLoss;
import dev.backprop.nn.Network;
import dev.backprop.nn.activation.Activations;
import dev.backprop.optim.OptimizerSettings;
import dev.backprop.report.TrainingReport;
import dev.backprop.train.History;
import dev.backprop.train.Trainer;
import dev.backprop.train.TrainingConfig;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training report rendered by a real browser: headless Chromium takes a screenshot of the page, and the
 * picture must show the curves in their colours and the shaded confusion matrix. CI installs the Debian
 * package chromium, so there a missing browser is a failure, not a skip.
 */
class ReportInChromiumTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final int WIDTH = 1280;
  static final int HEIGHT = 2000;
  static final long TIMEOUT_SECONDS = 120;

  @TempDir Path dir;

  @Test
  void chromiumDrawsTheCurvesAndTheConfusionMatrix() throws Exception {
    boolean present = Files.isExecutable(CHROMIUM);
    if (System.getenv("CI") == null) {
      assumeTrue(present, "Chromium is not installed (apt-get install chromium)");
    }
    assertTrue(present, "CI must install chromium");

    Path html = dir.resolve("report.html");
    irisReport().write(html);
    Path png = dir.resolve("report.png");
    screenshot(html, png);

    BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(WIDTH, image.getWidth());
    assertEquals(HEIGHT, image.getHeight());
    Set<Integer> colours = new HashSet<>();
    int inked = 0;
    int trainBlue = 0;
    int testGreen = 0;
    int rateViolet = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y) & 0xFFFFFF;
        colours.add(rgb);
        inked += rgb != 0xFFFFFF ? 1 : 0;
        trainBlue += near(rgb, 0x1f77b4) ? 1 : 0;
        testGreen += near(rgb, 0x2ca02c) ? 1 : 0;
        rateViolet += near(rgb, 0x9467bd) ? 1 : 0;
      }
    }
    System.out.printf("%d colours, %d non-white pixels, train %d, test %d, rate %d%n", colours.size(), inked,
        trainBlue, testGreen, rateViolet);
    assertTrue(colours.size() > 100, colours.size() + " colours: text and lines are anti-aliased");
    assertTrue(inked > 50_000, inked + " non-white pixels");
    assertTrue(trainBlue > 500, trainBlue + " pixels of the train curves (and the confusion diagonal)");
    // the point markers alone make about 450 green and 220 violet pixels: these need the lines drawn
    assertTrue(testGreen > 800, testGreen + " pixels of the test curves");
    assertTrue(rateViolet > 600, rateViolet + " pixels of the learning-rate line");
  }

  /** 4 -> 16 -> 3 on iris for 8 epochs, with its held-out rows as test data. */
  private static TrainingReport irisReport() {
    Dataset data = DataSources.open("iris").table().toDataset(null, null);
    Splits.Split parts = Splits.split(data, 0.2, 42);
    Normalization norm = Normalization.fit(Normalization.Kind.STANDARD, parts.train().features());
    Dataset train = norm.apply(parts.train());
    Dataset test = norm.apply(parts.heldOut());
    Network net = Network.builder(data.featureCount()).dense(16, Activations.relu())
        .dense(data.outputCount(), Activations.softmax()).seed(42).build();
    History history = new Trainer(TrainingConfig.defaults().withEpochs(8).withBatchSize(16)
        .withOptimizer(OptimizerSettings.adam(0.01))).fit(net, new CrossEntropyLoss(), train, test);
    return TrainingReport.builder().title("iris").network(net, new CrossEntropyLoss()).history(history)
        .settings(Map.of("optimizer", "adam", "epochs", 8)).data("iris", null).evaluate("test data", test).build();
  }

  private void screenshot(Path html, Path png) throws IOException, InterruptedException {
    Path profile = Files.createDirectory(dir.resolve("profile"));
    Process p = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + profile, "--screenshot=" + png,
        "--window-size=" + WIDTH + "," + HEIGHT, html.toUri().toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("Chromium took longer than " + TIMEOUT_SECONDS + " s to take the screenshot");
    }
    String log = Files.readString(dir.resolve("chromium.log"), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), () -> "Chromium failed:\n" + log);
    assertTrue(Files.size(png) > 0, () -> "no screenshot:\n" + log);
  }

  /** Whether two colours differ by at most 24 in every channel. */
  private static boolean near(int rgb, int target) {
    for (int shift = 0; shift <= 16; shift += 8) {
      if (Math.abs(((rgb >> shift) & 0xFF) - ((target >> shift) & 0xFF)) > 24) {
        return false;
      }
    }
    return true;
  }
}

package dev.backprop.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.SeededRandom;
import dev.backprop.TestData;
import dev.backprop.data.Dataset;
import dev.backprop.loss.CrossEntropyLoss;
import dev.backprop.loss.SquaredErrorLoss;
import dev.backprop.train.Evaluation;
import dev.backprop.nn.Network;
import dev.backprop.nn.activation.Activations;
import dev.backprop.optim.OptimizerSettings;
import dev.backprop.tensor.Matrix;
import dev.backprop.train.History;
import dev.backprop.train.Trainer;
import dev.backprop.train.TrainingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTML of training and evaluation reports: its parts, its drawings, its escaping. */
class TrainingReportTest {
  /** Class names as a user's CSV may have them. */
  static final List<String> CLASSES = List.of("<script>alert(1)</script>", "a & b", "\"quoted\" 'single'");

  @TempDir Path dir;

  @Test
  void classificationReportHasCurvesConfusionMatrixAndPerClassTable() throws Exception {
    Dataset data = blobs(120, 31);
    Network net = classifier(32);
    History history = new Trainer(TrainingConfig.builder().epochs(4).batchSize(16).seed(5)
        .optimizer(OptimizerSettings.adam(0.01)).build())
        .fit(net, new CrossEntropyLoss(), data, data);
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("optimizer", "adam");
    settings.put("arguments", List.of("--epochs", "4"));
    String html = TrainingReport.builder().title("blobs <run>").network(net, new CrossEntropyLoss()).history(history)
        .settings(settings).data("blobs.csv", "ab12").timings(1.5, 320).evaluate("test data", data).build().html();

    Pages.Node page = Pages.parse(html);
    List<Pages.Node> svgs = Pages.svgs(page);
    assertEquals(3, svgs.size(), "loss, accuracy and learning rate");
    svgs.forEach(Pages::assertDrawn);
    assertEquals(2, Pages.elements(svgs.get(0), "polyline").size(), "train and test loss");
    assertEquals(2, Pages.elements(svgs.get(1), "polyline").size(), "train and test accuracy");

    Pages.Node confusion = Pages.elements(page, "table").stream()
        .filter(t -> t.attribute("class").equals("confusion")).findFirst().orElseThrow();
    List<Pages.Node> cells = Pages.elements(confusion, "td").stream()
        .filter(td -> td.attribute("style").startsWith("background")).toList();
    assertEquals(CLASSES.size() * CLASSES.size(), cells.size());
    long counted = cells.stream().mapToLong(td -> Long.parseLong(td.text().toString().trim())).sum();
    assertEquals(data.size(), counted, "the cells count every evaluated row");

    assertFalse(html.contains("<script>"), "class names are escaped");
    assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assertTrue(html.contains("a &amp; b"));
    assertTrue(html.contains("&quot;quoted&quot; &#39;single&#39;"));
    assertTrue(html.contains("blobs &lt;run&gt;"));
    assertTrue(html.contains("per-class"));
    assertTrue(html.contains("macro average"));
    assertTrue(html.contains("[&quot;--epochs&quot;,&quot;4&quot;]"), "non-string settings are shown as JSON");
    assertTrue(html.contains("ab12"));
    assertTrue(html.contains("320"), "samples per second");
    assertTrue(html.contains(Html.escape(net.describe())), "the architecture");
    assertFalse(html.contains("http://") && html.replace("http://www.w3.org/2000/svg", "").contains("http://"),
        "nothing is loaded from elsewhere");
    assertFalse(html.contains("<script"), "no script");
  }

  @Test
  void diagonalCellsAreShadedByTheirRowShare() {
    Dataset data = blobs(90, 41);
    Network net = classifier(42);
    new Trainer(TrainingConfig.builder().epochs(20).batchSize(16).seed(5)
        .optimizer(OptimizerSettings.adam(0.02)).build()).fit(net, new CrossEntropyLoss(), data, null);
    Evaluation e = Evaluation.of(net, new CrossEntropyLoss(), data);
    String html = TrainingReport.builder().network(net, new CrossEntropyLoss()).evaluation("train", e).build().html();
    long[][] m = e.classification().confusion();
    long row0 = 0;
    for (long v : m[0]) {
      row0 += v;
    }
    String share = String.format(java.util.Locale.ROOT, "rgba(31,119,180,%.3f)", (double) m[0][0] / row0);
    assertTrue(html.contains(share), "cell (0, 0) shaded " + share);
  }

  @Test
  void regressionReportHasTheScatterWithTheIdentityLineAndTheResiduals() {
    Dataset data = lines(300, 51);
    Network net = Network.builder(2).dense(8, Activations.tanh()).dense(1, Activations.identity())
        .seed(52).build();
    History history = new Trainer(TrainingConfig.builder().epochs(3).batchSize(32).seed(5)
        .optimizer(OptimizerSettings.adam(0.01)).build())
        .fit(net, SquaredErrorLoss.mse(), data, data);
    String html = TrainingReport.builder().network(net, SquaredErrorLoss.mse()).history(history).evaluate("test data", data).build().html();
    Pages.Node page = Pages.parse(html);
    List<Pages.Node> svgs = Pages.svgs(page);
    assertEquals(4, svgs.size(), "loss, learning rate, scatter, residuals (no accuracy)");
    svgs.forEach(Pages::assertDrawn);
    Pages.Node scatter = svgs.get(2);
    assertEquals("Predicted against true", scatter.attribute("aria-label"));
    assertEquals(300, Pages.elements(scatter, "g").stream().filter(g -> g.attribute("class").equals("points"))
        .mapToInt(g -> Pages.elements(g, "circle").size()).sum());
    assertTrue(Pages.elements(scatter, "line").stream().anyMatch(l -> l.attribute("class").equals("identity")));
    Pages.Node residuals = svgs.get(3);
    assertEquals("Residuals", residuals.attribute("aria-label"));
    assertFalse(html.contains("class=\"confusion\""));
    assertTrue(html.contains("R\u00b2"));
  }

  @Test
  void atMostTwoThousandPointsAreDrawnTheSameOnEveryRun() {
    int[] all = RegressionSection.sample(10);
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, all);
    int[] some = RegressionSection.sample(5001);
    assertEquals(RegressionSection.MAX_POINTS, some.length);
    assertEquals(0, some[0]);
    for (int i = 1; i < some.length; i++) {
      assertTrue(some[i] > some[i - 1] && some[i] < 5001);
    }
    assertArrayEquals(some, RegressionSection.sample(5001));
    Matrix truth = Matrix.zeros(5001, 1);
    Matrix predicted = Matrix.zeros(5001, 1);
    for (int i = 0; i < 5001; i++) {
      truth.set(i, 0, i);
      predicted.set(i, 0, i + Math.sin(i));
    }
    StringBuilder sb = new StringBuilder();
    RegressionSection.plots(sb, truth, predicted);
    assertEquals(2 * RegressionSection.MAX_POINTS, Pages.count(sb.toString(), "<circle"));
    assertTrue(sb.toString().contains("2,000 of the 5,001 rows"));
  }

  @Test
  void anEvaluationAloneHasNoCurves() {
    Dataset data = blobs(60, 61);
    Network net = classifier(62);
    String html = TrainingReport.builder().network(net, new CrossEntropyLoss()).evaluate("iris.csv", data).build().html();
    Pages.parse(html);
    assertFalse(html.contains("Training curves"));
    assertFalse(html.contains("polyline"));
    assertTrue(html.contains("Confusion matrix"));
  }

  @Test
  void aSingleEpochDrawsDots() {
    Dataset data = blobs(40, 71);
    Network net = classifier(72);
    History history = new Trainer(TrainingConfig.builder().epochs(1).batchSize(8).seed(5)
        .optimizer(OptimizerSettings.sgd(0.1)).build()).fit(net, new CrossEntropyLoss(), data, null);
    String html = TrainingReport.builder().network(net, new CrossEntropyLoss()).history(history).build().html();
    List<Pages.Node> svgs = Pages.svgs(Pages.parse(html));
    assertEquals(3, svgs.size());
    svgs.forEach(Pages::assertDrawn);
    assertFalse(html.contains("NaN"));
  }

  @Test
  void writeReplacesTheFileWithThePage() throws Exception {
    Path out = dir.resolve("run.html");
    Files.writeString(out, "old");
    TrainingReport report = TrainingReport.builder().network(classifier(1), new CrossEntropyLoss()).build();
    report.write(out);
    assertEquals(report.html(), Files.readString(out));
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "no temporary file left");
    }
  }

  // ---------------------------------------------------------------- helpers

  private static Network classifier(long seed) {
    return Network.builder(2).dense(6, Activations.tanh()).dense(3, Activations.softmax())
        .seed(seed).build();
  }

  /** Three Gaussian blobs, one per class of {@link #CLASSES}. */
  static Dataset blobs(int rows, long seed) {
    return TestData.blobs(rows, seed, 0.8, CLASSES);
  }

  /** t = 2 a - b + noise. */
  private static Dataset lines(int rows, long seed) {
    System.out.println("seed " + seed);
    SeededRandom random = new SeededRandom(seed);
    Matrix x = Matrix.zeros(rows, 2);
    Matrix t = Matrix.zeros(rows, 1);
    for (int i = 0; i < rows; i++) {
      double a = random.nextGaussian();
      double b = random.nextGaussian();
      x.set(i, 0, a);
      x.set(i, 1, b);
      t.set(i, 0, 2 * a - b + 0.1 * random.nextGaussian());
    }
    return Dataset.regression("lines", List.of("a", "b"), x, t);
  }
}

package dev.backprop.report;

import dev.backprop.Version;
import dev.backprop.data.Dataset;
import dev.backprop.data.Task;
import dev.backprop.internal.io.AtomicFiles;
import dev.backprop.internal.io.Json;
import dev.backprop.metrics.ClassificationMetrics;
import dev.backprop.train.Evaluation;
import dev.backprop.metrics.RegressionMetrics;
import dev.backprop.loss.Loss;
import dev.backprop.nn.Dense;
import dev.backprop.nn.Network;
import dev.backprop.tensor.Matrix;
import dev.backprop.train.EpochResult;
import dev.backprop.train.History;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A training run (or the evaluation of a saved model) as one self-contained HTML page: inline CSS and SVG,
 * no script, nothing loaded from elsewhere. It shows, in this order, the loss, accuracy and learning-rate
 * curves per epoch, the final evaluation (the confusion matrix and per-class precision, recall and F1 for
 * classification, predicted-against-true and residual plots for regression), the network with its
 * parameters per layer, the data source and its SHA-256, the timings, and the settings. Every part is optional; a part
 * whose input was not given is left out (without a history, there are no curves).
 *
 * <pre>
 *   TrainingReport.builder().title("digits").network(net, loss).history(history).evaluate("test data", test)
 *       .settings(Map.of("optimizer", "adam")).data("digits", sha256).timings(seconds, samplesPerSecond)
 *       .write(Path.of("run.html"));
 * </pre>
 */
public final class TrainingReport {
  /** The title when none is given. */
  public static final String DEFAULT_TITLE = "Backprop training report";

  private final String html;

  private TrainingReport(String html) {
    this.html = html;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The whole page. */
  public String html() {
    return html;
  }

  /** Writes the page to {@code target} atomically: an existing file is replaced whole or left untouched. */
  public void write(Path target) throws IOException {
    AtomicFiles.writeString(target, html);
  }

  /** Collects the parts of a report; each setter replaces what it set before. */
  public static final class Builder {
    private String title = DEFAULT_TITLE;
    private Network network;
    private Loss loss;
    private History history;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private String dataSource;
    private String dataSha256;
    private double seconds = Double.NaN;
    private double samplesPerSecond = Double.NaN;
    private String evaluationName = "test data";
    private Evaluation evaluation;
    private Matrix truth;
    private Matrix predicted;

    private Builder() {}

    public Builder title(String value) {
      title = Objects.requireNonNull(value, "title");
      return this;
    }

    /** The trained network and its loss: the architecture and parameter counts. */
    public Builder network(Network value, Loss lossValue) {
      network = Objects.requireNonNull(value, "network");
      loss = Objects.requireNonNull(lossValue, "loss");
      return this;
    }

    /** The per-epoch results: the curves, the per-epoch table and, unless {@link #timings} says otherwise, the time. */
    public Builder history(History value) {
      history = Objects.requireNonNull(value, "history");
      return this;
    }

    /**
     * Settings to list, in the map's order. Strings are shown as they are, other values (numbers, lists,
     * maps) as JSON.
     */
    public Builder settings(Map<String, ?> values) {
      for (Map.Entry<String, ?> e : values.entrySet()) {
        Object v = e.getValue();
        settings.put(e.getKey(), v instanceof String s ? s : Json.write(v));
      }
      return this;
    }

    /** Where the training data came from and the SHA-256 of its bytes (either may be null). */
    public Builder data(String source, String sha256) {
      dataSource = source;
      dataSha256 = sha256;
      return this;
    }

    /** The training time in seconds and the training samples per second (NaN when unknown). */
    public Builder timings(double trainingSeconds, double trainingSamplesPerSecond) {
      seconds = trainingSeconds;
      samplesPerSecond = trainingSamplesPerSecond;
      return this;
    }

    /** The final evaluation, shown under "Evaluation on {@code name}". */
    public Builder evaluation(String name, Evaluation value) {
      evaluationName = Objects.requireNonNull(name, "name");
      evaluation = Objects.requireNonNull(value, "evaluation");
      return this;
    }

    /** True and predicted values (rows x outputs) of a regression, for its scatter and residual plots. */
    public Builder predictions(Matrix trueValues, Matrix predictedValues) {
      predictedValues.requireShape(trueValues.rows(), trueValues.cols(), "predictions");
      truth = trueValues;
      predicted = predictedValues;
      return this;
    }

    /**
     * Evaluates the {@link #network} on {@code data} (scaled as the network expects) and keeps the
     * evaluation, and for regression the predictions too.
     */
    public Builder evaluate(String name, Dataset data) {
      if (network == null) {
        throw new IllegalStateException("evaluate needs the network: call network(net) first");
      }
      evaluation(name, Evaluation.of(network, loss, data));
      if (data.task() == Task.REGRESSION) {
        predictions(data.targets(), Evaluation.predict(network, data.features()));
      }
      return this;
    }

    public TrainingReport build() {
      StringBuilder sb = new StringBuilder(1 << 16);
      Html.open(sb, title);
      sb.append("<h1>").append(Html.escape(title)).append("</h1>\n<p class=\"sub\">Backprop ")
          .append(Html.escape(Version.VERSION));
      if (network != null) {
        sb.append(" &#183; ").append(Html.escape(network.describe() + ", " + loss.name()));
      }
      sb.append("</p>\n");
      cards(sb);
      if (history != null && !history.epochs().isEmpty()) {
        sb.append("<h2>Training curves</h2>\n");
        Curves.charts(sb, history);
        Curves.table(sb, history);
      }
      if (evaluation != null) {
        sb.append("<h2>Evaluation on ").append(Html.escape(evaluationName)).append("</h2>\n");
        evaluationSection(sb);
      }
      if (network != null) {
        sb.append("<h2>Network</h2>\n");
        architecture(sb);
      }
      dataAndTimings(sb);
      if (!settings.isEmpty()) {
        sb.append("<h2>Settings</h2>\n");
        List<String[]> rows = new ArrayList<>();
        settings.forEach((k, v) -> rows.add(new String[] {k, "<code>" + Html.escape(v) + "</code>"}));
        Html.keyValueTable(sb, rows);
      }
      Html.close(sb);
      return new TrainingReport(sb.toString());
    }

    /** Builds the report and writes it to {@code target} atomically. */
    public void write(Path target) throws IOException {
      build().write(target);
    }

    private double trainingSeconds() {
      if (Double.isFinite(seconds)) {
        return seconds;
      }
      return history == null || history.epochs().isEmpty() ? Double.NaN : history.trainingSeconds();
    }

    private void cards(StringBuilder sb) {
      List<String[]> cards = new ArrayList<>();
      if (history != null && history.last() != null) {
        EpochResult last = history.last();
        cards.add(new String[] {Integer.toString(last.epoch()), "epochs"});
        if (history.stoppedEarly() || history.keptEpoch() != last.epoch()) {
          cards.add(new String[] {Integer.toString(history.keptEpoch()), "epoch kept (early stopping)"});
        }
        cards.add(new String[] {Html.number(last.trainLoss()), "final train loss"});
      }
      if (evaluation != null) {
        ClassificationMetrics c = evaluation.classification();
        if (c != null) {
          cards.add(new String[] {Html.percent(c.accuracy()), "accuracy on " + Html.escape(evaluationName)});
        } else if (evaluation.regression() != null) {
          cards.add(new String[] {Html.number(evaluation.regression().r2()),
              "R\u00b2 on " + Html.escape(evaluationName)});
        }
        cards.add(new String[] {Html.number(evaluation.loss()), "loss on " + Html.escape(evaluationName)});
      }
      double s = trainingSeconds();
      if (Double.isFinite(s)) {
        cards.add(new String[] {String.format(Locale.ROOT, "%.1f s", s), "training time"});
      }
      if (cards.isEmpty()) {
        return;
      }
      sb.append("<div class=\"cards\">\n");
      for (String[] c : cards) {
        sb.append("<div class=\"card\"><b>").append(c[0]).append("</b><span>").append(c[1]).append("</span></div>\n");
      }
      sb.append("</div>\n");
    }

    private void architecture(StringBuilder sb) {
      sb.append("<table class=\"layers\">\n<tr><th>layer</th><th>W (in x out)</th><th>activation</th>"
          + "<th>parameters</th></tr>\n");
      sb.append(String.format(Locale.ROOT, "<tr><td>input</td><td>%d features</td><td></td><td></td></tr>%n",
          network.inputSize()));
      List<Network.Block> blocks = network.blocks();
      for (int i = 0; i < blocks.size(); i++) {
        Dense d = blocks.get(i).dense();
        long params = (long) d.inputSize() * d.outputSize() + d.outputSize();
        sb.append(String.format(Locale.ROOT, "<tr><td>%d</td><td>%d x %d</td><td>%s</td><td class=\"num\">%,d</td>"
            + "</tr>%n", i, d.inputSize(), d.outputSize(), Html.escape(blocks.get(i).activation().name()), params));
      }
      sb.append(String.format(Locale.ROOT, "<tr><th colspan=\"3\">total (loss %s)</th><td class=\"num\">%,d</td>"
          + "</tr>%n</table>%n", Html.escape(loss.name()), network.parameterCount()));
    }

    private void dataAndTimings(StringBuilder sb) {
      List<String[]> data = new ArrayList<>();
      if (dataSource != null) {
        data.add(new String[] {"source", Html.escape(dataSource)});
      }
      if (dataSha256 != null) {
        data.add(new String[] {"SHA-256", "<code>" + Html.escape(dataSha256) + "</code>"});
      }
      if (evaluation != null) {
        data.add(new String[] {"evaluated rows", String.format(Locale.ROOT, "%,d (%s)", evaluation.rows(),
            Html.escape(evaluationName))});
      }
      if (!data.isEmpty()) {
        sb.append("<h2>Data</h2>\n");
        Html.keyValueTable(sb, data);
      }
      List<String[]> times = new ArrayList<>();
      double s = trainingSeconds();
      if (Double.isFinite(s)) {
        times.add(new String[] {"training time", String.format(Locale.ROOT, "%.3f s", s)});
        if (history != null && !history.epochs().isEmpty()) {
          times.add(new String[] {"per epoch", String.format(Locale.ROOT, "%.3f s",
              history.trainingSeconds() / history.epochs().size())});
        }
      }
      if (Double.isFinite(samplesPerSecond)) {
        times.add(new String[] {"samples per second", String.format(Locale.ROOT, "%,.0f", samplesPerSecond)});
      }
      if (!times.isEmpty()) {
        sb.append("<h2>Timings</h2>\n");
        Html.keyValueTable(sb, times);
      }
    }

    private void evaluationSection(StringBuilder sb) {
      ClassificationMetrics c = evaluation.classification();
      RegressionMetrics r = evaluation.regression();
      List<String[]> summary = new ArrayList<>();
      summary.add(new String[] {"rows", String.format(Locale.ROOT, "%,d", evaluation.rows())});
      summary.add(new String[] {"loss", Html.number(evaluation.loss())});
      if (c != null) {
        summary.add(new String[] {"accuracy", Html.percent(c.accuracy())});
        summary.add(new String[] {"macro F1", String.format(Locale.ROOT, "%.4f", c.macroF1())});
        Html.keyValueTable(sb, summary);
        sb.append("<h3>Confusion matrix</h3>\n");
        ClassificationSection.confusion(sb, c);
        sb.append("<h3>Per class</h3>\n");
        ClassificationSection.perClass(sb, c);
      } else if (r != null) {
        summary.add(new String[] {"MSE", Html.number(r.mse())});
        summary.add(new String[] {"MAE", Html.number(r.mae())});
        summary.add(new String[] {"R\u00b2", Html.number(r.r2())});
        Html.keyValueTable(sb, summary);
        if (truth != null) {
          RegressionSection.plots(sb, truth, predicted);
        }
      }
    }
  }
}

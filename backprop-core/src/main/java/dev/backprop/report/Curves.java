package dev.backprop.report;

import dev.backprop.train.Evaluation;
import dev.backprop.train.EpochResult;
import dev.backprop.train.History;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** The per-epoch charts of a training run (loss, accuracy, learning rate) and the per-epoch table. */
final class Curves {
  static final String TRAIN = "#1f77b4";
  static final String VALIDATION = "#ff7f0e";
  static final String TEST = "#2ca02c";
  static final String RATE = "#9467bd";

  private Curves() {}

  static void charts(StringBuilder sb, History history) {
    List<EpochResult> epochs = history.epochs();
    double[] x = values(epochs, e -> e.epoch());
    boolean validation = epochs.stream().anyMatch(e -> e.validation() != null);
    boolean test = epochs.stream().anyMatch(e -> e.test() != null);
    SvgChart.Builder loss = SvgChart.builder("Loss per epoch").xLabel("epoch").yLabel("loss (per sample)").integerX()
        .line("train", TRAIN, x, values(epochs, EpochResult::trainLoss));
    if (validation) {
      loss.line("validation", VALIDATION, x, values(epochs, e -> lossOf(e.validation())));
    }
    if (test) {
      loss.line("test", TEST, x, values(epochs, e -> lossOf(e.test())));
    }
    sb.append("<div class=\"grid\">\n").append(loss.build().svg());
    if (classification(epochs)) {
      SvgChart.Builder accuracy = SvgChart.builder("Accuracy per epoch").xLabel("epoch").yLabel("accuracy")
          .integerX().line("train", TRAIN, x, values(epochs, EpochResult::trainAccuracy));
      if (validation) {
        accuracy.line("validation", VALIDATION, x, values(epochs, e -> accuracyOf(e.validation())));
      }
      if (test) {
        accuracy.line("test", TEST, x, values(epochs, e -> accuracyOf(e.test())));
      }
      sb.append(accuracy.build().svg());
    }
    sb.append(SvgChart.builder("Learning rate per epoch").xLabel("epoch").yLabel("learning rate").integerX()
        .line("learning rate", RATE, x, values(epochs, EpochResult::learningRate)).build().svg());
    sb.append("</div>\n");
  }

  /** One row per epoch, in a collapsed block. */
  static void table(StringBuilder sb, History history) {
    boolean classification = classification(history.epochs());
    sb.append("<details><summary>Every epoch</summary>\n<table class=\"epochs\">\n<tr><th>epoch</th>"
        + "<th>learning rate</th><th>train loss</th>");
    sb.append(classification ? "<th>train accuracy</th>" : "");
    sb.append("<th>validation loss</th>").append(classification ? "<th>validation accuracy</th>" : "");
    sb.append("<th>test loss</th>").append(classification ? "<th>test accuracy</th>" : "");
    sb.append("<th>seconds</th></tr>\n");
    for (EpochResult e : history.epochs()) {
      sb.append("<tr><td class=\"num\">").append(e.epoch()).append("</td>").append(cell(e.learningRate()))
          .append(cell(e.trainLoss()));
      sb.append(classification ? cell(e.trainAccuracy()) : "");
      sb.append(cell(lossOf(e.validation()))).append(classification ? cell(accuracyOf(e.validation())) : "");
      sb.append(cell(lossOf(e.test()))).append(classification ? cell(accuracyOf(e.test())) : "");
      sb.append(String.format(Locale.ROOT, "<td class=\"num\">%.3f</td></tr>%n", e.seconds()));
    }
    sb.append("</table>\n</details>\n");
  }

  private static boolean classification(List<EpochResult> epochs) {
    return epochs.stream().anyMatch(e -> Double.isFinite(e.trainAccuracy())
        || (e.validation() != null && e.validation().classification() != null)
        || (e.test() != null && e.test().classification() != null));
  }

  private static String cell(double v) {
    return "<td class=\"num\">" + Html.number(v) + "</td>";
  }

  private static double lossOf(Evaluation e) {
    return e == null ? Double.NaN : e.loss();
  }

  private static double accuracyOf(Evaluation e) {
    return e == null ? Double.NaN : e.accuracy();
  }

  private static double[] values(List<EpochResult> epochs, ToDoubleFunction<EpochResult> f) {
    double[] v = new double[epochs.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = f.applyAsDouble(epochs.get(i));
    }
    return v;
  }
}

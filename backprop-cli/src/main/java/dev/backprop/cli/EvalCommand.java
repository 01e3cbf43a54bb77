package dev.backprop.cli;

import dev.backprop.internal.io.Json;
import dev.backprop.io.Model;
import dev.backprop.io.ModelFile;
import dev.backprop.metrics.ClassificationMetrics;
import dev.backprop.train.Evaluation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code backprop eval}: the metrics of a saved model on labelled data. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Metrics of a saved model on a labelled dataset: accuracy, loss, confusion matrix and per-class "
        + "precision, recall and F1, or MSE, MAE and R2 for regression.")
final class EvalCommand implements Callable<Integer> {
  @Option(names = "--model", paramLabel = "M", required = true, description = "The model file.")
  Path model;

  @Option(names = "--data", paramLabel = "D", required = true,
      description = "A CSV file with the model's feature and label columns, IDX files, or a built-in name "
          + "(built-in data is evaluated on its test part).")
  String data;



  @Mixin CommonOptions.JsonAndVerbose common = new CommonOptions.JsonAndVerbose();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Model m = ModelFile.load(model);
    Evaluation e = Evaluation.of(m.network(), m.loss(), ModelData.labelled(m, data, spec.commandLine().getErr()));
    PrintWriter out = spec.commandLine().getOut();
    if (common.json) {
      out.println(Json.writePretty(toJson(e)));
    } else {
      print(out, e);
    }
    return Main.OK;
  }

  static Map<String, Object> toJson(Evaluation e) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("rows", e.rows());
    j.put("loss", Double.isFinite(e.loss()) ? e.loss() : null);
    ClassificationMetrics c = e.classification();
    if (c != null) {
      j.put("accuracy", c.accuracy());
      j.put("classes", c.classes());
      List<Object> rows = new java.util.ArrayList<>();
      for (long[] row : c.confusion()) {
        rows.add(row);
      }
      j.put("confusion_matrix", rows);
      j.put("precision", c.precision());
      j.put("recall", c.recall());
      j.put("f1", c.f1());
      j.put("macro_f1", c.macroF1());
    } else {
      j.put("mse", e.regression().mse());
      j.put("mae", e.regression().mae());
      j.put("r2", e.regression().r2());
    }
    return j;
  }

  private static void print(PrintWriter out, Evaluation e) {
    ClassificationMetrics c = e.classification();
    if (c == null) {
      out.printf(Locale.ROOT, "rows %d%nloss %.6g%nmse  %.6g%nmae  %.6g%nr2   %.4f%n", e.rows(), e.loss(),
          e.regression().mse(), e.regression().mae(), e.regression().r2());
      return;
    }
    out.printf(Locale.ROOT, "rows %d%naccuracy %.4f%nloss %.4f%nmacro F1 %.4f%n%n", e.rows(), c.accuracy(), e.loss(),
        c.macroF1());
    int width = 9;
    for (String name : c.classes()) {
      width = Math.max(width, name.length());
    }
    out.printf(Locale.ROOT, "%-" + width + "s  %9s  %9s  %9s  %7s%n", "class", "precision", "recall", "f1", "support");
    for (int k = 0; k < c.classes().size(); k++) {
      long support = 0;
      for (long v : c.confusion()[k]) {
        support += v;
      }
      out.printf(Locale.ROOT, "%-" + width + "s  %9.4f  %9.4f  %9.4f  %7d%n", c.classes().get(k), c.precision()[k],
          c.recall()[k], c.f1()[k], support);
    }
    out.println();
    out.println("confusion matrix (rows = true class, columns = predicted, in the order above):");
    for (long[] row : c.confusion()) {
      StringBuilder sb = new StringBuilder();
      for (long v : row) {
        sb.append(String.format(Locale.ROOT, "%6d", v));
      }
      out.println(sb);
    }
  }
}

package dev.backprop.cli;

import dev.backprop.data.DataSources;
import dev.backprop.io.Model;
import dev.backprop.io.ModelFile;
import dev.backprop.report.TrainingReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code backprop report}: a saved model's evaluation on labelled data as a self-contained HTML page. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Writes a self-contained HTML report (no script, nothing loaded from elsewhere) of a saved model "
        + "evaluated on labelled data: the architecture and parameters per layer, how the model was trained, the "
        + "data and its SHA-256, the confusion matrix and per-class precision, recall and F1, or for regression "
        + "the predicted-against-true and residual plots.")
final class ReportCommand implements Callable<Integer> {
  @Option(names = "--model", paramLabel = "M", required = true, description = "The model file.")
  Path model;

  @Option(names = "--data", paramLabel = "D", required = true,
      description = "A CSV file with the model's feature and label columns, IDX files, or a built-in name "
          + "(built-in data is evaluated on its test part).")
  String data;

  @Option(names = "--out", paramLabel = "F.html", required = true, description = "Where to write the report.")
  Path out;

  @Option(names = "--title", paramLabel = "T", description = "The report's title (default: the model's file name).")
  String title;

  @Mixin CommonOptions.Verbose common = new CommonOptions.Verbose();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    checkOutput("--out", out);
    Model m = ModelFile.load(model);
    DataSources.Source source = DataSources.open(data);
    Map<String, Object> provenance = m.info().provenance();
    TrainingReport.Builder report = TrainingReport.builder()
        .title(title != null ? title : "Report of " + model.getFileName())
        .network(m.network(), m.loss())
        .settings(settings(m))
        .data(data, source.sha256())
        .evaluate(data, ModelData.labelled(m, data, source, spec.commandLine().getErr()));
    if (provenance.get("metrics") instanceof Map<?, ?> metrics && metrics.get("seconds") instanceof Number s) {
      double perSecond = metrics.get("samples_per_second") instanceof Number n ? n.doubleValue() : Double.NaN;
      report.timings(s.doubleValue(), perSecond);
    }
    report.write(out);
    spec.commandLine().getOut().println("report written to " + out);
    return Main.OK;
  }

  /** What the model file holds besides its weights, then how the model was trained, as the file records it. */
  private Map<String, Object> settings(Model m) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("model file", model.toString());
    s.put("task", m.info().task().id());
    s.put("label", m.info().labelName());
    s.put("features", m.info().featureNames().size());
    if (!m.info().classes().isEmpty()) {
      s.put("classes", String.join(", ", m.info().classes()));
    }
    s.put("normalization", m.info().normalization().kind().id());
    if (m.info().schema() != null) {
      s.put("columns", m.info().schema().describe());
    }
    s.putAll(m.info().provenance());
    return s;
  }

  /** Rejects an output path whose folder is missing or read-only, or that is a folder, before any work. */
  static void checkOutput(String flag, Path file) {
    Path parent = file.toAbsolutePath().getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw new UsageException(flag + " " + file + ": the folder " + parent + " does not exist");
    }
    if (Files.isDirectory(file)) {
      throw new UsageException(flag + " " + file + " is a folder; give a file name such as report.html");
    }
    if (!Files.isWritable(parent)) {
      throw new UsageException(flag + " " + file + ": the folder " + parent + " is not writable");
    }
  }
}

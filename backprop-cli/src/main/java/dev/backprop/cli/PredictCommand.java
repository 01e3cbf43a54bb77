package dev.backprop.cli;

import dev.backprop.data.Task;
import dev.backprop.internal.io.AtomicFiles;
import dev.backprop.io.Model;
import dev.backprop.io.ModelFile;
import dev.backprop.train.Evaluation;
import dev.backprop.tensor.Matrix;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code backprop predict}: one prediction per row of the data. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
    description = "One prediction per row, as CSV: the class name (or the value, for regression), and with "
        + "--probabilities one more column per class.")
final class PredictCommand implements Callable<Integer> {
  @Option(names = "--model", paramLabel = "M", required = true, description = "The model file.")
  Path model;

  @Option(names = "--data", paramLabel = "D", required = true,
      description = "A CSV file with the model's feature columns (a label column is not needed), or IDX files.")
  String data;

  @Option(names = "--out", paramLabel = "P.csv", description = "Write the predictions here (default: stdout).")
  Path out;

  @Option(names = "--probabilities", description = "Add the network's output for each class.")
  boolean probabilities;

  @Option(names = "--spark", paramLabel = "MASTER",
      description = "Score on Spark (MASTER local[K] or spark://HOST:PORT): --data is CSV with a header or Parquet "
          + "(*.parquet), read by Spark; --out is a new directory, written by Spark in the same format, with the "
          + "input's columns, the prediction and, for a classifier, probability_<class> columns.")
  String spark;


  @Mixin CommonOptions.Verbose common = new CommonOptions.Verbose();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (spark != null) {
      return predictOnSpark();
    }
    if (out != null) {
      TrainCommand.checkOutput(out);
    }
    Model m = ModelFile.load(model);
    // one entry for every caller: raw features in, class probabilities or target units out
    Matrix outputs = m.predict(ModelData.rawFeatures(m, data, spec.commandLine().getErr()));
    String csv = toCsv(m, outputs);
    if (out == null) {
      spec.commandLine().getOut().print(csv);
      spec.commandLine().getOut().flush();
    } else {
      AtomicFiles.writeString(out, csv);
    }
    return Main.OK;
  }

  private int predictOnSpark() {
    if (out == null) {
      throw new UsageException("--spark writes a directory: give it with --out");
    }
    if (java.nio.file.Files.exists(out)) {
      throw new UsageException("--out " + out + " exists; Spark writes a new directory");
    }
    ModelFile.load(model);
    if (!data.contains("://") && !java.nio.file.Files.exists(Path.of(data))) {
      throw new dev.backprop.InvalidInputException(data, "", "no such file or directory");
    }
    try (dev.backprop.spark.SparkCluster cluster = SparkOption.connect(spark, "predict")) {
      cluster.predict(model, data, out.toString());
    } catch (IllegalArgumentException e) {
      throw new dev.backprop.InvalidInputException(data, "", e.getMessage());
    }
    return Main.OK;
  }

  private String toCsv(Model m, Matrix outputs) {
    boolean classification = m.info().task() == Task.CLASSIFICATION;
    List<String> classes = m.info().classes();
    StringBuilder sb = new StringBuilder(classification ? "prediction" : quote(m.info().labelName()));
    if (probabilities && classification) {
      for (String c : classes) {
        sb.append(',').append(quote(c));
      }
    }
    sb.append('\n');
    int[] best = Evaluation.argmax(outputs);
    for (int r = 0; r < outputs.rows(); r++) {
      sb.append(classification ? quote(classes.get(best[r])) : Float.toString((float) outputs.get(r, 0)));
      if (probabilities && classification) {
        for (int c = 0; c < outputs.cols(); c++) {
          sb.append(',').append((float) outputs.get(r, c));
        }
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** A CSV field, quoted as RFC 4180 asks when it holds a comma, a quote or a line break. */
  static String quote(String field) {
    if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
      return field;
    }
    return '"' + field.replace("\"", "\"\"") + '"';
  }
}

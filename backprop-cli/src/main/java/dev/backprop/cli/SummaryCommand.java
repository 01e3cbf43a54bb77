package dev.backprop.cli;

import dev.backprop.internal.io.Json;
import dev.backprop.io.Model;
import dev.backprop.io.ModelFile;
import dev.backprop.io.ModelInfo;
import dev.backprop.nn.Dense;
import dev.backprop.nn.Network;
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

/** {@code backprop summary}: what a model file holds and how it was made. */
@Command(name = "summary", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Architecture, parameter count per layer, and how the model was trained (data, seed, epochs, "
        + "metrics).")
final class SummaryCommand implements Callable<Integer> {
  @Option(names = "--model", paramLabel = "M", required = true, description = "The model file.")
  Path model;



  @Mixin CommonOptions.JsonAndVerbose common = new CommonOptions.JsonAndVerbose();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Model m = ModelFile.load(model);
    ModelInfo info = m.info();
    PrintWriter out = spec.commandLine().getOut();
    List<Network.Block> blocks = m.network().blocks();
    if (common.json) {
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("model", model.toString());
      j.put("architecture", m.describe());
      j.put("parameters", m.network().parameterCount());
      j.put("task", info.task().id());
      j.put("label", info.labelName());
      j.put("features", info.featureNames().size());
      j.put("classes", info.classes());
      j.put("normalization", info.normalization().kind().id());
      if (info.schema() != null) {
        j.put("columns", info.schema().describe());
        j.put("na_values", info.schema().naValues());
      }
      j.put("provenance", info.provenance());
      out.println(Json.writePretty(j));
      return Main.OK;
    }
    out.printf(Locale.ROOT, "model %s%n", model);
    out.printf(Locale.ROOT, "%-6s %-14s %-12s %10s%n", "layer", "shape (W)", "activation", "parameters");
    for (int i = 0; i < blocks.size(); i++) {
      Dense d = blocks.get(i).dense();
      long params = (long) d.inputSize() * d.outputSize() + d.outputSize();
      out.printf(Locale.ROOT, "%-6d %-14s %-12s %,10d%n", i, d.inputSize() + " x " + d.outputSize(),
          blocks.get(i).activation().name(), params);
    }
    out.printf(Locale.ROOT, "total %,d parameters; loss %s%n", m.network().parameterCount(), m.loss().name());
    out.printf(Locale.ROOT, "task %s, label '%s', %d features, normalization %s%n", info.task().id(), info.labelName(),
        info.featureNames().size(), info.normalization().kind().id());
    if (!info.classes().isEmpty()) {
      out.println("classes " + String.join(", ", info.classes()));
    }
    if (info.schema() != null) {
      out.println("columns (fitted on the training rows):");
      for (String line : info.schema().describe()) {
        out.println("  " + dev.backprop.InvalidInputException.escape(line));
      }
      if (info.schema().targetScale() != 1 || info.schema().targetMean() != 0) {
        out.printf(Locale.ROOT, "target standardised for training: mean %s, sd %s (outputs in the target's units)%n",
            Format.number(info.schema().targetMean()), Format.number(info.schema().targetScale()));
      }
    }
    if (!info.provenance().isEmpty()) {
      out.println("how it was trained:");
      for (Map.Entry<String, Object> e : info.provenance().entrySet()) {
        Object v = e.getValue();
        out.println("  " + e.getKey() + ": " + (v instanceof String ? v : Json.write(v)));
      }
    }
    return Main.OK;
  }
}

package dev.backprop.cli;

import dev.backprop.check.GradientCheck;
import dev.backprop.data.Dataset;
import dev.backprop.internal.io.Json;
import dev.backprop.loss.Loss;
import dev.backprop.nn.Network;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Matrix;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code backprop gradcheck}: back-propagated gradients against finite differences, in float64. */
@Command(name = "gradcheck", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Compares back-propagated gradients with central finite differences in float64, for the network "
        + "and loss that the same flags as train describe, on the first rows of the training data.",
        "Prints the largest relative error |g - n| / max(|g| + |n|, 1e-6) per parameter tensor; exits 0 when "
        + "all are within --threshold, 1 otherwise."})
final class GradcheckCommand implements Callable<Integer> {
  @Mixin DataOptions data = new DataOptions();
  @Mixin NetworkOptions network = new NetworkOptions();

  @Option(names = "--rows", paramLabel = "N", defaultValue = "8",
      description = "Training rows in the checked batch (default: ${DEFAULT-VALUE}).")
  int rows;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed of the initial weights "
      + "and the split (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--threshold", paramLabel = "X", defaultValue = "1e-6",
      description = "Largest acceptable relative error (default: ${DEFAULT-VALUE}).")
  double threshold;



  @Mixin CommonOptions.JsonAndVerbose common = new CommonOptions.JsonAndVerbose();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (rows <= 0) {
      throw new UsageException("--rows must be positive, got " + rows);
    }
    if (!(threshold > 0)) {
      throw new UsageException("--threshold must be positive, got " + threshold);
    }
    PreparedData prepared = PreparedData.prepare(data, seed);
    Dataset train = prepared.train();
    Network net = Networks.build(network, train, seed, DType.FLOAT64);
    Loss loss = Networks.loss(network, train);
    int n = Math.min(rows, train.size());
    int[] first = new int[n];
    for (int i = 0; i < n; i++) {
      first[i] = i;
    }
    Matrix x = Matrix.zeros(n, train.featureCount());
    Matrix y = Matrix.zeros(n, train.outputCount());
    train.gather(first, 0, n, x, y);
    GradientCheck.Report report = GradientCheck.check(net, loss, x, y, GradientCheck.DEFAULT_STEP);
    boolean passed = report.passed(threshold);
    PrintWriter out = spec.commandLine().getOut();
    if (common.json) {
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("network", net.describe() + ", " + loss.name());
      j.put("rows", n);
      j.put("threshold", threshold);
      List<Object> tensors = new ArrayList<>();
      for (GradientCheck.Result r : report.results()) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("parameter", r.parameter());
        t.put("elements", r.elements());
        t.put("max_relative_error", r.maxRelativeError());
        tensors.add(t);
      }
      j.put("parameters", tensors);
      j.put("max_relative_error", report.maxRelativeError());
      j.put("passed", passed);
      out.println(Json.writePretty(j));
    } else {
      out.printf(Locale.ROOT, "gradient check of %s on %d rows of %s, float64, step %s%n", net.describe(), n,
          data.data, Format.number(GradientCheck.DEFAULT_STEP));
      out.printf(Locale.ROOT, "%-18s %9s  %s%n", "parameter", "elements", "max relative error");
      for (GradientCheck.Result r : report.results()) {
        out.printf(Locale.ROOT, "%-18s %9d  %.3e%n", r.parameter(), r.elements(), r.maxRelativeError());
      }
      out.printf(Locale.ROOT, "%s: max relative error %.3e %s threshold %s%n", passed ? "PASSED" : "FAILED",
          report.maxRelativeError(), passed ? "<=" : ">", Format.number(threshold));
    }
    return passed ? Main.OK : 1;
  }
}

package dev.backprop.cli;

import dev.backprop.data.DataSources;
import dev.backprop.data.Dataset;
import dev.backprop.Compute;
import dev.backprop.internal.io.Json;
import dev.backprop.internal.perf.KernelBenchmark;
import dev.backprop.internal.perf.TrainingBenchmark;
import dev.backprop.internal.perf.Workload;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code backprop bench}: how fast this machine multiplies and trains. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Measures this machine: matrix-product GFLOP/s of the kernels at the training shapes, and "
        + "training samples/s of the standard workloads on Fashion-MNIST (W1 784-128-10 sigmoid/sse/sgd batch 64, "
        + "W2 784-256-256-10 relu/softmax/adam batch 128, W3 784-1024-1024-10 relu/softmax/sgd batch 512).",
        "Quick figures for users; docs/PERFORMANCE.md says how the careful ones were made."})
final class BenchCommand implements Callable<Integer> {
  private static final int[][] SHAPES = {{128, 784, 256}, {512, 784, 1024}, {64, 784, 128}, {128, 256, 10}};

  @Option(names = "--workload", paramLabel = "W", split = ",", defaultValue = "W1,W2,W3",
      description = "Workloads to train: W1, W2, W3 (default: ${DEFAULT-VALUE}).")
  List<String> workloads;

  @Option(names = "--epochs", paramLabel = "N", defaultValue = "1",
      description = "Epochs per workload; 0 = the workload's own count (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--seconds", paramLabel = "S", defaultValue = "1",
      description = "Seconds per kernel measurement, whose best of five windows is reported (default: "
          + "${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--kernels-only", description = "Measure the kernels, not training (needs no data).")
  boolean kernelsOnly;

  @Option(names = "--training-only", description = "Measure training, not the kernels.")
  boolean trainingOnly;

  @Option(names = "--threads", paramLabel = "N", description = "Compute threads (default: all cores).")
  Integer threads;



  @Mixin CommonOptions.JsonAndVerbose common = new CommonOptions.JsonAndVerbose();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (epochs < 0 || !(seconds > 0) || seconds > 600) {
      throw new UsageException("--epochs must be 0 or more and --seconds between 0 and 600");
    }
    List<Workload> chosen = new ArrayList<>();
    for (String w : workloads) {
      try {
        chosen.add(Workload.byId(w));
      } catch (IllegalArgumentException e) {
        throw Flags.usageError("--workload", e);
      }
    }
    TrainCommand.applyThreads(threads);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter progress = common.json ? spec.commandLine().getErr() : out;
    progress.println("kernels: " + Compute.kernels());
    // the ceiling every GFLOP/s below is compared with, measured now: on a shared machine it moves
    OptionalDouble peak = KernelBenchmark.fmaPeak(seconds);
    if (peak.isPresent()) {
      progress.printf(Locale.ROOT, "FMA peak: %.1f GFLOP/s%n", peak.getAsDouble());
    } else {
      progress.println("FMA peak: not measured (the Vector API module is not enabled)");
    }
    progress.flush();
    List<Object> kernelRows = new ArrayList<>();
    for (int[] s : trainingOnly ? new int[0][] : SHAPES) {
      for (KernelBenchmark.Form form : KernelBenchmark.Form.values()) {
        KernelBenchmark.Result r = KernelBenchmark.run(form, s[0], s[1], s[2], seconds);
        progress.printf(Locale.ROOT, "  %-10s %-14s %7.1f GFLOP/s%s%n", form.label(), r.shape(), r.gflops(),
            ofPeak(r.gflops(), peak));
        progress.flush();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("form", form.label());
        row.put("shape", r.shape());
        row.put("gflops", r.gflops());
        row.put("share_of_peak", share(r.gflops(), peak));
        kernelRows.add(row);
      }
    }
    List<Object> trainingRows = new ArrayList<>();
    if (!kernelsOnly) {
      Dataset train = DataSources.open("fashion-mnist").train();
      for (Workload w : chosen) {
        TrainingBenchmark.Result r = TrainingBenchmark.run(w, train, epochs, 1234);
        progress.printf(Locale.ROOT, "  %-44s %9.0f samples/s (steady %9.0f), %6.1f GFLOP/s%s%n", w.describe(),
            r.samplesPerSecond(), r.steadySamplesPerSecond(), r.gflops(), ofPeak(r.gflops(), peak));
        progress.flush();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("workload", w.id());
        row.put("epochs", r.epochs());
        row.put("samples_per_second", r.samplesPerSecond());
        row.put("steady_samples_per_second", r.steadySamplesPerSecond());
        row.put("gflops", r.gflops());
        row.put("share_of_peak", share(r.gflops(), peak));
        row.put("final_train_loss", r.finalLoss());
        trainingRows.add(row);
      }
    }
    if (common.json) {
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("kernels", Compute.kernels());
      j.put("fma_peak_gflops", peak.isPresent() ? peak.getAsDouble() : null);
      j.put("products", kernelRows);
      j.put("training", trainingRows);
      out.println(Json.writePretty(j));
    }
    return Main.OK;
  }

  /** gflops as a fraction of the peak, or null without one. */
  private static Double share(double gflops, OptionalDouble peak) {
    return peak.isPresent() ? gflops / peak.getAsDouble() : null;
  }

  private static String ofPeak(double gflops, OptionalDouble peak) {
    return peak.isPresent() ? String.format(Locale.ROOT, "  %3.0f%% of peak", 100 * gflops / peak.getAsDouble()) : "";
  }
}

package dev.backprop.bench;

import dev.backprop.Compute;
import dev.backprop.data.DataSources;
import dev.backprop.data.Dataset;
import dev.backprop.internal.perf.KernelBenchmark;
import dev.backprop.internal.perf.TrainingBenchmark;
import dev.backprop.internal.perf.Workload;
import java.util.Locale;

/**
 * The end-to-end training benchmark: each workload on Fashion-MNIST, reporting samples/s, GFLOP/s and the
 * share of the FMA peak measured in the same run.
 *
 * <p>usage: java --add-modules jdk.incubator.vector -cp ... dev.backprop.bench.EndToEnd [THREADS] [W1,W2,W3]
 * [EPOCHS]
 */
public final class EndToEnd {
  private EndToEnd() {}

  public static void main(String[] args) {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.getRuntime().availableProcessors();
    String[] workloads = (args.length > 1 ? args[1] : "W1,W2,W3").split(",");
    int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    Compute.useThreads(threads);
    double peak = KernelBenchmark.fmaPeak(2.0).orElse(Double.NaN);
    System.out.printf(Locale.ROOT, "kernels: %s; FMA peak with %d threads: %.1f GFLOP/s%n", Compute.kernels(),
        threads, peak);
    Dataset train = DataSources.open("fashion-mnist").train();
    for (String id : workloads) {
      TrainingBenchmark.Result r = TrainingBenchmark.run(Workload.byId(id), train, epochs, 1234);
      System.out.printf(Locale.ROOT, "%-44s %9.0f samples/s (steady %9.0f)  %6.1f GFLOP/s  %4.1f%% of peak%n",
          r.workload().describe(), r.samplesPerSecond(), r.steadySamplesPerSecond(), r.gflops(),
          100 * r.gflops() / peak);
    }
  }
}

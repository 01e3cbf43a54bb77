package dev.backprop.internal.perf;

import dev.backprop.data.Dataset;
import dev.backprop.Compute;
import dev.backprop.nn.Network;
import dev.backprop.train.EpochResult;
import dev.backprop.train.History;
import dev.backprop.train.Trainer;
import dev.backprop.train.TrainingConfig;
import java.util.Arrays;

/**
 * Times the training loop of a {@link Workload}: data in memory, no evaluation between epochs, so the
 * figure is comparable with the peers' training-loop throughput.
 */
public final class TrainingBenchmark {
  private TrainingBenchmark() {}

  /**
   * What a run measured.
   *
   * @param samplesPerSecond over all epochs
   * @param steadySamplesPerSecond the median epoch's rate (the first epoch includes the JIT's warm-up)
   * @param gflops useful GFLOP/s at the steady rate
   * @param kernels the kernels that ran
   */
  public record Result(Workload workload, int epochs, long samples, double seconds, double samplesPerSecond,
      double steadySamplesPerSecond, double gflops, double finalLoss, String kernels) {}

  /** Trains the workload's network on {@code train} for {@code epochs} epochs (its own count when 0). */
  public static Result run(Workload workload, Dataset train, int epochs, long seed) {
    int e = epochs > 0 ? epochs : workload.epochs();
    Network net = workload.network(seed);
    TrainingConfig config = TrainingConfig.builder().epochs(e).batchSize(workload.batchSize()).seed(seed)
        .optimizer(workload.optimizer()).build();
    History history = new Trainer(config).fit(net, workload.loss(), train, null);
    double[] rates = history.epochs().stream().mapToDouble(r -> train.size() / r.seconds()).toArray();
    double[] sorted = rates.clone();
    Arrays.sort(sorted);
    double steady = sorted[sorted.length / 2];
    double seconds = history.trainingSeconds();
    long samples = (long) e * train.size();
    EpochResult last = history.last();
    return new Result(workload, e, samples, seconds, samples / seconds, steady,
        steady * workload.flopsPerSample() / 1e9, last.trainLoss(), Compute.kernels());
  }
}

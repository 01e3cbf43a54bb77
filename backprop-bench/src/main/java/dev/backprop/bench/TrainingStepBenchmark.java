package dev.backprop.bench;

import dev.backprop.SeededRandom;
import dev.backprop.nn.Network;
import dev.backprop.nn.Pass;
import dev.backprop.train.Objective;
import dev.backprop.optim.Optimizer;
import dev.backprop.internal.perf.Workload;
import dev.backprop.tensor.Matrix;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** One training step (forward, backward, optimizer) of each workload on a random batch of its size. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class TrainingStepBenchmark {
  @Param({"W1", "W2", "W3"})
  public String workload;

  private Network network;
  private Objective objective;
  private Optimizer optimizer;
  private Matrix x;
  private Matrix y;

  @Setup
  public void setUp() {
    Workload w = Workload.byId(workload);
    network = w.network(1234);
    objective = Objective.of(w.loss(), network);
    optimizer = w.optimizer().create(network.parameters());
    SeededRandom random = new SeededRandom(5);
    x = Matrix.zeros(w.batchSize(), 784);
    y = Matrix.zeros(w.batchSize(), 10);
    for (int i = 0; i < x.size(); i++) {
      x.setFlat(i, random.nextDouble());
    }
    for (int r = 0; r < w.batchSize(); r++) {
      y.set(r, random.nextInt(10), 1.0);
    }
  }

  @Benchmark
  public double step() {
    double loss = objective.computeGradients(network, x, y, Pass.training(1234, 1));
    optimizer.step();
    return loss;
  }
}

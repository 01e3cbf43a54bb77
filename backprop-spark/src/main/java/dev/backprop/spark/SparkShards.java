package dev.backprop.spark;

import dev.backprop.data.Dataset;
import dev.backprop.loss.Loss;
import dev.backprop.loss.Losses;
import dev.backprop.nn.Network;
import dev.backprop.train.ShardExecutor;
import dev.backprop.train.ShardPlan;
import dev.backprop.train.ShardSum;
import dev.backprop.train.ShardWorker;
import dev.backprop.train.TrainingConfig;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Sharded training on Spark: shard k of the training rows is partition k of a cached RDD. Each step the driver
 * broadcasts the weights, every partition computes its shard's {@link ShardSum} with the same {@link ShardWorker}
 * as local training, {@code collect()} returns the sums in partition order (never treeAggregate or reduce, whose
 * order of addition varies), and the trainer adds them in that order and steps the optimizer. The result equals
 * local training with the same K, bit for bit. A retried task recomputes the same sum: it depends only on the
 * broadcast weights, the rows and the step.
 *
 * <p>Use it as {@code new Trainer(config).shardsOn(new SparkShards(sc))}.
 */
public final class SparkShards implements ShardExecutor.Factory {
  /** Per executor JVM: the network and worker of each shard of the current run, rebuilt only when the run changes. */
  private static final Map<String, Replica> REPLICAS = new ConcurrentHashMap<>();
  /**
   * For tests only: a partition whose first attempt at a given step throws after computing its sum, so that Spark
   * retries the task ({@code "partition:step"}, or null). Static, so it reaches the executors of {@code local[...]}
   * masters, which run in the driver's JVM.
   */
  static volatile String failFirstAttempt;
  /** How many failures {@link #failFirstAttempt} has caused, so that a test knows that one happened. */
  static final java.util.concurrent.atomic.AtomicInteger INJECTED_FAILURES = new java.util.concurrent.atomic.AtomicInteger();

  private final JavaSparkContext sc;

  public SparkShards(JavaSparkContext sc) {
    this.sc = Objects.requireNonNull(sc, "sc");
  }

  @Override
  public ShardExecutor open(TrainingConfig config, Loss loss, Network network, Dataset train) {
    ShardPlan plan = ShardPlan.of(train.size(), config);
    List<float[]> shards = new ArrayList<>();
    int[] sizes = new int[plan.count()];
    for (int k = 0; k < plan.count(); k++) {
      sizes[k] = plan.size(k);
      shards.add(ShardRows.pack(train, (int) ShardPlan.firstRow(train.size(), plan.count(), k), sizes[k]));
    }
    // One element per slice: parallelize puts element k in partition k.
    JavaRDD<float[]> rdd = sc.parallelize(shards, shards.size()).cache();
    String[] classes = ShardRows.classification(train) ? train.classes().toArray(new String[0]) : new String[0];
    Job job = new Job(UUID.randomUUID().toString(), sizes, config.batchSize(), config.seed(), config.shuffle(),
        new NetworkShape(network).text(), loss.name(), train.featureNames().toArray(new String[0]), classes,
        train.outputCount());
    return new Executor(plan, rdd, job);
  }

  /**
   * What every task of a run needs besides the weights, in plain values (Backprop's types are not serializable): the
   * shard sizes and the settings that make the plan, the network's shape as text, the loss and the data's columns.
   */
  private record Job(String run, int[] sizes, int batchSize, long seed, boolean shuffle, String shape, String loss,
      String[] featureNames, String[] classes, int outputs) {
    ShardPlan plan() {
      TrainingConfig c = TrainingConfig.builder().batchSize(batchSize).seed(seed).shuffle(shuffle)
          .shards(sizes.length).build();
      return ShardPlan.ofSizes(sizes, c);
    }
  }

  /** A shard's network and worker in an executor JVM. */
  private record Replica(Network network, ShardWorker worker) {}

  private final class Executor implements ShardExecutor {
    private final ShardPlan plan;
    private final JavaRDD<float[]> rdd;
    private final Job job;

    Executor(ShardPlan plan, JavaRDD<float[]> rdd, Job job) {
      this.plan = plan;
      this.rdd = rdd;
      this.job = job;
    }

    @Override
    public ShardPlan plan() {
      return plan;
    }

    @Override
    public List<ShardSum> sums(Network network, int epoch, int batch, long step) {
      Broadcast<double[]> weights = sc.broadcast(NetworkShape.weights(network));
      // Captured as plain values: strings and arrays are what Spark ships with each task.
      String run = job.run();
      int[] sizes = job.sizes();
      int batchSize = job.batchSize();
      long seed = job.seed();
      boolean shuffle = job.shuffle();
      String shape = job.shape();
      String loss = job.loss();
      String[] names = job.featureNames();
      String[] classes = job.classes();
      int outputs = job.outputs();
      try {
        List<double[]> parts = rdd.mapPartitionsWithIndex((Integer k, Iterator<float[]> rows) -> {
          Job j = new Job(run, sizes, batchSize, seed, shuffle, shape, loss, names, classes, outputs);
          return List.of(partSum(j, k, weights.value(), rows, epoch, batch, step).toArray()).iterator();
        }, true).collect();
        List<ShardSum> sums = new ArrayList<>(parts.size());
        for (int k = 0; k < parts.size(); k++) {
          ShardSum sum = ShardSum.fromArray(parts.get(k));
          if (sum.shard() != k) {
            throw new IllegalStateException("partition " + k + " returned the sum of shard " + sum.shard());
          }
          sums.add(sum);
        }
        return sums;
      } finally {
        weights.destroy();
      }
    }

    @Override
    public void close() {
      rdd.unpersist(false);
    }
  }

  private static ShardSum partSum(Job job, int shard, double[] weights, Iterator<float[]> rows, int epoch, int batch,
      long step) {
    String key = job.run() + "/" + shard;
    Replica r = REPLICAS.get(key);
    if (r == null) {
      float[] packed = rows.next();
      REPLICAS.keySet().removeIf(k -> !k.startsWith(job.run() + "/"));
      Network net = NetworkShape.parse(job.shape()).build();
      Dataset data = ShardRows.unpack(packed, shard, List.of(job.featureNames()), List.of(job.classes()),
          job.outputs());
      r = new Replica(net, new ShardWorker(job.plan(), shard, data, 0, Losses.byName(job.loss()), net));
      REPLICAS.put(key, r);
    }
    // Read to the end, so that Spark releases the cached block.
    while (rows.hasNext()) {
      rows.next();
    }
    // Two tasks of one shard never run at once in a run's job, but a retry may overlap a straggler.
    ShardSum sum;
    synchronized (r) {
      NetworkShape.setWeights(r.network(), weights);
      sum = r.worker().compute(r.network(), epoch, batch, step);
    }
    String fail = failFirstAttempt;
    if (fail != null && fail.equals(shard + ":" + step) && TaskContext.get().attemptNumber() == 0) {
      INJECTED_FAILURES.incrementAndGet();
      throw new IllegalStateException("failure injected for a test: partition " + shard + ", step " + step
          + ", first attempt");
    }
    return sum;
  }
}

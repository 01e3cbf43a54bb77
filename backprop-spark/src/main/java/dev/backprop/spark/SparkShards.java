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

  private final JavaSparkContext sc;

  public SparkShards(JavaSparkContext sc) {
    this.sc = Objects.requireNonNull(sc, "sc");
  }

  @Override
  public ShardExecutor open(TrainingConfig config, Loss loss, Network network, Dataset train) {
    ShardPlan plan = ShardPlan.of(train.size(), config);
    List<ShardRows> shards = new ArrayList<>();
    for (int k = 0; k < plan.count(); k++) {
      int first = (int) ShardPlan.firstRow(train.size(), plan.count(), k);
      shards.add(new ShardRows(k, train, first, plan.size(k)));
    }
    // One element per slice: parallelize puts element k in partition k.
    JavaRDD<ShardRows> rdd = sc.parallelize(shards, shards.size()).cache();
    String run = UUID.randomUUID().toString();
    Broadcast<Job> job = sc.broadcast(new Job(run, plan, new NetworkShape(network), loss.name()));
    return new Executor(plan, rdd, job);
  }

  /** What every task of a run needs besides the weights: sent once. */
  private record Job(String run, ShardPlan plan, NetworkShape shape, String loss) implements java.io.Serializable {}

  /** A shard's network and worker in an executor JVM. */
  private record Replica(Network network, ShardWorker worker) {}

  private final class Executor implements ShardExecutor {
    private final ShardPlan plan;
    private final JavaRDD<ShardRows> rdd;
    private final Broadcast<Job> job;

    Executor(ShardPlan plan, JavaRDD<ShardRows> rdd, Broadcast<Job> job) {
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
      Broadcast<Job> j = job;
      try {
        List<ShardSum> sums = rdd.mapPartitions(
            (Iterator<ShardRows> rows) -> List.of(partSum(j.value(), weights.value(), only(rows), epoch, batch, step))
                .iterator(), true).collect();
        for (int k = 0; k < sums.size(); k++) {
          if (sums.get(k).shard() != k) {
            throw new IllegalStateException("partition " + k + " returned the sum of shard " + sums.get(k).shard());
          }
        }
        return sums;
      } finally {
        weights.destroy();
      }
    }

    @Override
    public void close() {
      rdd.unpersist(false);
      job.destroy();
    }
  }

  /** The partition's one element, read to the end so that Spark releases the cached block. */
  private static ShardRows only(Iterator<ShardRows> rows) {
    ShardRows shard = rows.next();
    if (rows.hasNext()) {
      throw new IllegalStateException("partition of shard " + shard.shard + " holds more than one shard");
    }
    return shard;
  }

  private static ShardSum partSum(Job job, double[] weights, ShardRows rows, int epoch, int batch, long step) {
    String key = job.run() + "/" + rows.shard;
    Replica r = REPLICAS.get(key);
    if (r == null) {
      REPLICAS.keySet().removeIf(k -> !k.startsWith(job.run() + "/"));
      Network net = job.shape().build();
      Loss loss = Losses.byName(job.loss());
      r = new Replica(net, new ShardWorker(job.plan(), rows.shard, rows.dataset(), 0, loss, net));
      REPLICAS.put(key, r);
    }
    // Two tasks of one shard never run at once in a run's job, but a retry may overlap a straggler.
    synchronized (r) {
      NetworkShape.setWeights(r.network(), weights);
      return r.worker().compute(r.network(), epoch, batch, step);
    }
  }
}

package dev.backprop.train;

import dev.backprop.data.Dataset;
import dev.backprop.loss.Loss;
import dev.backprop.nn.Network;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the K shard sums of a step are computed: {@linkplain #local() in this process} one shard after the other,
 * or on a cluster, one shard per partition. The trainer adds the sums in shard order and steps the optimizer
 * itself, so every executor that returns the same sums trains to the same bits.
 */
public interface ShardExecutor extends AutoCloseable {
  /** The shards and the rows of each step. */
  ShardPlan plan();

  /**
   * Every shard's part of step {@code step} (batch {@code batch} of {@code epoch}) at {@code network}'s current
   * weights, in shard order. {@code network}'s gradients may be left changed.
   */
  List<ShardSum> sums(Network network, int epoch, int batch, long step);

  /** Lets go of what the executor holds (a cluster's cached data); the default holds nothing. */
  @Override
  default void close() {}

  /** Opens an executor for one run of the trainer. */
  @FunctionalInterface
  interface Factory {
    ShardExecutor open(TrainingConfig config, Loss loss, Network network, Dataset train);
  }

  /** The shards cut from the training rows and computed in this process, in shard order. */
  static Factory local() {
    return (config, loss, network, train) -> {
      ShardPlan plan = ShardPlan.of(train.size(), config);
      List<ShardWorker> workers = new ArrayList<>();
      for (int k = 0; k < plan.count(); k++) {
        int first = (int) ShardPlan.firstRow(train.size(), plan.count(), k);
        workers.add(new ShardWorker(plan, k, train, first, loss, network));
      }
      return new ShardExecutor() {
        @Override
        public ShardPlan plan() {
          return plan;
        }

        @Override
        public List<ShardSum> sums(Network current, int epoch, int batch, long step) {
          List<ShardSum> sums = new ArrayList<>(workers.size());
          for (ShardWorker w : workers) {
            sums.add(w.compute(current, epoch, batch, step));
          }
          return sums;
        }
      };
    };
  }
}

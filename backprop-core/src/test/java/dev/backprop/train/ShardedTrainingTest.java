package dev.backprop.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.Compute;
import dev.backprop.InvalidSettingException;
import dev.backprop.SeededRandom;
import dev.backprop.data.Dataset;
import dev.backprop.loss.CrossEntropyLoss;
import dev.backprop.loss.Loss;
import dev.backprop.loss.SquaredErrorLoss;
import dev.backprop.nn.Network;
import dev.backprop.nn.Pass;
import dev.backprop.nn.activation.Activations;
import dev.backprop.optim.OptimizerSettings;
import dev.backprop.tensor.Matrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Sharded training: the plan's rule, shard sums that add up to the batch's gradient, and reproducible bits. */
class ShardedTrainingTest {
  private static final long SEED = 2027;

  @AfterEach
  void restore() {
    Compute.useThreads(Runtime.getRuntime().availableProcessors());
  }

  @Test
  void thePlanVisitsEveryRowOncePerEpochWithUnevenShardsAndBatches() {
    // 103 rows in 3 shards of 34, 34, 35; batch 10 -> 4, 3, 3 rows a step; the first shard runs out first
    ShardPlan plan = ShardPlan.of(103, config(3, 10).build());
    assertEquals(34, plan.size(0));
    assertEquals(35, plan.size(2));
    assertEquals(12, plan.steps());
    assertEquals(10, plan.batchRows(0));
    int total = 0;
    for (int b = 0; b < plan.steps(); b++) {
      total += plan.batchRows(b);
    }
    assertEquals(103, total);
    assertEquals(0, plan.to(0, 11) - plan.from(0, 11), "shard 0 is used up after 9 steps");
    assertEquals(2, plan.to(2, 11) - plan.from(2, 11));
    int[] order = plan.order(1, 4);
    int[] sorted = order.clone();
    Arrays.sort(sorted);
    int[] identity = new int[34];
    Arrays.setAll(identity, i -> i);
    assertArrayEquals(identity, sorted);
    assertNotEquals(Arrays.toString(order), Arrays.toString(plan.order(2, 4)), "each shard has its own shuffle");
  }

  @Test
  void oneShardIsTheUnshardedOrder() {
    ShardPlan plan = ShardPlan.of(50, config(1, 8).build());
    assertArrayEquals(SeededRandom.derive(SEED, Trainer.SHUFFLE_STREAM, 3).permutation(50), plan.order(0, 3));
    assertEquals(7, plan.steps());
    assertEquals(2, plan.batchRows(6));
  }

  @Test
  void moreShardsThanTheBatchOrTheRowsAreRejected() {
    InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> config(5, 4).build());
    assertTrue(e.getMessage().contains("shards"), e.getMessage());
    assertThrows(InvalidSettingException.class, () -> ShardPlan.of(3, config(4, 0).build()));
    assertThrows(InvalidSettingException.class, () -> config(0, 4).build());
  }

  @Test
  void shardSumsAddUpToTheBatchGradient() {
    for (Loss loss : List.of(new CrossEntropyLoss(), SquaredErrorLoss.mse(), SquaredErrorLoss.sse())) {
      Dataset data = data(61, SEED);
      Network net = network(0, loss, SEED);
      TrainingConfig config = config(3, 16).build();
      ShardExecutor executor = ShardExecutor.local().open(config, loss, net, data);
      int batch = 2;
      ShardSum total = ShardSum.total(executor.sums(net, 1, batch, 3));
      // The same rows as one batch, in shard order, computed directly
      ShardPlan plan = executor.plan();
      List<Integer> rows = new ArrayList<>();
      for (int k = 0; k < plan.count(); k++) {
        int[] order = plan.order(k, 1);
        for (int i = plan.from(k, batch); i < plan.to(k, batch); i++) {
          rows.add(order[i] + (int) ShardPlan.firstRow(61, 3, k));
        }
      }
      int[] picked = rows.stream().mapToInt(Integer::intValue).toArray();
      Matrix x = Matrix.zeros(picked.length, data.featureCount());
      Matrix y = Matrix.zeros(picked.length, data.outputCount());
      data.gather(picked, 0, picked.length, x, y);
      double cost = Objective.of(loss, net).computeGradients(net, x, y, Pass.training(SEED, 3));
      double[] direct = ShardWorker.flatGradient(net);
      assertEquals(16, total.rows());
      assertEquals(cost, total.cost(), 1e-6 * Math.abs(cost), loss.name());
      for (int i = 0; i < direct.length; i++) {
        assertEquals(direct[i], total.gradient()[i], 1e-6 * (1 + Math.abs(direct[i])), loss.name() + " value " + i);
      }
    }
  }

  @Test
  void shardedTrainingIsBitIdenticalBetweenRunsAndThreadCounts() {
    Dataset data = data(97, SEED);
    TrainingConfig config = config(3, 12).epochs(3).optimizer(OptimizerSettings.adam(0.01)).build();
    Compute.useThreads(1);
    double[] one = train(config, data, null);
    Compute.useThreads(2);
    double[] two = train(config, data, null);
    double[] again = train(config, data, null);
    assertArrayEquals(one, two, "1 and 2 threads");
    assertArrayEquals(two, again, "two runs");
    assertNotEquals(Arrays.toString(one), Arrays.toString(train(config.withShards(2), data, null)),
        "the shards change the run");
  }

  @Test
  void oneShardThroughAnExecutorIsUnshardedTrainingBitForBit() {
    Dataset data = data(97, SEED);
    for (OptimizerSettings optimizer : List.of(OptimizerSettings.sgd(0.1), OptimizerSettings.adam(0.01))) {
      TrainingConfig config = config(1, 10).epochs(2).optimizer(optimizer).build();
      assertArrayEquals(train(config, data, null), train(config, data, ShardExecutor.local()),
          optimizer.kind().id());
    }
  }

  @Test
  void theSignatureNamesTheShardsAndOlderCheckpointsMeanOne() {
    Network net = network(0, new CrossEntropyLoss(), SEED);
    Dataset data = data(20, SEED);
    String two = Trainer.signature(config(2, 4).build(), net, new CrossEntropyLoss(), data, null);
    String one = Trainer.signature(config(1, 4).build(), net, new CrossEntropyLoss(), data, null);
    assertTrue(two.contains("shards=2"), two);
    assertEquals("it differs from this run in shards 1 there, 2 here", Resume.mismatch(one, two, "legacy"));
    String older = one.replace("; shards=1", "");
    assertEquals(null, Resume.mismatch(older, one, "legacy"));
  }

  private static double[] train(TrainingConfig config, Dataset data, ShardExecutor.Factory factory) {
    Network net = network(0.2, new CrossEntropyLoss(), SEED);
    Trainer trainer = new Trainer(config);
    if (factory != null) {
      trainer.shardsOn(factory);
    }
    History history = trainer.fit(net, new CrossEntropyLoss(), data, null);
    assertEquals(config.epochs(), history.epochs().size());
    double[] w = new double[0];
    for (var p : net.parameters()) {
      double[] v = new double[p.value().size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = p.value().getFlat(i);
      }
      double[] joined = Arrays.copyOf(w, w.length + v.length);
      System.arraycopy(v, 0, joined, w.length, v.length);
      w = joined;
    }
    double[] withLoss = Arrays.copyOf(w, w.length + 1);
    withLoss[w.length] = history.epochs().get(history.epochs().size() - 1).trainLoss();
    return withLoss;
  }

  static TrainingConfig.Builder config(int shards, int batch) {
    return TrainingConfig.builder().epochs(1).batchSize(batch).seed(SEED).shards(shards);
  }

  static Network network(double dropout, Loss loss, long seed) {
    Network.Builder b = Network.builder(5).dense(9, Activations.relu());
    if (dropout > 0) {
      b.dropout(dropout);
    }
    return b.dense(3, loss instanceof CrossEntropyLoss ? Activations.softmax() : Activations.sigmoid()).seed(seed)
        .build();
  }

  static Dataset data(int rows, long seed) {
    System.out.println("seed " + seed);
    SeededRandom random = new SeededRandom(seed);
    Matrix x = Matrix.zeros(rows, 5);
    int[] labels = new int[rows];
    for (int i = 0; i < rows; i++) {
      labels[i] = random.nextInt(3);
      for (int j = 0; j < 5; j++) {
        x.set(i, j, random.nextGaussian() + (j == labels[i] ? 1.5 : 0));
      }
    }
    return Dataset.classification("random", List.of("a", "b", "c", "d", "e"), x, List.of("x", "y", "z"), labels);
  }
}

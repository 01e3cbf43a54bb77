package dev.backprop.train;

import dev.backprop.data.Dataset;
import dev.backprop.data.Task;
import dev.backprop.loss.Loss;
import dev.backprop.nn.Network;
import dev.backprop.nn.Parameter;
import dev.backprop.nn.Pass;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Matrix;
import java.util.Objects;

/**
 * Computes one shard's {@link ShardSum} of each step, where the shard's rows are: in this process for local
 * sharded training, or in a cluster's partition. The same code runs in both places, so both give the same bits.
 * One worker per shard and thread: it keeps its batch buffers and its shard's order of the current epoch.
 */
public final class ShardWorker {
  private final ShardPlan plan;
  private final int shard;
  private final Dataset data;
  private final int offset;
  private final Objective objective;
  private final boolean classification;
  private int[] order;
  private int orderEpoch = -1;
  private Matrix x;
  private Matrix y;

  /**
   * @param data the rows of shard {@code shard} start at row {@code offset} of {@code data}
   * @param network the network whose output activation pairs with {@code loss}
   */
  public ShardWorker(ShardPlan plan, int shard, Dataset data, int offset, Loss loss, Network network) {
    this.plan = Objects.requireNonNull(plan, "plan");
    if (shard < 0 || shard >= plan.count()) {
      throw new IllegalArgumentException("shard " + shard + " of " + plan.count());
    }
    if (offset < 0 || (long) offset + plan.size(shard) > data.size()) {
      throw new IllegalArgumentException("shard " + shard + " needs rows " + offset + ".."
          + ((long) offset + plan.size(shard)) + " of data with " + data.size() + " rows");
    }
    this.shard = shard;
    this.data = data;
    this.offset = offset;
    this.objective = Objective.of(loss, network);
    this.classification = data.task() == Task.CLASSIFICATION;
  }

  /**
   * This shard's part of step {@code step} (batch {@code batch} of {@code epoch}, 1-based epoch and step), computed
   * at the current weights of {@code network}, which it leaves with this part's gradients.
   */
  public ShardSum compute(Network network, int epoch, int batch, long step) {
    int from = plan.from(shard, batch);
    int to = plan.to(shard, batch);
    int m = to - from;
    if (m == 0) {
      return new ShardSum(shard, 0, 0, 0, null);
    }
    if (orderEpoch != epoch) {
      order = plan.order(shard, epoch);
      for (int i = 0; i < order.length; i++) {
        order[i] += offset;
      }
      orderEpoch = epoch;
    }
    if (x == null || x.rows() != m) {
      x = Matrix.zeros(m, data.featureCount());
      y = Matrix.zeros(m, data.outputCount());
    }
    data.gather(order, from, to, x, y);
    int batchRows = plan.batchRows(batch);
    Pass pass = Pass.training(plan.seed(), step);
    double value = objective.computeGradients(network, x, y, plan.count() == 1 ? pass : pass.forShard(shard),
        batchRows);
    // A mean over the shard's rows becomes its share of the mean over the batch (as is when it is the batch).
    Loss loss = objective.loss();
    double cost = loss.sumsOverBatch() || m == batchRows ? value : value * m / batchRows;
    long correct = 0;
    if (classification) {
      Matrix outputs = objective.outputs();
      for (int i = 0; i < m; i++) {
        if (Evaluation.argmax(outputs, i) == data.label(order[from + i])) {
          correct++;
        }
      }
    }
    return new ShardSum(shard, m, cost, correct, flatGradient(network));
  }

  /** Every parameter's gradient, in parameter order, as float64 (exact for float32 gradients). */
  static double[] flatGradient(Network network) {
    double[] g = new double[Math.toIntExact(network.parameterCount())];
    int at = 0;
    for (Parameter p : network.parameters()) {
      Matrix grad = p.grad();
      if (grad.dtype() == DType.FLOAT32) {
        float[] f = grad.floats();
        for (int i = 0; i < grad.size(); i++) {
          g[at + i] = f[i];
        }
      } else {
        System.arraycopy(grad.doubles(), 0, g, at, grad.size());
      }
      at += grad.size();
    }
    return g;
  }

  /** Writes a flat gradient into the parameters' gradients, rounded to their element type. */
  static void setGradient(Network network, double[] g) {
    int at = 0;
    for (Parameter p : network.parameters()) {
      Matrix grad = p.grad();
      for (int i = 0; i < grad.size(); i++) {
        grad.setFlat(i, g[at + i]);
      }
      at += grad.size();
    }
  }
}

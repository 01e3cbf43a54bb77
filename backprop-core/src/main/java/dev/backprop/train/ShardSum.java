package dev.backprop.train;

import java.util.List;

/**
 * One shard's part of a step: its share of the batch's cost and the sum of its rows' gradients, scaled as parts of
 * the batch's gradient (a mean divides by the batch's rows), so that the shards' parts add up to the batch's.
 *
 * @param shard which shard
 * @param rows how many rows it gave the step (0: nothing to add)
 * @param cost its share of the batch's cost C
 * @param correct its rows whose most probable class is their label (classification)
 * @param gradient every parameter's gradient, in the network's parameter order, flattened row by row; null when
 *     {@code rows} is 0
 */
public record ShardSum(int shard, int rows, double cost, long correct, double[] gradient) {
  /** This part as one array, for a cluster to send: shard, rows, cost, correct, then the gradient, if any. */
  public double[] toArray() {
    int n = gradient == null ? 0 : gradient.length;
    double[] a = new double[4 + n];
    a[0] = shard;
    a[1] = rows;
    a[2] = cost;
    a[3] = correct;
    if (gradient != null) {
      System.arraycopy(gradient, 0, a, 4, n);
    }
    return a;
  }

  /** The part that {@link #toArray()} gave, exactly. */
  public static ShardSum fromArray(double[] a) {
    if (a.length < 4) {
      throw new IllegalArgumentException("a shard sum has at least 4 values, got " + a.length);
    }
    int rows = (int) a[1];
    return new ShardSum((int) a[0], rows, a[2], (long) a[3], rows == 0 ? null : java.util.Arrays.copyOfRange(a, 4,
        a.length));
  }

  /**
   * The step's total: the parts of the shards that gave rows added in the order of {@code sums} (shard order), in
   * float64, whatever order they were computed in.
   */
  public static ShardSum total(List<ShardSum> sums) {
    double[] g = null;
    double cost = 0;
    long correct = 0;
    int rows = 0;
    for (ShardSum s : sums) {
      if (s.rows() == 0) {
        continue;
      }
      if (g == null) {
        g = s.gradient().clone();
        cost = s.cost();
      } else {
        double[] add = s.gradient();
        if (add.length != g.length) {
          throw new IllegalArgumentException("shard " + s.shard() + " has " + add.length + " gradient values, not "
              + g.length);
        }
        for (int i = 0; i < g.length; i++) {
          g[i] += add[i];
        }
        cost += s.cost();
      }
      correct += s.correct();
      rows += s.rows();
    }
    return new ShardSum(-1, rows, cost, correct, g);
  }
}
